"""The statistics as tables, read from the snapshot, with small-cell suppression applied.

Every output (dashboard, PDF, CSV, XLSX) is made from one `Statistics` object, so they show the same
figures and the same hidden cells.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Profession
from analytics import charts
from analytics.models import MonthlyCount, MonthlyDuration, Snapshot
from analytics.periods import Period
from analytics.snapshot import ACT_VALUES, PART_NONE, PART_PENDING, STAGES
from analytics.suppression import PRIMARY, Suppressor
from facilities.models import District, Facility, FacilityKind
from incidents.models import Place
from legal.statute import CURRENT as STATUTE

CURRENT, PREVIOUS = "cur", "prev"
PROFESSIONS = ("doctor", "resident", "nurse", "feldsher", "midwife", "paramedic", "ambulance_driver")
OTHER_PROFESSION = "other"


def profession_group(role: str) -> str:
    """The issue's eight victim categories: the seven protected professions, and everyone else."""
    return role if role in PROFESSIONS else OTHER_PROFESSION


@dataclass(frozen=True)
class Filters:
    period: Period
    district: District | None = None
    facility_kind: str = ""

    def facility_q(self, prefix: str = "facility__") -> Q:
        q = Q()
        if self.district is not None:
            q &= Q(**{f"{prefix}district": self.district})
        if self.facility_kind:
            q &= Q(**{f"{prefix}kind": self.facility_kind})
        return q

    def describe(self) -> list[tuple[str, str]]:
        kinds = dict(FacilityKind.choices)
        return [
            (_("Period"), self.period.label),
            (_("District"), self.district.name if self.district else _("all")),
            (_("Facility kind"), str(kinds.get(self.facility_kind, "")) if self.facility_kind else _("all")),
        ]


@dataclass
class Cell:
    value: int | None
    state: str | None = None
    threshold: int = 3

    @property
    def hidden(self) -> bool:
        return self.state is not None

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.state == PRIMARY:
            return f"<{self.threshold}"
        if self.state is not None:
            return "x"
        return str(self.value)

    @property
    def shown(self) -> int | None:
        """The number a chart or a spreadsheet may show: None when hidden."""
        return None if self.hidden else self.value


@dataclass
class Row:
    label: str
    current: Cell
    previous: Cell
    is_total: bool = False
    # A row that is itself a period (the trend table) names its own periods; others use the table's.
    current_period: str = ""
    previous_period: str = ""

    @property
    def change(self) -> str:
        if self.current.hidden or self.previous.hidden or self.current.value is None:
            return ""
        if not self.previous.value:
            return "—"
        percent = round(100 * (self.current.value - self.previous.value) / self.previous.value)
        return f"{percent:+d}%"


@dataclass
class Table:
    key: str
    title: str
    unit: str
    rows: list[Row]
    current_label: str
    previous_label: str
    chart: str = ""


@dataclass
class Timing:
    label: str
    unit: str
    current: tuple[str, str, Cell]  # median, p90, number of incidents
    previous: tuple[str, str, Cell]


@dataclass
class Statistics:
    filters: Filters
    snapshot: Snapshot | None
    threshold: int
    tables: list[Table] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    incidents: Row | None = None
    victims: Row | None = None
    cancelled: Row | None = None
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def headline(self) -> list[Row]:
        return [self.incidents, self.victims, self.cancelled]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the cases at or below it."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-int(fraction * total * 1000) // 1000))  # ceil without float error for .5 and .9
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover


def format_minutes(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)s min") % {"m": rest}
    return _("%(h)s h %(m)02d min") % {"h": hours, "m": rest}


def format_days(days: int | None) -> str:
    return "—" if days is None else _("%(d)s d") % {"d": days}


def _part_labels() -> list[tuple[str, str]]:
    labels = [(str(n), _("Part %(n)s") % {"n": n}) for n in sorted(STATUTE.parts)]
    return [*labels, (PART_NONE, _("Article 380-3 does not apply")), (PART_PENDING, _("not assessed yet"))]


def _act_labels() -> list[tuple[str, str]]:
    names = {
        "threat": _("threat"),
        "violence_not_dangerous": _("violence not dangerous to life or health"),
        "violence_dangerous": _("violence dangerous to life or health"),
        "violence_unclassified": _("violence, danger not established yet"),
    }
    return [(value, names[value]) for value in ACT_VALUES]


