"""Notifications about cases (issue 17) sent through the outside channels: one row per message, channel and
recipient, whose key makes a second send of it a no-op. (Alarms keep their own rows: alarms.AlarmDelivery.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # What it is about: a kind of notification (accounts.NotificationKind) and the id of the row that caused it.
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("row id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("user"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    recipient = models.CharField(_("recipient"), max_length=255)
    # What is sent: a sentence and a link, never a name (messengers are hosted abroad).
    text = models.CharField(_("text"), max_length=500)
    link = models.URLField(_("link"), max_length=500, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not before: now, or the end of the user's quiet hours, or the next try after a failure. The sweep reads it.
    due_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("last try started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=255, blank=True)
    detail = models.CharField(_("last error"), max_length=255, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        indexes = [
            models.Index(
                fields=["due_at"],
                name="notification_due",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["kind", "object_id"], name="notification_about"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.channel} ({self.status})"
