"""Stored legal assessments of incidents: every version kept, overrides beside, never instead."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalAssessment(models.Model):
    """One run of the rules over an incident's facts. The newest is current; older ones are history."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="assessments",
                                 verbose_name=_("incident"))
    sequence = models.PositiveIntegerField(_("version"))
    rules_version = models.CharField(_("rules version"), max_length=64)
    trigger = models.CharField(_("reason for assessment"), max_length=64)
    facts = models.JSONField(_("facts"))
    result = models.JSONField(_("result"))
    applicable = models.BooleanField(_("Article 380-3 applies"))
    part = models.PositiveSmallIntegerField(_("part"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("triggered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["incident", "-sequence"]
        get_latest_by = "sequence"
        verbose_name = _("legal assessment")
        verbose_name_plural = _("legal assessments")
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="assessment_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} #{self.sequence}: {self.part or '—'}"


class PartOverride(models.Model):
    """An officer's or administrator's correction of the part, with a written reason."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="part_overrides",
                                 verbose_name=_("incident"))
    part = models.PositiveSmallIntegerField(_("part"), null=True, blank=True,
                                            help_text=_("Empty means Article 380-3 does not apply."))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["incident", "-created_at"]
        verbose_name = _("part override")
        verbose_name_plural = _("part overrides")
        constraints = [
            models.UniqueConstraint(fields=["incident"], condition=models.Q(is_active=True),
                                    name="one_active_override_per_incident"),
            models.CheckConstraint(condition=models.Q(part__isnull=True) | models.Q(part__gte=1, part__lte=6),
                                   name="override_part_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.part or '—'}"
