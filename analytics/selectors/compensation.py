"""Compensation of victims in aggregate: civil claims filed, awarded and paid, and their median amounts.

Counted per facility from the victims' compensation rows of the incidents of the details' whole calendar year
(`details.details_year`), submitted by the snapshot's cut-off; cancelled reports count nowhere. The counts are
suppressed with the heat map, refusals and attackers in one run over every public scope (`details.py`, issue 10):
Almaty's count of a stage is the sum of the districts' and of the kinds', so that no filter can be subtracted
from another to give a hidden count away, and whole years never overlap. The three counts nest (a claim is awarded
only once filed, and paid only once awarded), so within a scope they are suppressed as a chain. A median is shown
only beside a count that is shown: a median of one or two claims would be someone's amount.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from analytics.selectors.sums import percentile
from analytics.tables import Cell
from common.numbers import group_digits
from incidents.models import ClaimStatus, Incident, VictimCompensation

FILED, AWARDED, PAID = "filed", "awarded", "paid"
STAGES = (FILED, AWARDED, PAID)

Amounts = dict[tuple[str, int], int]  # (stage, whole tenge) -> claims


@dataclass
class CompensationStage:
    key: str
    count: Cell
    median: str  # tenge, grouped; "—" when hidden or none


@dataclass
class CompensationFigures:
    stages: list[CompensationStage]

    def stage(self, key: str) -> CompensationStage:
        return next(stage for stage in self.stages if stage.key == key)


def stage_key(stage: str) -> tuple[str, str]:
    """The suppressor's key of a stage's count (without the scope's prefix)."""
    return ("claims", stage)


def amounts_by_facility(incidents: QuerySet[Incident]) -> dict[int, Amounts]:
    """Per facility, the amount of each claim of the incidents and the stage it reached: claimed (filed), awarded,
    paid. One query."""
    rows = (
        VictimCompensation.objects.order_by()
        .filter(victim__incident__in=incidents)
        .exclude(claim_status=ClaimStatus.NOT_FILED)
        .values(
            "victim__incident__facility_id",
            "claim_status",
            "claimed_material",
            "claimed_moral",
            "awarded_material",
            "awarded_moral",
            "paid",
        )
        .annotate(n=Count("pk"))
    )
    by_facility: dict[int, Counter] = {}
    for row in rows:
        amounts = by_facility.setdefault(row["victim__incident__facility_id"], Counter())
        amounts[(FILED, (row["claimed_material"] or 0) + (row["claimed_moral"] or 0))] += row["n"]
        if row["claim_status"] == ClaimStatus.AWARDED:
            amounts[(AWARDED, (row["awarded_material"] or 0) + (row["awarded_moral"] or 0))] += row["n"]
            if row["paid"]:
                amounts[(PAID, row["paid"])] += row["n"]
    return {pk: dict(amounts) for pk, amounts in by_facility.items()}


def stage_count(amounts: Amounts, stage: str) -> int:
    return sum(n for (of, _amount), n in amounts.items() if of == stage)


def compensation_from(amounts: Amounts, cells: dict[tuple, Cell]) -> CompensationFigures:
    """The stages' suppressed counts (from the run's `cells`), each with its median where its count is shown."""
    stages = []
    for stage in STAGES:
        count = cells[stage_key(stage)]
        median = None
        if not count.hidden:
            median = percentile(Counter({amount: n for (of, amount), n in amounts.items() if of == stage}), 0.5)
        stages.append(CompensationStage(stage, count, "—" if median is None else group_digits(median)))
    return CompensationFigures(stages)
