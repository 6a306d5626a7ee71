"""Step 3 of the statistics: the table objects, with small-cell suppression.

Every published figure is registered with the suppressor under its key, together with the lines (a total
and the cells that add up to it) and chains (the funnel) that could give a hidden one away; the tables are
then made of the suppressed cells. Keep the order in which lines are registered: it decides which cell is
hidden second when several could be, so changing it changes the published tables.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.models import MonthlyDuration
from analytics.periods import Period
from analytics.selectors.categories import Categories, stage_labels
from analytics.selectors.sums import COLUMNS, CURRENT, PREVIOUS, Key, Sums, percentile
from analytics.snapshot import STAGES
from analytics.suppression import Suppressor
from analytics.tables import Cell, Row, Table, Timing


def incidents_key(period: Period) -> Key:
    """The incidents of a period: the same cell in the headline, the totals and the trend table."""
    return ("period", period.key)


def victims_key(column: str) -> Key:
    return ("victims", column)


def cancelled_key(column: str) -> Key:
    return ("cancelled", column)


def register_line(suppressor: Suppressor, sums: Sums, dimension: str, values: list, column: str, total: Key) -> None:
    """Register the cells of one breakdown, and the line that says they add up to `total`."""
    keys = [(dimension, value, column) for value in values]
    for key in keys:
        suppressor.add(key, sums.counts[key])
    suppressor.line(total, keys)


def register_column(suppressor: Suppressor, sums: Sums, categories: Categories, column: str, total: Key) -> None:
    """Every breakdown of one period, the facilities within each district and kind, and the funnel."""
    register_line(suppressor, sums, "part", [value for value, _label in categories.parts], column, total)
    register_line(suppressor, sums, "act", [value for value, _label in categories.acts], column, total)
    register_line(suppressor, sums, "place", [value for value, _label in categories.places], column, total)
    professions = [value for value, _label in categories.professions]
    register_line(suppressor, sums, "profession", professions, column, victims_key(column))
    register_line(suppressor, sums, "district", [district.pk for district in categories.districts], column, total)
    register_line(suppressor, sums, "kind", [kind for kind, _label in categories.kinds], column, total)
    register_line(suppressor, sums, "facility", [facility.pk for facility in categories.facilities], column, total)
    for district in categories.districts:
        suppressor.line(
            ("district", district.pk, column),
            [("facility", facility.pk, column) for facility in categories.facilities_of_district(district)],
        )
    for kind, _label in categories.kinds:
        suppressor.line(
            ("kind", kind, column),
            [("facility", facility.pk, column) for facility in categories.facilities_of_kind(kind)],
        )
    for stage in STAGES:
        suppressor.add(("stage", stage, column), sums.counts[("stage", stage, column)])
    suppressor.chain([total, *[("stage", stage, column) for stage in STAGES]])


def suppressor_for(
    sums: Sums, categories: Categories, periods: dict[str, Period], trend: list[Period], threshold: int
) -> Suppressor:
    """A suppressor holding every figure the tables publish, ready to run."""
    suppressor = Suppressor(threshold)
    for column in COLUMNS:
        suppressor.add(incidents_key(periods[column]), sums.counts[("incidents", "", column)])
        suppressor.add(cancelled_key(column), sums.counts[("cancelled", "", column)])
        suppressor.add(victims_key(column), sums.victims(column))
    for period in trend:
        for shown in (period, period.year_earlier()):
            suppressor.add(incidents_key(shown), sums.period_total(shown))
    for column in COLUMNS:
        register_column(suppressor, sums, categories, column, incidents_key(periods[column]))
    return suppressor


@dataclass
class SuppressedCells:
    values: dict[Key, int]
    states: dict[Key, str]
    threshold: int

    def cell(self, key: Key) -> Cell:
        return Cell(self.values[key], self.states.get(key), self.threshold)

    def row(self, label: str, current: Key, previous: Key, *, is_total: bool = False) -> Row:
        return Row(label, self.cell(current), self.cell(previous), is_total)


def suppress(suppressor: Suppressor) -> SuppressedCells:
    states = suppressor.run()
    return SuppressedCells(suppressor.values, states, suppressor.threshold)


@dataclass
class Headline:
    incidents: Row
    victims: Row
    cancelled: Row


def headline_for(cells: SuppressedCells, periods: dict[str, Period]) -> Headline:
    return Headline(
        incidents=cells.row(
            _("Incidents"), incidents_key(periods[CURRENT]), incidents_key(periods[PREVIOUS]), is_total=True
        ),
        victims=cells.row(_("Victims"), victims_key(CURRENT), victims_key(PREVIOUS), is_total=True),
        cancelled=cells.row(_("Cancelled reports (not counted)"), cancelled_key(CURRENT), cancelled_key(PREVIOUS)),
    )


def breakdown_table(
    cells: SuppressedCells,
    periods: dict[str, Period],
    key: str,
    title: str,
    labels: list[tuple],
    total: Row,
    unit: str = "incidents",
) -> Table:
    """One row per category, then the total row it adds up to."""
    rows = [cells.row(str(label), (key, value, CURRENT), (key, value, PREVIOUS)) for value, label in labels]
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
        )
        for period in trend
    ]
    return Table("trend", _("Incidents per period"), "incidents", rows, _("incidents"), _("a year earlier"))


def funnel_table(cells: SuppressedCells, periods: dict[str, Period]) -> Table:
    """How far the cases got: "reported" is every counted incident, then each stage reached."""
    rows = []
    for stage, label in stage_labels():
        if stage == "reported":
            keys = (incidents_key(periods[CURRENT]), incidents_key(periods[PREVIOUS]))
        else:
            keys = (("stage", stage, CURRENT), ("stage", stage, PREVIOUS))
        rows.append(cells.row(str(label), *keys))
    return Table(
        "funnel",
        _("Outcome: how far the cases got"),
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
        breakdown_table(cells, periods, "part", _("By Article 380-3 part"), categories.parts, incidents),
        breakdown_table(cells, periods, "act", _("By act"), categories.acts, incidents),
        breakdown_table(
            cells,
            periods,
            "profession",
            _("Victims by profession"),
            categories.professions,
            headline.victims,
            unit="victims",
        ),
        breakdown_table(cells, periods, "kind", _("By facility kind"), categories.kinds, incidents),
        breakdown_table(cells, periods, "district", _("By district"), districts, incidents),
        breakdown_table(cells, periods, "facility", _("By facility"), facilities, incidents),
        breakdown_table(
            cells, periods, "place", _("By place in or outside the facility"), categories.places, incidents
        ),
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
