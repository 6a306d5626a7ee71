"""The e-mail outbox: one row per e-mail the project sends (common/emails.py sends it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail about one row (a question, an overdue case, a notice, a report), sent at most once by its task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        NO_ADDRESS = "no_address", _("no recipient")
        FAILED = "failed", _("failed")

    # What it is about: the kind (also its templates, emails/<kind>-subject.txt …) and the id of that row.
    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("row id"))
    # The Celery task that sends it, given `object_id`: the sweep and the admin action publish it again.
    task = models.CharField(_("task"), max_length=128)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last try started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # Sends again of a FAILED e-mail by the sweep, bounded by QORGAU_EMAIL_AUTO_RERUNS; "send again" in admin
    # starts them again.
    auto_reruns = models.PositiveSmallIntegerField(_("automatic re-runs"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            # The idempotency key: asking for the same e-mail again finds this row instead of adding one.
            models.UniqueConstraint(fields=["kind", "object_id"], name="email_once_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.status})"


class LeasedWork(models.Model):
    """The fields of a row that a Celery task works on under a lease (common/leases.py): a notice, a case file.

    `queued_at` is when its task was last published (in the future while a retry waits for its countdown);
    `lease_token` names the one task that holds it, until `lease_expires_at`, which that task renews as it works.
    """

    queued_at = models.DateTimeField(_("task queued at"), null=True, blank=True)
    lease_token = models.UUIDField(_("lease"), null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
