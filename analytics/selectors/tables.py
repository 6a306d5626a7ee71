"""Step 3 of the statistics: the table objects, with small-cell suppression.

The cells are read from the scope's lattice (`analytics.selectors.lattice`), where every figure of every
period offered was suppressed in one run; a table only picks its two periods' cells.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from analytics.models import MonthlyDuration
from analytics.periods import Period
from analytics.selectors.categories import Categories, stage_labels
from analytics.selectors.lattice import CANCELLED, INCIDENTS, VICTIMS, Lattice
from analytics.selectors.sums import COLUMNS, CURRENT, PREVIOUS, Key, percentile
from analytics.snapshot import STAGES
from analytics.tables import Cell, Row, Table, Timing

TABLE_TITLES = {
    "trend": gettext_noop("Incidents per period"),
    "funnel": gettext_noop("Outcome: how far the cases got"),
    "part": gettext_noop("By Article 380-3 part"),
    "act": gettext_noop("By act"),
    "profession": gettext_noop("Victims by profession"),
    "kind": gettext_noop("By facility kind"),
    "district": gettext_noop("By district"),
    "facility": gettext_noop("By facility"),
    "place": gettext_noop("By place in or outside the facility"),
}
"""Each table's title, untranslated: the PDF writes it in a second language too."""


def incidents_key(period: Period) -> Key:
    """The incidents of a period: the same cell in the headline, the totals and the trend table."""
    return ("period", period.key)


def victims_key(column: str) -> Key:
    return ("victims", column)


def cancelled_key(column: str) -> Key:
    return ("cancelled", column)


def cells_from_lattice(lattice: Lattice, categories: Categories, periods: dict[str, Period], trend: list[Period]):
    """The cells the tables show, read from the scope's suppressed lattice under the tables' keys."""
    values: dict[Key, int] = {}
    states: dict[Key, str] = {}

    def take(key: Key, line: tuple, period: Period) -> None:
        values[key] = lattice.value(line, period)
        state = lattice.state(line, period)
        if state is not None:
            states[key] = state

    lines: list[tuple] = [
        *[("part", value) for value, _label in categories.parts],
        *[("act", value) for value, _label in categories.acts],
        *[("place", value) for value, _label in categories.places],
        *[("profession", value) for value, _label in categories.professions],
        *[("district", district.pk) for district in categories.districts],
        *[("kind", kind) for kind, _label in categories.kinds],
        *[("facility", facility.pk) for facility in categories.facilities],
        *[("stage", stage) for stage in STAGES],
    ]
    for column in COLUMNS:
        period = periods[column]
        take(incidents_key(period), INCIDENTS, period)
        take(victims_key(column), VICTIMS, period)
        take(cancelled_key(column), CANCELLED, period)
        for line in lines:
            take((*line, column), line, period)
    for period in trend:
        for shown in (period, period.year_earlier()):
            take(incidents_key(shown), INCIDENTS, shown)
    return SuppressedCells(values, states, lattice.threshold)


@dataclass
class SuppressedCells:
    values: dict[Key, int]
    states: dict[Key, str]
    threshold: int

    def cell(self, key: Key) -> Cell:
        return Cell(self.values[key], self.states.get(key), self.threshold)

    def row(self, label: str, current: Key, previous: Key, *, is_total: bool = False, code: str = "") -> Row:
        return Row(label, self.cell(current), self.cell(previous), is_total, code=code)


@dataclass
class Headline:
    incidents: Row
    victims: Row
    cancelled: Row


def headline_for(cells: SuppressedCells, periods: dict[str, Period]) -> Headline:
    return Headline(
        incidents=cells.row(
            _("Incidents"),
            incidents_key(periods[CURRENT]),
            incidents_key(periods[PREVIOUS]),
            is_total=True,
            code="total",
        ),
        victims=cells.row(_("Victims"), victims_key(CURRENT), victims_key(PREVIOUS), is_total=True, code="total"),
        cancelled=cells.row(
            _("Cancelled reports (not counted)"), cancelled_key(CURRENT), cancelled_key(PREVIOUS), code="cancelled"
        ),
    )


def breakdown_table(
    cells: SuppressedCells,
    periods: dict[str, Period],
    key: str,
    title: str,
    labels: list[tuple],
    total: Row,
    unit: str = "incidents",
    codes: dict | None = None,
) -> Table:
    """One row per category, then the total row it adds up to; `codes` names a category for machines when its
    value is a row id (a district's or facility's code)."""
    codes = codes or {}
    rows = [
        cells.row(str(label), (key, value, CURRENT), (key, value, PREVIOUS), code=str(codes.get(value, value)))
        for value, label in labels
    ]
    return Table(key, title, unit, [*rows, total], periods[CURRENT].label, periods[PREVIOUS].label)


