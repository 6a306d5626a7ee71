"""The dashboard's presentation figures beyond the tables: the 24-month trend by act, the weekday × hour heat map,
refusals and "no offence" by part, the attackers, and the victims' compensation claims (`compensation.py`).

The trend is read from the scope's suppressed lattice (`lattice.py`): its months and acts are lattice lines, so they
are hidden exactly as the tables' figures of the same windows are. The heat map, the refusals, the attackers and the
claims are counted from the incidents (the snapshot keeps no hour of the day, nor claims), submitted by the
snapshot's cut-off, and cached per cut-off and filters. They are published for whole calendar years only
(`details_year`: the period's year once it is over, else the last year that is), because whole years never overlap:
a heat map of a quarter next to those of its months could be subtracted to give a hidden cell away (issue 10). They
are suppressed in a second run tied to the lattice: the heat map adds up to the year's incidents, whose state the
lattice decided (hidden there, hidden here; shown there, and the heat map must protect its cells with the total
known).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from analytics.models import Snapshot
from analytics.periods import MONTH, YEAR, Period, add_months, local_midnight, local_zone, published_before
from analytics.selectors.compensation import (
    STAGES,
    Amounts,
    CompensationFigures,
    amounts_by_facility,
    compensation_from,
    stage_count,
    stage_key,
)
from analytics.selectors.filters import Filters
from analytics.selectors.lattice import INCIDENTS, Lattice, Scope, scope_groups
from analytics.selectors.sums import COLUMNS, Key
from analytics.snapshot import ACT_VALUES, part_value
from analytics.suppression import SECONDARY, Suppressor
from analytics.tables import Cell, Row, Table
from facilities.models import Facility
from incidents.models import Attacker, AttackerRelation, Incident, Outcome, Status

TREND_MONTHS = 24
WEEKDAYS = tuple(range(1, 8))  # ISO: Monday 1 … Sunday 7
HOURS = tuple(range(24))
REFUSALS = (Outcome.REFUSED.value, Outcome.NO_OFFENCE.value)
ATTACKER_VALUES = tuple(AttackerRelation.values)
INTOXICATION_VALUES = ("yes", "no")
ATTACKER_TITLES = {
    "attacker": gettext_noop("Attackers by who they were"),
    "intoxication": gettext_noop("Attackers by intoxication"),
}


@dataclass
class DetailCounts:
    """Raw counts (before suppression): the trend's months, and the live counts of the year `year`."""

    months: list[dt.date]
    year: Period
    heat: dict[tuple[int, int], int]  # (ISO weekday, hour) -> incidents
    refusals: dict[tuple[str, str], int]  # (outcome, part value) -> incidents
    attackers: dict[Key, int] = field(default_factory=dict)  # ("attacker" | "intoxication", value, column) -> n
    compensation: Amounts = field(default_factory=dict)  # (stage, tenge) -> claims


def trend_months(period: Period, today: dt.date | None = None) -> list[dt.date]:
    """The 24 months ending with the period's last month, or with the last month over (the month under way is in no
    figure), oldest first."""
    last_over = add_months(published_before(today), -1)
    last = min(add_months(period.end, -1), last_over)
    return [add_months(last, -i) for i in range(TREND_MONTHS - 1, -1, -1)]


def _incidents_of(filters: Filters, period: Period, cutoff: dt.datetime | None) -> QuerySet[Incident]:
    """The counted incidents of a period (Almaty time) with the filters, submitted by the cut-off."""
    incidents = Incident.objects.order_by().filter(
        filters.facility_q("facility__"),
        occurred_at__gte=local_midnight(period.start),
        occurred_at__lt=local_midnight(period.end),
    )
    incidents = incidents.exclude(status=Status.CANCELLED)
    if cutoff is not None:
        incidents = incidents.filter(submitted_at__lte=cutoff)
    return incidents


def details_year(period: Period, today: dt.date | None = None) -> Period:
    """The whole calendar year whose heat map, refusals and attackers go with `period`: the year of its last month
    when that year is over, else the last year that is."""
    year = add_months(period.end, -1).year
    if dt.date(year + 1, 1, 1) > published_before(today):
        year -= 1
    return Period(dt.date(year, 1, 1), YEAR)


LiveCounts = tuple[dict, dict, dict, dict]  # heat map, refusals, attackers, claims' amounts


