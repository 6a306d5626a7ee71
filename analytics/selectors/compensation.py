"""Compensation of victims in aggregate: civil claims filed, awarded and paid, and their median amounts.

Read from the victims' compensation rows of the incidents that happened in the period (Almaty time), with the
dashboard's filters; cancelled reports count nowhere. The three counts nest (a claim is awarded only once filed,
and paid only once awarded), so they are suppressed as a chain, by the shared small-cell rules
(`analytics.suppression`). A median is shown only beside a count that is shown: a median of one or two claims
would be someone's amount.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from analytics.periods import local_midnight
from analytics.selectors.filters import Filters
from analytics.selectors.sums import percentile
from analytics.suppression import Suppressor
from analytics.tables import Cell
from common.numbers import group_digits
from incidents.models import ClaimStatus, Status, VictimCompensation

FILED, AWARDED, PAID = "filed", "awarded", "paid"
STAGES = (FILED, AWARDED, PAID)


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


def compensation_amounts(filters: Filters) -> dict[str, list[int]]:
    """Per stage, the amount of each claim that reached it: claimed (filed), awarded, paid. Whole tenge."""
    rows = (
        VictimCompensation.objects.filter(filters.facility_q("victim__incident__facility__"))
        .filter(
            victim__incident__occurred_at__gte=local_midnight(filters.period.start),
            victim__incident__occurred_at__lt=local_midnight(filters.period.end),
        )
        .exclude(victim__incident__status=Status.CANCELLED)
        .exclude(claim_status=ClaimStatus.NOT_FILED)
        .values_list("claim_status", "claimed_material", "claimed_moral", "awarded_material", "awarded_moral", "paid")
    )
    amounts: dict[str, list[int]] = {stage: [] for stage in STAGES}
    for status, claimed_material, claimed_moral, awarded_material, awarded_moral, paid in rows:
        amounts[FILED].append((claimed_material or 0) + (claimed_moral or 0))
        if status == ClaimStatus.AWARDED:
            amounts[AWARDED].append((awarded_material or 0) + (awarded_moral or 0))
            if paid:
                amounts[PAID].append(paid)
    return amounts


def compensation_for(filters: Filters) -> CompensationFigures:
    """Claims filed, awarded and paid in the filtered period, each with its median amount, suppressed."""
    threshold = settings.QORGAU_STATS_MIN_CELL
    amounts = compensation_amounts(filters)
    suppressor = Suppressor(threshold)
    for stage in STAGES:
        suppressor.add(stage, len(amounts[stage]))
    suppressor.chain(STAGES)
    states = suppressor.run()
    stages = []
    for stage in STAGES:
        count = Cell(len(amounts[stage]), states.get(stage), threshold)
        median = percentile(Counter(amounts[stage]), 0.5) if not count.hidden else None
        stages.append(CompensationStage(stage, count, "—" if median is None else group_digits(median)))
    return CompensationFigures(stages)