def trend_table(cells: SuppressedCells, trend: list[Period]) -> Table:
    """Incidents per period, each beside the same period a year earlier; each row names its own periods."""
    rows = [
        Row(
            period.label,
            cells.cell(incidents_key(period)),
            cells.cell(incidents_key(period.year_earlier())),
            current_period=period.label,
            previous_period=period.year_earlier().label,
            code="incidents",
        )
        for period in trend
    ]
    return Table("trend", _(TABLE_TITLES["trend"]), "incidents", rows, _("incidents"), _("a year earlier"))


def funnel_table(cells: SuppressedCells, periods: dict[str, Period]) -> Table:
    """How far the cases got: "reported" is every counted incident, then each stage reached."""
    rows = []
    for stage, label in stage_labels():
        if stage == "reported":
            keys = (incidents_key(periods[CURRENT]), incidents_key(periods[PREVIOUS]))
        else:
            keys = (("stage", stage, CURRENT), ("stage", stage, PREVIOUS))
        rows.append(cells.row(str(label), *keys, code=stage))
    return Table(
        "funnel",
        _(TABLE_TITLES["funnel"]),
        "incidents",
        rows,
        periods[CURRENT].label,
        periods[PREVIOUS].label,
    )


def tables_for(
    cells: SuppressedCells, categories: Categories, periods: dict[str, Period], trend: list[Period], headline: Headline
) -> list[Table]:
    """Every table of the dashboard, in the order shown."""
    incidents = headline.incidents
    districts = [(district.pk, district.name) for district in categories.districts]
    facilities = [(facility.pk, facility.name) for facility in categories.facilities]
    return [
        trend_table(cells, trend),
        breakdown_table(cells, periods, "part", _(TABLE_TITLES["part"]), categories.parts, incidents),
        breakdown_table(cells, periods, "act", _(TABLE_TITLES["act"]), categories.acts, incidents),
        breakdown_table(
            cells,
            periods,
            "profession",
            _(TABLE_TITLES["profession"]),
            categories.professions,
            headline.victims,
            unit="victims",
        ),
        breakdown_table(cells, periods, "kind", _(TABLE_TITLES["kind"]), categories.kinds, incidents),
        breakdown_table(
            cells,
            periods,
            "district",
            _(TABLE_TITLES["district"]),
            districts,
            incidents,
            codes={district.pk: district.code for district in categories.districts},
        ),
        breakdown_table(
            cells,
            periods,
            "facility",
            _(TABLE_TITLES["facility"]),
            facilities,
            incidents,
            codes={facility.pk: facility.code for facility in categories.facilities},
        ),
        breakdown_table(cells, periods, "place", _(TABLE_TITLES["place"]), categories.places, incidents),
        funnel_table(cells, periods),
    ]


def format_minutes(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)s min") % {"m": rest}
    return _("%(h)s h %(m)02d min") % {"h": hours, "m": rest}


def format_days(days: int | None) -> str:
    return "—" if days is None else _("%(d)s d") % {"d": days}


def timings_for(cells: SuppressedCells, histograms: dict[tuple[str, str], dict[int, int]]) -> list[Timing]:
    """Median and 90th percentile of the time to each stage; none where the number of cases is hidden."""
    metrics = (
        (MonthlyDuration.Metric.ACK_MINUTES, "acknowledged", _("Report to acknowledgement"), format_minutes),
        (MonthlyDuration.Metric.ERDR_DAYS, "registered", _("Report to ERDR registration"), format_days),
    )
    timings = []
    for metric, stage, label, fmt in metrics:
        parts, values = {}, {}
        for column in COLUMNS:
            count = cells.cell(("stage", stage, column))
            histogram = histograms.get((metric, column), {})
            if count.hidden or not count.value:
                parts[column], values[column] = ("—", "—", count), (None, None)
            else:
                values[column] = (percentile(histogram, 0.5), percentile(histogram, 0.9))
                parts[column] = (fmt(values[column][0]), fmt(values[column][1]), count)
        timings.append(Timing(label, metric, parts[CURRENT], parts[PREVIOUS], values[CURRENT], values[PREVIOUS]))
    return timings
