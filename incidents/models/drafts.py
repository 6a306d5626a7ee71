"""Reports being typed: drafts saved as the reporter goes, and the files kept with them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Evidence, Incident


class ReportDraft(models.Model):
    """A report being typed, saved server-side as the reporter goes, so nothing is lost."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    # No owner: a report posted after the session expired, kept until its author logs in again and claims it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_drafts",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    # For a kept (ownerless) report: the draft the form was editing, so the claim merges into it.
    resume_key = models.UUIDField(_("draft being edited"), null=True, blank=True, editable=False)
    # For a kept report: the user whose form it was (signed into the page); only they can claim it.
    kept_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("kept for"),
    )
    data = models.JSONField(_("form data"), default=dict)
    submitted_incident = models.OneToOneField(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft", verbose_name=_("submitted as")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")

    def __str__(self) -> str:
        return str(self.key)


def draft_upload_to(instance: "DraftUpload", filename: str) -> str:
    return f"drafts/{instance.draft_id}/{uuid.uuid4().hex}"


class DraftUpload(models.Model):
    """A file attached to a draft: kept when the form has errors, moved to evidence on submit."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("draft"))
    file = models.FileField(_("file"), upload_to=draft_upload_to)
    kind = models.CharField(_("kind"), max_length=16, choices=Evidence.Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("draft upload")
        verbose_name_plural = _("draft uploads")

    def __str__(self) -> str:
        # Not the original name, which may name a person (see Victim.__str__).
        return f"{self.get_kind_display()} {self.sha256[:12]}"
