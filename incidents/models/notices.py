"""The PDF notices of an incident for its police post."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import LeasedWork
from incidents.models.incident import Incident


def notice_upload_to(instance: "Notice", filename: str) -> str:
    # Random, as evidence names are: a predictable path would let anyone who can list or guess files find a
    # case's notice. The download gets its readable name from `notice_filename`.
    return f"notices/{instance.incident_id}/{uuid.uuid4().hex}.pdf"


class Notice(LeasedWork):
    """A PDF notice of an incident for the police post; one per incident version and language.

    Rendered by one task at a time under a lease (`LeasedWork`, common/leases.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices", verbose_name=_("incident"))
    version = models.PositiveIntegerField(_("incident version"))
    language = models.CharField(_("language"), max_length=8, default="ru-kk")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(_("file"), upload_to=notice_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("render started at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    # Renders again of a FAILED notice by the sweep, bounded by QORGAU_NOTICE_AUTO_RERUNS; an administrator's
    # re-run starts them again.
    auto_reruns = models.PositiveSmallIntegerField(_("automatic re-runs"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time, ms"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-version", "language"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["incident", "version", "language"], name="notice_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} v{self.version} {self.language}"
