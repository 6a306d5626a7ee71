"""The whole case file: one PDF of everything about a case, for the investigator or the court."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import LeasedWork
from incidents.models.incident import Incident


def casefile_upload_to(instance: "CaseFile", filename: str) -> str:
    # Random, as notices' names are: the download gets its readable name from the view.
    return f"casefiles/{instance.incident_id}/{uuid.uuid4().hex}.pdf"


class CaseFile(LeasedWork):
    """One rendering of the whole case file, asked for by an officer; rendered by Celery and kept with its hash.

    Rendered by one task at a time under a lease (`LeasedWork`, common/leases.py), as notices are.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="casefiles", verbose_name=_("incident")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    language = models.CharField(_("language"), max_length=8, default="ru")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(_("file"), upload_to=casefile_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("render started at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time, ms"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else str(self.incident_id)
