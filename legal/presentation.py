"""Readable renderings in the active language: the statute's data (penalties), and assessments as each audience
reads them (`legal.audiences` decides what that is)."""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from common.numbers import group_digits
from legal import statute
from legal.audiences import Audience, assessment_for, notes_for
from legal.messages import date_text, label, render_all
from legal.rules import Assessment
from legal.sentences import Message


def sanction_text(sanction: statute.Sanction) -> str:
    values = {"min": sanction.minimum, "max": sanction.maximum}
    ranged = sanction.minimum is not None
    if sanction.kind == "fine":
        return _("a fine of %(min)s to %(max)s MCI") % values
    if sanction.kind == "correctional_labour":
        return _("correctional labour of %(min)s to %(max)s MCI") % values
    if sanction.kind == "community_service":
        return _("community service of up to %(max)s hours") % values
    if sanction.kind == "restriction_of_liberty":
        if ranged:
            return _("restriction of liberty for %(min)s to %(max)s years") % values
        return _("restriction of liberty for up to %(max)s years") % values
    if sanction.kind == "imprisonment":
        if ranged:
            return _("imprisonment for %(min)s to %(max)s years") % values
        return _("imprisonment for up to %(max)s years") % values
    return sanction.kind


def penalty_lines(part: int | None, year: int | None = None, *, minor: bool = False) -> list[str]:
    """The alternative punishments of a part, one line each; a fine also in tenge at the MCI of `year`.

    With `minor`, those a court may impose on a minor (CC 81: the minors' fine, no imprisonment for a small or
    medium crime).
    """
    if not part or part not in statute.CURRENT.parts:
        return []
    mci = statute.CURRENT.mci(year) if year else None
    lines = []
    sanctions = statute.CURRENT.minor_sanctions(part) if minor else statute.CURRENT.part(part).sanctions
    for sanction in sanctions:
        text = sanction_text(sanction)
        if sanction.kind == "fine" and mci:
            text += " " + _("(%(min)s to %(max)s tenge)") % {
                "min": group_digits((sanction.minimum or 0) * mci),
                "max": group_digits(sanction.maximum * mci),
            }
        lines.append(text)
    return lines


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AssessmentShown:
    """An assessment as one audience reads it (`legal.audiences`), rendered in the active language.

    What `legal/includes/assessment.html` shows. `sequence`, `created_at` and `rules_version` are the stored
    version's line; they are left empty for an audience to whom a new version could tell what changed elsewhere.
    """

    outcome: Assessment
    notes: tuple[Message, ...] = ()
    sequence: int | None = None
    created_at: dt.datetime | None = None
    rules_version: str = ""

    @property
    def applicable(self) -> bool:
        return self.outcome.applicable

    @property
    def rules_version_text(self) -> str:
        """The rules version ("252-VIII/2026-03-07/mci-2026") with its date written as the language writes dates."""
        return ISO_DATE.sub(lambda match: date_text(match.group(0)), self.rules_version)

    @property
    def part(self) -> int | None:
        return self.outcome.part

    @property
    def provisional(self) -> bool:
        return self.outcome.provisional

    @property
    def part_text(self) -> str:
        """The text of the assessed part in the active language (Russian and Kazakh: unofficial)."""
        return statute.CURRENT.part_text(self.part, translation.get_language()) if self.part else ""

    @property
    def article_title(self) -> str:
        return statute.CURRENT.title_text(translation.get_language())

    @property
    def reasons_text(self) -> list[str]:
        return render_all(self.outcome.reasons)

    @property
    def warnings_text(self) -> list[str]:
        return render_all(self.outcome.warnings)

    @property
    def also_consider_text(self) -> list[str]:
        return render_all(self.outcome.also_consider)

    @property
    def notes_text(self) -> list[str]:
        return render_all(self.notes)

    @property
    def procedure_label(self) -> str:
        return label("procedure", self.outcome.procedure)

    @property
    def gravity_label(self) -> str:
        return label("gravity", self.outcome.gravity)

    @property
    def aggravating_labels(self) -> list[str]:
        return [label("feature", code) for code in self.outcome.aggravating]

    @property
    def penalty(self) -> list[str]:
        local_date = self.outcome.local_date
        return penalty_lines(self.part, local_date.year if local_date else None)

    @property
    def minor_penalty(self) -> list[str]:
        """For a minor suspect, the punishments a court may impose on a minor, shown beside the part's own."""
        if not self.outcome.minor_suspect:
            return []
        local_date = self.outcome.local_date
        return penalty_lines(self.part, local_date.year if local_date else None, minor=True)


def assessment_shown(
    audience: Audience,
    *,
    outcome: Assessment,
    facts: Mapping[str, Any],
    sequence: int,
    created_at: dt.datetime,
    rules_version: str,
) -> AssessmentShown | None:
    """A stored assessment as `audience` may read it; None when it may not be shown to them at all."""
    seen = assessment_for(audience, outcome=outcome, facts=facts)
    if seen is None:
        return None
    if audience != Audience.POLICE:
        return AssessmentShown(outcome=seen, notes=notes_for(audience))
    return AssessmentShown(outcome=seen, sequence=sequence, created_at=created_at, rules_version=rules_version)


@dataclass(frozen=True)
class OverrideShown:
    """A part set by hand as one audience reads it: the police see who set it and why, others the part only."""

    part: int | None
    year: int | None
    reason: str = ""
    created_by: Any = None
    created_at: dt.datetime | None = None
    minor: bool = False  # the suspect is a minor (the assessment the override was set beside says so)

    @property
    def applicable(self) -> bool:
        return self.part is not None

    @property
    def part_text(self) -> str:
        return statute.CURRENT.part_text(self.part, translation.get_language()) if self.part else ""

    @property
    def penalty(self) -> list[str]:
        return penalty_lines(self.part, self.year)

    @property
    def minor_penalty(self) -> list[str]:
        return penalty_lines(self.part, self.year, minor=True) if self.minor else []


def override_shown(
    audience: Audience,
    *,
    part: int | None,
    year: int | None,
    reason: str,
    created_by: Any,
    created_at: dt.datetime,
    minor: bool = False,
) -> OverrideShown:
    """An override as `audience` may read it: officers' reasons and names are for the police only."""
    if audience != Audience.POLICE:
        return OverrideShown(part=part, year=year, minor=minor)
    return OverrideShown(part=part, year=year, reason=reason, created_by=created_by, created_at=created_at, minor=minor)
