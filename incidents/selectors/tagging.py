"""Reads of an incident's legal tag: the current assessment, its history, the active override."""

from dataclasses import dataclass

from incidents.models import Incident
from legal.messages import label
from legal.models import LegalAssessment, PartOverride


def assessment_current(incident: Incident) -> LegalAssessment | None:
    """The newest assessment of the incident, or None before the first one."""
    return incident.assessments.select_related("created_by").order_by("-sequence").first()


def override_active(incident: Incident) -> PartOverride | None:
    return incident.part_overrides.filter(is_active=True).select_related("created_by", "assessment").first()


def overrides_all(incident: Incident) -> list[PartOverride]:
    return list(incident.part_overrides.select_related("created_by").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class AssessmentVersion:
    assessment: LegalAssessment
    previous_part: int | None
    part_changed: bool
    changed_facts: list[str]


def assessment_history(incident: Incident) -> list[AssessmentVersion]:
    """Every version, newest first, with what changed since the one before."""
    rows = list(incident.assessments.select_related("created_by").order_by("sequence"))
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
