"""Reads of an incident's legal tag: the current assessment, its history, the active override."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from incidents.models import Incident
from legal.audiences import Audience
from legal.messages import label
from legal.models import LegalAssessment, PartOverride
from legal.presentation import AssessmentShown, OverrideShown


def _prefetched(incident: Incident, name: str) -> list | None:
    """The rows of `name` read with the incident (`case_page_prefetch`), or None when they were not."""
    rows = getattr(incident, "_prefetched_objects_cache", {}).get(name)
    return None if rows is None else list(rows)


def assessment_current(incident: Incident) -> LegalAssessment | None:
    """The newest assessment of the incident, or None before the first one."""
    rows = _prefetched(incident, "assessments")
    if rows is not None:
        return max(rows, key=lambda row: row.sequence, default=None)
    return incident.assessments.select_related("created_by").order_by("-sequence").first()


def repeat_references(incident: Incident) -> list[str]:
    """The earlier reports the IIN matching found for this case (its current assessment's), for the police."""
    current = assessment_current(incident)
    return list((current.facts or {}).get("repeat_of", [])) if current is not None else []


def override_active(incident: Incident) -> PartOverride | None:
    rows = _prefetched(incident, "part_overrides")
    if rows is not None:  # at most one is active (a constraint says so)
        return next((row for row in rows if row.is_active), None)
    return incident.part_overrides.filter(is_active=True).select_related("created_by", "assessment").first()


def overrides_all(incident: Incident) -> list[PartOverride]:
    rows = _prefetched(incident, "part_overrides")
    if rows is not None:
        return sorted(rows, key=lambda row: (row.created_at, row.pk), reverse=True)
    return list(incident.part_overrides.select_related("created_by").order_by("-created_at", "-pk"))


def case_page_prefetch() -> list[Prefetch]:
    """What the case page reads of the legal tag, read with the incident: every assessment and every override, once
    (the current assessment, the history, the repeats the episode form offers and the overrides all come from them)."""
    return [
        Prefetch("assessments", queryset=LegalAssessment.objects.select_related("created_by").order_by("sequence")),
        Prefetch("part_overrides", queryset=PartOverride.objects.select_related("created_by", "assessment")),
    ]


@dataclass(frozen=True)
class AssessmentVersion:
    assessment: LegalAssessment
    previous_part: int | None
    part_changed: bool
    changed_facts: list[str]


def assessment_history(incident: Incident) -> list[AssessmentVersion]:
    """Every version, newest first, with what changed since the one before."""
    rows = _prefetched(incident, "assessments")
    if rows is None:
        rows = list(incident.assessments.select_related("created_by").order_by("sequence"))
    rows.sort(key=lambda row: row.sequence)
    versions = []
    previous = None
    for row in rows:
        versions.append(
            AssessmentVersion(
                assessment=row,
                previous_part=previous.part if previous else None,
                part_changed=previous is not None
                and (previous.part, previous.applicable) != (row.part, row.applicable),
                changed_facts=[label("fact", name) for name in (row.changed_facts or [])],
            )
        )
        previous = row
    return list(reversed(versions))


# --- What each audience reads (legal.audiences decides; the police read all of it) ----------------------------


@dataclass(frozen=True)
class LegalShown:
    """An incident's legal tag as one audience reads it: the assessment, the override, and the tag in one line."""

    assessment: AssessmentShown | None
    override: OverrideShown | None

    @property
    def applicable(self) -> bool | None:
        """Whether the article applies as this audience reads it (the override first); None: not assessed."""
        if self.override is not None:
            return self.override.applicable
        return self.assessment.applicable if self.assessment is not None else None

    @property
    def part(self) -> int | None:
        if self.override is not None:
            return self.override.part
        return self.assessment.part if self.assessment is not None else None

    @property
    def provisional(self) -> bool:
        return self.assessment is not None and self.assessment.provisional


def legal_shown(incident: Incident, audience: Audience) -> LegalShown:
    """The incident's current assessment and active override as `audience` may read them."""
    current = assessment_current(incident)
    override = override_active(incident)
    return LegalShown(
        assessment=current.shown_to(audience) if current is not None else None,
        override=override.shown_to(audience) if override is not None else None,
    )


def parts_shown(incidents: Sequence[Incident], audience: Audience) -> dict[int, int | None]:
    """The part each incident shows to `audience`, by id: one query for a page of any length.

    The stored `legal_part` is the police's (the override first). Where no override is active, the current
    assessment says what another audience may read of it.
    """
    parts = {incident.pk: incident.legal_part for incident in incidents}
    if audience == Audience.POLICE:
        return parts
    tagged = [pk for pk, part in parts.items() if part is not None]
    latest = LegalAssessment.objects.filter(incident=OuterRef("incident")).order_by("-sequence").values("sequence")
    current = (
        LegalAssessment.objects.filter(incident_id__in=tagged, sequence=Subquery(latest[:1]))
        .exclude(incident__part_overrides__is_active=True)
        .only("incident_id", "sequence", "facts", "result", "created_at", "rules_version")
    )
    for assessment in current:
        shown = assessment.shown_to(audience)
        parts[assessment.incident_id] = shown.part if shown is not None else None
    return parts
