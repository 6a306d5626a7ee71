"""A user's own profile (phone, how to be contacted, notification preferences, push subscriptions), and two-factor
login: setting up an authenticator app, recovery codes, checking a code (django-otp devices)."""

import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import NotificationPreferences, PushSubscription, User

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_CODE_LENGTH = 10


def profile_update(*, user: User, phone: str, contact_only_through_qorgau: bool) -> User:
    """Save the user's phone (already in its one form) and whether the police may call them."""
    user.phone = phone
    user.contact_only_through_qorgau = contact_only_through_qorgau
    user.save(update_fields=["phone", "contact_only_through_qorgau"])
    return user


def normalise_code(code: str) -> str:
    """A code as typed (`123 456`, `ABCD-EFGH-JK`) in the form it is stored."""
    return "".join(code.split()).replace("-", "").lower()


def _recovery_code() -> str:
    while True:
        code = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        if not code.isdigit():  # an all-digit code would be taken for an authenticator code
            return code


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's authenticator not yet confirmed, created on the first call: reloading the page keeps its key."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").select_for_update().first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_device_confirm(*, user: User, device_id: int, code: str) -> list[str] | None:
    """Confirms the new authenticator with its first code and issues recovery codes; None if the code is wrong.

    The user's other authenticators go: one app at a time.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device_id, user=user, confirmed=False)
        if not device.verify_token(normalise_code(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_issue(user=user)
    logger.info("Two-factor login set up for user %s", user.pk)
    return codes


def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new one-time recovery codes, replacing the user's old ones; shown to the user once."""
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes")
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    logger.info("New recovery codes issued for user %s", user.pk)
    return codes


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts this code: the authenticator for digits, else a recovery code (used up)."""
    code = normalise_code(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    logger.info("Recovery code used by user %s", user.pk)
                return device
    return None


@transaction.atomic
def notification_preferences_save(*, user: User, form_data: dict[str, Any]) -> NotificationPreferences:
    """Save the user's notification preferences (the fields their form offered) and their Telegram chat id."""
    preferences, _created = NotificationPreferences.objects.get_or_create(user=user)
    for name, value in form_data.items():
        if name == "telegram_chat_id":
            continue
        setattr(preferences, name, value)
    preferences.save()
    chat_id = form_data.get("telegram_chat_id", user.telegram_chat_id)
    if chat_id != user.telegram_chat_id:
        user.telegram_chat_id = chat_id
        user.save(update_fields=["telegram_chat_id"])
    return preferences


@transaction.atomic
def push_subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str) -> PushSubscription:
    """Store (or move to this user) a browser's push subscription; past QORGAU_WEBPUSH_MAX_SUBSCRIPTIONS the user's
    oldest one goes. A browser shared after a logout receives the new user's notifications only."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:255]},
    )
    keep = PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")[
        : settings.QORGAU_WEBPUSH_MAX_SUBSCRIPTIONS
    ]
    PushSubscription.objects.filter(user=user).exclude(pk__in=list(keep.values_list("pk", flat=True))).delete()
    return subscription


def push_subscription_delete(*, user: User, endpoint: str) -> bool:
    """Forget this user's subscription of that browser (it unsubscribed, or the user logs out of it)."""
    deleted, _rows = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)
