"""Stored legal assessments of incidents: every version kept, overrides beside, never instead."""

from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from legal import statute
from legal.audiences import Audience
from legal.facts import ALMATY
from legal.messages import label
from legal.presentation import AssessmentShown, OverrideShown, assessment_shown, override_shown
from legal.rules import Assessment


class MciValue(models.Model):
    """A year's monthly calculation index added by an administrator before the statute data has it (issue 19).

    The statute's own value wins for a year it has (`legal.mci.statute_in_force`); changes are audited
    (django-auditlog).
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    value = models.PositiveIntegerField(
        _("MCI in tenge"), validators=[MinValueValidator(1), MaxValueValidator(999_999)]
    )
    source = models.CharField(_("source"), max_length=255, help_text=_("The budget law that sets it."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("MCI value")
        verbose_name_plural = _("MCI values")

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class LegalAssessment(models.Model):
    """One run of the rules over an incident's facts. The newest is current; older ones are history."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("incident")
    )
    sequence = models.PositiveIntegerField(_("version"))
    rules_version = models.CharField(_("rules version"), max_length=64)
    trigger = models.CharField(_("reason for assessment"), max_length=64)
    facts = models.JSONField(_("facts"))
    result = models.JSONField(_("result"))
    applicable = models.BooleanField(_("Article 380-3 applies"))
    part = models.PositiveSmallIntegerField(_("part"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=True)
    # Names of the facts that differ from the previous version (empty for the first one).
    changed_facts = models.JSONField(_("changed facts"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("triggered by"),
    )
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

    @cached_property
    def outcome(self) -> Assessment:
        """The stored result as the rules' Assessment (codes and parameters, rendered on demand)."""
        return Assessment.from_json(self.result)

    def shown_to(self, audience: Audience) -> AssessmentShown | None:
        """This assessment as `audience` may read it (`legal.audiences`); None when not at all."""
        return assessment_shown(
            audience,
            outcome=self.outcome,
            facts=self.facts,
            sequence=self.sequence,
            created_at=self.created_at,
            rules_version=self.rules_version,
        )

    @cached_property
    def _full(self) -> AssessmentShown:
        # The police read all of it: the readable properties below are theirs (the case page, the notice).
        return AssessmentShown(
            outcome=self.outcome, sequence=self.sequence, created_at=self.created_at, rules_version=self.rules_version
        )

    @property
    def part_text(self) -> str:
        """The text of the assessed part in the active language (Russian and Kazakh: unofficial)."""
        return self._full.part_text

    @property
    def article_title(self) -> str:
        return self._full.article_title

    @property
    def reasons_text(self) -> list[str]:
        return self._full.reasons_text

    @property
    def warnings_text(self) -> list[str]:
        return self._full.warnings_text

    @property
    def also_consider_text(self) -> list[str]:
        return self._full.also_consider_text

    @property
    def notes_text(self) -> list[str]:
        return self._full.notes_text

    @property
    def procedure_label(self) -> str:
        return self._full.procedure_label

    @property
    def gravity_label(self) -> str:
        return self._full.gravity_label

    @property
    def aggravating_labels(self) -> list[str]:
        return self._full.aggravating_labels

    @property
    def penalty(self) -> list[str]:
        return self._full.penalty

    @property
    def minor_penalty(self) -> list[str]:
        return self._full.minor_penalty

    @property
    def trigger_label(self) -> str:
        return label("trigger", self.trigger)


class PartOverride(models.Model):
    """An officer's or administrator's correction of the part, with a written reason."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="part_overrides", verbose_name=_("incident")
    )
    part = models.PositiveSmallIntegerField(
        _("part"), null=True, blank=True, help_text=_("Empty means Article 380-3 does not apply.")
    )
    reason = models.TextField(_("reason"))
    # The computed assessment the officer saw when overriding it.
    assessment = models.ForeignKey(
        LegalAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overrides",
        verbose_name=_("computed assessment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["incident", "-created_at"]
        verbose_name = _("part override")
        verbose_name_plural = _("part overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=models.Q(is_active=True), name="one_active_override_per_incident"
            ),
            models.CheckConstraint(
                condition=models.Q(part__isnull=True)
                | models.Q(part__gte=min(statute.CURRENT.part_numbers), part__lte=max(statute.CURRENT.part_numbers)),
                name="override_part_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.part or '—'}"

    @property
    def applicable(self) -> bool:
        return self.part is not None

    def shown_to(self, audience: Audience) -> OverrideShown:
        """This override as `audience` may read it: the reason and who set it are for the police only."""
        return override_shown(
            audience,
            part=self.part,
            year=self.incident.occurred_at.astimezone(ALMATY).year,
            reason=self.reason,
            created_by=self.created_by,
            created_at=self.created_at,
            minor=self.assessment.outcome.minor_suspect if self.assessment is not None else False,
        )

    @property
    def part_text(self) -> str:
        return self.shown_to(Audience.POLICE).part_text

    @property
    def penalty(self) -> list[str]:
        return self.shown_to(Audience.POLICE).penalty

    @property
    def minor_penalty(self) -> list[str]:
        return self.shown_to(Audience.POLICE).minor_penalty