def _live_counts(filters: Filters, year: Period, cutoff: dt.datetime | None) -> LiveCounts:
    """The heat map, the refusals by part and the attackers of `year` of a facility lead's facilities, counted from the
    incidents (see the module's docstring). Not the claims: her statistics show none, so none are read or cached."""
    return _summed(_live_counts_by_facility(filters, year, cutoff, with_claims=False).values())


def _summed(counts: Iterable[LiveCounts]) -> LiveCounts:
    """Facilities' heat maps, refusals, attackers and claims added up (a scope's)."""
    totals: LiveCounts = (defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int))
    for facility in counts:
        for total, part in zip(totals, facility, strict=True):
            for key, n in part.items():
                total[key] += n
    return dict(totals[0]), dict(totals[1]), dict(totals[2]), dict(totals[3])


def _live_counts_by_facility(
    filters: Filters, year: Period, cutoff: dt.datetime | None, *, with_claims: bool = True
) -> dict[int, LiveCounts]:
    """The heat map, refusals, attackers and claims of `year` of each facility the filters take (five queries,
    whatever the number of facilities): a scope's are its facilities' sums."""
    incidents = _incidents_of(filters, year, cutoff)
    zone = local_zone()
    by_facility: dict[int, LiveCounts] = defaultdict(
        lambda: (defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int))
    )
    rows = (
        incidents.annotate(
            day=ExtractIsoWeekDay("occurred_at", tzinfo=zone), hour=ExtractHour("occurred_at", tzinfo=zone)
        )
        .values("facility_id", "day", "hour")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_facility[row["facility_id"]][0][(row["day"], row["hour"])] += row["n"]
    for row in (
        incidents.filter(outcome__in=REFUSALS)
        .values("facility_id", "outcome", "legal_applicable", "legal_part")
        .annotate(n=Count("pk"))
    ):
        key = (row["outcome"], part_value(row["legal_applicable"], row["legal_part"]))
        by_facility[row["facility_id"]][1][key] += row["n"]
    for column, period in {"cur": year, "prev": year.year_earlier()}.items():
        for row in (
            Attacker.objects.order_by()
            .filter(incident__in=_incidents_of(filters, period, cutoff))
            .values("incident__facility_id", "relation", "intoxicated")
            .annotate(n=Count("pk"))
        ):
            counts = by_facility[row["incident__facility_id"]][2]
            counts[("attacker", row["relation"], column)] += row["n"]
            counts[("intoxication", "yes" if row["intoxicated"] else "no", column)] += row["n"]
    for pk, amounts in (amounts_by_facility(incidents) if with_claims else {}).items():
        by_facility[pk][3].update(amounts)
    return {
        pk: (dict(heat), dict(refusals), dict(attackers), dict(claims))
        for pk, (heat, refusals, attackers, claims) in by_facility.items()
    }


def public_detail_cells(
    filters: Filters, lattices: dict[Scope, Lattice], parts: list[str], snapshot: Snapshot | None
) -> tuple[DetailCounts, dict[Key, Cell]]:
    """The filters' scope's counts and cells of the details, from the one run over every public scope
    (`suppress_public_details`), computed once per cut-off, year and threshold and cached."""
    year = details_year(filters.period)
    scope: Scope = (filters.district.pk if filters.district else None, filters.facility_kind)
    threshold = lattices[(None, "")].threshold
    key = f"analytics:public-details:v2:{snapshot.cutoff.timestamp() if snapshot else 'now'}:{year.key}:{threshold}"
    found = cache.get(key) if snapshot is not None else None
    if found is None:
        live = _live_counts_by_facility(Filters(period=year), year, snapshot.cutoff if snapshot else None)
        facilities = {f.pk: f for f in Facility.objects.filter(pk__in=list(live))}
        members = {
            scope_: [
                pk for pk, f in facilities.items() if scope_[0] in (None, f.district_id) and scope_[1] in ("", f.kind)
            ]
            for scope_ in lattices
        }
        counts = {scope_: DetailCounts([], year, *_summed(live[pk] for pk in pks)) for scope_, pks in members.items()}
        groups = [
            [(district, "") for district in sorted({d for d, _k in pairs})]
            + [(None, kind) for kind in sorted({k for _d, k in pairs})]
            for pairs in scope_groups(facilities.values())
        ]
        found = (counts, suppress_public_details(lattices, counts, parts, groups))
        if snapshot is not None:
            cache.set(key, found, timeout=2 * settings.QORGAU_STATS_REFRESH_SECONDS)
    counts, cells = found
    mine = counts[scope]
    months = trend_months(filters.period)
    return DetailCounts(months, year, mine.heat, mine.refusals, mine.attackers, mine.compensation), cells[scope]


def _cache_key(filters: Filters, year: Period, cutoff: dt.datetime) -> str:
    own = ",".join(str(pk) for pk in sorted(filters.own_facility_ids)) if filters.own_facility_ids is not None else "*"
    district = filters.district.pk if filters.district else ""
    stamp = cutoff.timestamp()
    return f"analytics:details:v2:{stamp}:{year.key}:{district}:{filters.facility_kind}:{own}"


def detail_counts(filters: Filters, snapshot: Snapshot | None) -> DetailCounts:
    """The raw counts of the presentation figures for the filters (the trend's months; the live counts of the year
    that goes with the period)."""
    year = details_year(filters.period)
    if snapshot is None:  # no snapshot to key the cache by: count now
        live = _live_counts(filters, year, None)
    else:
        key = _cache_key(filters, year, snapshot.cutoff)
        live = cache.get(key)
        if live is None:
            live = _live_counts(filters, year, snapshot.cutoff)
            cache.set(key, live, timeout=2 * settings.QORGAU_STATS_REFRESH_SECONDS)
    return DetailCounts(trend_months(filters.period), year, *live)


def heat_key(day: int, hour: int) -> Key:
    return ("heat", day, hour)


HEAT_TOTAL: Key = ("heat-total",)
# The tables counted for the details' whole year and the year before, not for the period asked for.
YEAR_TABLES = frozenset({"attacker", "intoxication"})


def suppress_details(lattice: Lattice, counts: DetailCounts, parts: list[str]) -> dict[Key, Cell]:
    """The live counts of the year of one scope, suppressed in one run tied to its lattice (a facility lead's)."""
    suppressor = Suppressor(lattice.threshold)
    anchor = _register_details(suppressor, (), lattice, counts, parts)
    states = suppressor.run()
    return _cells(suppressor, (), anchor, states)


def suppress_public_details(
    lattices: dict[Scope, Lattice], counts: dict[Scope, DetailCounts], parts: list[str], groups: list[list[Scope]]
) -> dict[Scope, dict[Key, Cell]]:
    """The live counts of the year of all of Almaty, each district and each kind, in one run (issue 10): each
    scope's tables tied to its lattice, and Almaty's every cell the sum of the districts' and of the kinds'. `groups`:
    the districts and kinds that add up to the same facilities (each as a list of district scopes, then kind scopes);
    their sums, published by nobody, are registered as such."""
    threshold = lattices[(None, "")].threshold
    suppressor = Suppressor(threshold)
    anchors = {scope: _register_details(suppressor, scope, lattices[scope], counts[scope], parts) for scope in lattices}
    keys = [key[2:] for key in suppressor.values if key[:2] == (None, "")]
    districts = [scope for scope in lattices if scope[0] is not None]
    kinds = [scope for scope in lattices if scope[1]]
    for key in keys:
        for parts_of in (districts, kinds):
            suppressor.line((None, "", *key), [(*scope, *key) for scope in parts_of])
        if len(groups) > 1:
            for number, group in enumerate(groups):
                total = ("group", number, *key)
                suppressor.unpublished(total, sum(suppressor.values[(*scope, *key)] for scope in group if scope[0]))
                for side in ([scope for scope in group if scope[0]], [scope for scope in group if scope[1]]):
                    suppressor.line(total, [(*scope, *key) for scope in side])
    states = suppressor.run()
    return {scope: _cells(suppressor, scope, anchors[scope], states) for scope in lattices}


@dataclass
class _Anchor:
    anchored: bool  # the heat map adds up to the lattice's figure of the year
    hidden: bool  # and the lattice hid it
    heat_keys: list[Key]


def _register_details(suppressor: Suppressor, prefix: tuple, lattice: Lattice, counts: DetailCounts, parts: list[str]):
    """Add one scope's heat map, refusals and attackers (keys prefixed with `prefix`) and their lines."""

    def add(key: Key, value: int) -> None:
        suppressor.add((*prefix, *key), value)

    def line(total: Key, cells: list[Key]) -> None:
        suppressor.line((*prefix, *total), [(*prefix, *cell) for cell in cells])

    heat_total = sum(counts.heat.values())
    # The heat map adds up to the year's incidents: the lattice's figure when the counts agree (they do unless a
    # report changed after the cut-off), whose state the lattice decided.
    anchored = lattice.value(INCIDENTS, counts.year) == heat_total
    anchored_hidden = anchored and lattice.state(INCIDENTS, counts.year) is not None
    add(HEAT_TOTAL, heat_total)
    heat_keys = [HEAT_TOTAL]
    for day in WEEKDAYS:
        for hour in HOURS:
            add(heat_key(day, hour), counts.heat.get((day, hour), 0))
            heat_keys.append(heat_key(day, hour))
    for day in WEEKDAYS:
        add(("heat-day", day), sum(counts.heat.get((day, hour), 0) for hour in HOURS))
        line(("heat-day", day), [heat_key(day, hour) for hour in HOURS])
        heat_keys.append(("heat-day", day))
    for hour in HOURS:
        add(("heat-hour", hour), sum(counts.heat.get((day, hour), 0) for day in WEEKDAYS))
        line(("heat-hour", hour), [heat_key(day, hour) for day in WEEKDAYS])
        heat_keys.append(("heat-hour", hour))
    line(HEAT_TOTAL, [("heat-day", day) for day in WEEKDAYS])
    line(HEAT_TOTAL, [("heat-hour", hour) for hour in HOURS])
    for outcome in REFUSALS:
        cells = []
        for part in parts:
            add(("refusal", outcome, part), counts.refusals.get((outcome, part), 0))
            cells.append(("refusal", outcome, part))
        add(("refusal-total", outcome), sum(counts.refusals.get((outcome, part), 0) for part in parts))
        line(("refusal-total", outcome), cells)
    for column in COLUMNS:
        total_key = ("attackers", column)
        add(
            total_key, sum(n for (kind, _v, col), n in counts.attackers.items() if kind == "attacker" and col == column)
        )
        for dimension, values in (("attacker", ATTACKER_VALUES), ("intoxication", INTOXICATION_VALUES)):
            for value in values:
                add((dimension, value, column), counts.attackers.get((dimension, value, column), 0))
            line(total_key, [(dimension, value, column) for value in values])
    for stage in STAGES:
        add(stage_key(stage), stage_count(counts.compensation, stage))
    suppressor.chain([(*prefix, *stage_key(stage)) for stage in STAGES])
    if anchored_hidden:
        suppressor.states[(*prefix, *HEAT_TOTAL)] = (
            SECONDARY  # hidden by the lattice: the heat map must not give it back
        )
    return _Anchor(anchored, anchored_hidden, heat_keys)


def _cells(suppressor: Suppressor, prefix: tuple, anchor: _Anchor, states: dict) -> dict[Key, Cell]:
    """One scope's cells after the run (keys without the prefix)."""
    size = len(prefix)
    mine = {key[size:]: state for key, state in states.items() if key[:size] == prefix}
    total = HEAT_TOTAL
    if anchor.hidden:
        mine[total] = mine.get(total, SECONDARY)  # hidden here as there, whatever the run concluded
    elif anchor.anchored and total in mine:
        # The year's incidents are published by the lattice, yet this run could protect the heat map only by hiding
        # them: with the total known, nothing of the heat map is safe to show.
        mine.update({key: mine.get(key, SECONDARY) for key in anchor.heat_keys})
    threshold = suppressor.threshold
    return {
        key[size:]: Cell(value, mine.get(key[size:]), threshold)
        for key, value in suppressor.values.items()
        if key[:size] == prefix
    }


def trend_cells(lattice: Lattice, months: list[dt.date]) -> tuple[list[Cell], list["TrendSeries"]]:
    """The trend's month totals and act series, read from the lattice (hidden as the tables' same windows are)."""

    def cell(line: tuple, month: dt.date) -> Cell:
        period = Period(month, MONTH)
        return Cell(lattice.value(line, period), lattice.state(line, period), lattice.threshold)

    totals = [cell(INCIDENTS, month) for month in months]
    series = [
        TrendSeries(act, label, [cell(("act", act), month) for month in months]) for act, label in act_series_labels()
    ]
    return totals, series


@dataclass
class TrendSeries:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Details:
    """The presentation figures, suppressed."""

    months: list[dt.date]
    month_totals: list[Cell]
    year: Period  # the whole year the heat map and the refusals count
    trend: list[TrendSeries]
    heat: dict[tuple[int, int], Cell]
    heat_days: dict[int, Cell]
    heat_hours: dict[int, Cell]
    heat_total: Cell
    refusals: list[tuple[str, str, list[tuple[str, Cell]], Cell]] = field(default_factory=list)  # key, label, parts
    compensation: CompensationFigures | None = None  # the victims' claims of the year (not in a lead's statistics)

    @property
    def weekdays(self) -> list[tuple[int, str]]:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        return list(zip(WEEKDAYS, names, strict=True))

    @property
    def hours(self) -> tuple[int, ...]:
        return HOURS

    def heat_rows(self) -> list[tuple[str, list[Cell], Cell]]:
        """(weekday name, its 24 cells, its sum) for the heat map's table."""
        return [(name, [self.heat[(day, hour)] for hour in HOURS], self.heat_days[day]) for day, name in self.weekdays]

    def trend_rows(self) -> list[tuple[dt.date, list[Cell], Cell]]:
        """(month, one cell per series, its total) for the trend's table."""
        return [
            (month, [series.cells[index] for series in self.trend], self.month_totals[index])
            for index, month in enumerate(self.months)
        ]


def act_series_labels() -> list[tuple[str, str]]:
    names = {
        "threat": _("threat"),
        "violence_not_dangerous": _("violence"),
        "violence_dangerous": _("dangerous violence"),
        "violence_unclassified": _("danger not established"),
    }
    return [(act, names[act]) for act in ACT_VALUES]


def details_from(
    lattice: Lattice,
    counts: DetailCounts,
    part_labels: list[tuple[str, str]],
    *,
    with_parts: bool = True,
    cells: dict[Key, Cell] | None = None,
) -> tuple[Details, dict[Key, Cell]]:
    """The suppressed presentation figures, and the year's cells (for the attacker tables); without the refusals by
    part and the compensation claims when `with_parts` is false (a facility lead's statistics leave the police's
    part out, as the tables do, and her claims are on her cases)."""
    outcome_labels = {
        Outcome.REFUSED.value: _("refused to start proceedings"),
        Outcome.NO_OFFENCE.value: _("no offence found"),
    }
    if cells is None:  # not suppressed with the public scopes: on its own (a facility lead's)
        cells = suppress_details(lattice, counts, [part for part, _label in part_labels])
    month_totals, trend = trend_cells(lattice, counts.months)
    details = Details(
        months=counts.months,
        month_totals=month_totals,
        trend=trend,
        year=counts.year,
        heat={(day, hour): cells[heat_key(day, hour)] for day in WEEKDAYS for hour in HOURS},
        heat_days={day: cells[("heat-day", day)] for day in WEEKDAYS},
        heat_hours={hour: cells[("heat-hour", hour)] for hour in HOURS},
        heat_total=cells[HEAT_TOTAL],
        refusals=[
            (
                outcome,
                outcome_labels[outcome],
                [(label, cells[("refusal", outcome, part)]) for part, label in part_labels],
                cells[("refusal-total", outcome)],
            )
            for outcome in REFUSALS
            if with_parts
        ],
        compensation=compensation_from(counts.compensation, cells) if with_parts else None,
    )
    return details, cells


def attacker_tables(cells: dict[Key, Cell], year: Period) -> list[Table]:
    """Attackers by who they were and by intoxication, each with the attackers' total, as breakdown tables of the
    details' year and the year before (see the module's docstring)."""
    periods = {"cur": year, "prev": year.year_earlier()}
    relations = dict(AttackerRelation.choices)
    labels = {
        "attacker": [(value, str(relations[value])) for value in ATTACKER_VALUES],
        "intoxication": [("yes", _("appeared intoxicated")), ("no", _("not noticed as intoxicated"))],
    }
    total = Row(_("Attackers"), cells[("attackers", "cur")], cells[("attackers", "prev")], True, code="total")
    return [
        Table(
            dimension,
            _(ATTACKER_TITLES[dimension]),
            "attackers",
            [
                Row(label, cells[(dimension, value, "cur")], cells[(dimension, value, "prev")], code=value)
                for value, label in labels[dimension]
            ]
            + [total],
            periods["cur"].label,
            periods["prev"].label,
        )
        for dimension in ("attacker", "intoxication")
    ]