def _profession_labels() -> list[tuple[str, str]]:
    names = dict(Profession.choices)
    return [*[(value, str(names[value])) for value in PROFESSIONS], (OTHER_PROFESSION, _("other staff"))]


def _stage_labels() -> list[tuple[str, str]]:
    return [
        ("reported", _("reported")),
        ("acknowledged", _("acknowledged by the police")),
        ("registered", _("registered in the ERDR")),
        ("sent_to_court", _("sent to court")),
        ("closed", _("closed")),
    ]


def statistics_for(filters: Filters, *, snapshot: Snapshot | None = None) -> Statistics:
    """All the dashboard's figures for the filters, suppressed, with their charts."""
    threshold = settings.QORGAU_STATS_MIN_CELL
    current, previous = filters.period, filters.period.year_earlier()
    in_current = Q(month__gte=current.start, month__lt=current.end)
    in_previous = Q(month__gte=previous.start, month__lt=previous.end)
    scope = filters.facility_q()

    # 1. Counts per facility and value, current and year-earlier periods, in one grouped query.
    sums: dict[tuple, int] = defaultdict(int)
    facility_ids: set[int] = set()
    rows = (
        MonthlyCount.objects.filter(scope)
        .filter(in_current | in_previous)
        .values("facility_id", "dimension", "value")
        .annotate(cur=Sum("count", filter=in_current), prev=Sum("count", filter=in_previous))
    )
    for row in rows:
        dimension, value = row["dimension"], row["value"]
        if dimension == "profession":
            value = profession_group(value)
        for column in (CURRENT, PREVIOUS):
            n = row[column] or 0
            sums[(dimension, value, column)] += n
            if dimension == "incidents":
                sums[("facility", row["facility_id"], column)] += n
        if dimension == "incidents":
            facility_ids.add(row["facility_id"])

    # 2. Incidents per month over the trend window.
    trend = current.trend()
    first = trend[0].year_earlier().start
    per_month = dict(
        MonthlyCount.objects.filter(scope, dimension="incidents", month__gte=first, month__lt=current.end)
        .values_list("month")
        .annotate(n=Sum("count"))
        .values_list("month", "n")
    )

    def period_total(period: Period) -> int:
        return sum(n for month, n in per_month.items() if period.start <= month < period.end)

    # 3. Durations.
    histograms: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for row in (
        MonthlyDuration.objects.filter(scope)
        .filter(in_current | in_previous)
        .values("metric", "value")
        .annotate(cur=Sum("count", filter=in_current), prev=Sum("count", filter=in_previous))
    ):
        for column in (CURRENT, PREVIOUS):
            if row[column]:
                histograms[(row["metric"], column)][row["value"]] = row[column]

    facilities = {f.pk: f for f in Facility.objects.filter(pk__in=facility_ids).select_related("district")}
    districts = [filters.district] if filters.district else list(District.objects.all())
    for facility in facilities.values():
        if facility.district not in districts:
            districts.append(facility.district)
    kinds = [
        (k, str(label)) for k, label in FacilityKind.choices if not filters.facility_kind or k == filters.facility_kind
    ]

    # The suppression cells: every figure that is published, by key.
    suppressor = Suppressor(threshold)
    total = {CURRENT: ("period", current.key), PREVIOUS: ("period", previous.key)}
    victims_total = {column: ("victims", column) for column in (CURRENT, PREVIOUS)}
    for column in (CURRENT, PREVIOUS):
        suppressor.add(total[column], sums[("incidents", "", column)])
        suppressor.add(("cancelled", column), sums[("cancelled", "", column)])
        victims = sum(n for (dimension, _v, col), n in sums.items() if dimension == "profession" and col == column)
        suppressor.add(victims_total[column], victims)
    for period in trend:
        for p in (period, period.year_earlier()):
            suppressor.add(("period", p.key), period_total(p))

    def add_line(dimension: str, values: list, column: str, total_key) -> list:
        keys = []
        for value in values:
            key = (dimension, value, column)
            suppressor.add(key, sums[key])
            keys.append(key)
        suppressor.line(total_key, keys)
        return keys

    part_labels, act_labels, profession_labels = _part_labels(), _act_labels(), _profession_labels()
    place_labels = [(value, str(label)) for value, label in Place.choices]
    facility_order = sorted(facilities.values(), key=lambda f: (f.district.name, f.name))
    for column in (CURRENT, PREVIOUS):
        add_line("part", [v for v, _label in part_labels], column, total[column])
        add_line("act", [v for v, _label in act_labels], column, total[column])
        add_line("place", [v for v, _label in place_labels], column, total[column])
        add_line("profession", [v for v, _label in profession_labels], column, victims_total[column])
        for district in districts:
            sums[("district", district.pk, column)] = sum(
                sums[("facility", f.pk, column)] for f in facility_order if f.district_id == district.pk
            )
        for kind, _label in kinds:
            sums[("kind", kind, column)] = sum(
                sums[("facility", f.pk, column)] for f in facility_order if f.kind == kind
            )
        add_line("district", [d.pk for d in districts], column, total[column])
        add_line("kind", [k for k, _label in kinds], column, total[column])
        add_line("facility", [f.pk for f in facility_order], column, total[column])
        for district in districts:
            suppressor.line(
                ("district", district.pk, column),
                [("facility", f.pk, column) for f in facility_order if f.district_id == district.pk],
            )
        for kind, _label in kinds:
            suppressor.line(
                ("kind", kind, column), [("facility", f.pk, column) for f in facility_order if f.kind == kind]
            )
        for stage in STAGES:
            suppressor.add(("stage", stage, column), sums[("stage", stage, column)])
        suppressor.chain([total[column], *[("stage", stage, column) for stage in STAGES]])
    states = suppressor.run()

    def cell(key) -> Cell:
        return Cell(suppressor.values[key], states.get(key), threshold)

    def row(label: str, key_for, is_total: bool = False) -> Row:
        return Row(label, cell(key_for(CURRENT)), cell(key_for(PREVIOUS)), is_total)

    cur_label, prev_label = current.label, previous.label
    stats = Statistics(filters=filters, snapshot=snapshot, threshold=threshold)
    stats.incidents = row(_("Incidents"), lambda c: total[c], True)
    stats.victims = row(_("Victims"), lambda c: victims_total[c], True)
    stats.cancelled = row(_("Cancelled reports (not counted)"), lambda c: ("cancelled", c))

    def table(key: str, title: str, labels: list[tuple], unit: str = "incidents", with_total: bool = True) -> Table:
        rows = [row(str(label), lambda c, v=value: (key, v, c)) for value, label in labels]
        if with_total:
            rows.append(stats.victims if unit == "victims" else stats.incidents)
        return Table(key, title, unit, rows, cur_label, prev_label)

    trend_rows = [
        Row(
            p.label,
            cell(("period", p.key)),
            cell(("period", p.year_earlier().key)),
            current_period=p.label,
            previous_period=p.year_earlier().label,
        )
        for p in trend
    ]
    stats.tables = [
        Table("trend", _("Incidents per period"), "incidents", trend_rows, _("incidents"), _("a year earlier")),
        table("part", _("By Article 380-3 part"), part_labels),
        table("act", _("By act"), act_labels),
        table("profession", _("Victims by profession"), profession_labels, unit="victims"),
        table("kind", _("By facility kind"), kinds),
        table("district", _("By district"), [(d.pk, d.name) for d in districts]),
        table("facility", _("By facility"), [(f.pk, f.name) for f in facility_order]),
        table("place", _("By place in or outside the facility"), place_labels),
        Table(
            "funnel",
            _("Outcome: how far the cases got"),
            "incidents",
            [
                row(str(label), (lambda c: total[c]) if value == "reported" else (lambda c, v=value: ("stage", v, c)))
                for value, label in _stage_labels()
            ],
            cur_label,
            prev_label,
        ),
    ]
    for item in stats.tables:
        item.chart = charts.bar_chart(item)

    metrics = (
        (MonthlyDuration.Metric.ACK_MINUTES, "acknowledged", _("Report to acknowledgement"), format_minutes),
        (MonthlyDuration.Metric.ERDR_DAYS, "registered", _("Report to ERDR registration"), format_days),
    )
    for metric, stage, label, fmt in metrics:
        parts = {}
        for column in (CURRENT, PREVIOUS):
            count = cell(("stage", stage, column))
            histogram = histograms.get((metric, column), {})
            if count.hidden or not count.value:
                parts[column] = ("—", "—", count)
            else:
                parts[column] = (fmt(percentile(histogram, 0.5)), fmt(percentile(histogram, 0.9)), count)
        stats.timings.append(Timing(label, metric, parts[CURRENT], parts[PREVIOUS]))
    return stats
