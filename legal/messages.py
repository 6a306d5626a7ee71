"""Rendering the sentences of a legal assessment (`legal.sentences`) in the reader's language."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext

from common.numbers import group_digits
from legal.rules import Assessment
from legal.sentences import CATALOGUE, LABELS, Message


def label(kind: str, code: str | None) -> str:
    """The translated label of a code (a role, a harm, a gravity…) in the active language."""
    if code is None:
        return ""
    template = LABELS.get(kind, {}).get(code)
    return gettext(template) if template else str(code)


# Parameters that hold a date (stored as yyyy-mm-dd, so the sentence is data): written in the active language.
DATE_PARAMS = frozenset({"date", "in_force"})


def date_text(value: str) -> str:
    """A stored yyyy-mm-dd date as the active language writes dates (unchanged if it is not one)."""
    try:
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def render(message: Message, language: str | None = None) -> str:
    """The sentence in `language` (default: the active language)."""
    if language is not None:
        with translation.override(language):
            return render(message)
    params: dict[str, Any] = {}
    for key, value in message.params:
        if key in LABELS:
            params[key] = label(key, value)
        elif key in DATE_PARAMS and isinstance(value, str):
            params[key] = date_text(value)
        elif isinstance(value, list | tuple):
            params[key] = ", ".join(str(item) for item in value)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
            params[key] = group_digits(value)
        else:
            params[key] = value
    template = CATALOGUE.get(message.code)
    if template is None:
        return message.code
    try:
        return gettext(template) % params
    except (KeyError, TypeError, ValueError):
        # A translation or stored parameters that do not fit: fall back to the English template.
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            return message.code


def render_all(messages: Iterable[Message], language: str | None = None) -> list[str]:
    return [render(message, language) for message in messages]


def as_contract(assessment: Assessment, language: str = "en") -> dict[str, Any]:
    """The tagger contract's output object (without `id`), sentences rendered in `language`."""
    return {
        **assessment.verdict(),
        "reasons": render_all(assessment.reasons, language),
        "warnings": render_all(assessment.warnings, language),
        "also_consider": render_all(assessment.also_consider, language),
    }
