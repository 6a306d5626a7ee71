"""Messenger addresses kept on people and posts: a Telegram chat id as the Bot API takes it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# A user's or a group's numeric id (a supergroup's is -100…), or a public channel's @username.
_TELEGRAM_CHAT_ID = re.compile(r"^(-?[1-9][0-9]{0,19}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


def validate_telegram_chat_id(value: str) -> None:
    if value and not _TELEGRAM_CHAT_ID.match(value):
        raise ValidationError(
            _("A Telegram chat id is a number (a group's starts with -100) or a channel's @name."),
            code="telegram_chat_id",
        )


class TelegramChatIdField(models.CharField):  # type: ignore[type-arg]  # a CharField of str, as Django's own
    """Where a Telegram bot writes to a person, a group or a channel; blank when not set up."""

    default_validators = [validate_telegram_chat_id]

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
