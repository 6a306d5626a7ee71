"""What the dashboard and the PDF show, assembled from one `Statistics`: the headline tiles, the figures (drawn
by `analytics.figures`) and the breakdowns. The CSV and XLSX read `Statistics` directly and draw nothing.

The dashboard's figures and tables are drawn and rendered once per cached `Statistics` (one snapshot, scope,
threshold, period and language) and kept as HTML under its key (`dashboard_html`): a second view of the same
statistics draws nothing.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analytics import figures
from analytics.models import MonthlyDuration
from analytics.selectors.statistics import Statistics
from analytics.snapshot import cache_seconds
from analytics.tables import Cell, Row, Table
from common.numbers import group_digits

# The tables shown as breakdowns, two to a row on a wide screen; the trend, district, facility and funnel tables
# have figures of their own.
BREAKDOWNS = ("part", "act", "profession", "place", "attacker", "intoxication", "kind")


@dataclass
class Tile:
    key: str
    label: str
    value: str
    change: str  # against the same period a year earlier, in words ("" when not shown)
    hidden: bool = False


def _change_text(row: Row, earlier: str) -> str:
    if row.previous.hidden:
        return f"{earlier}: {row.previous.text}"
    if row.current.hidden or row.current.value is None:
        return ""
    if row.change_percent is None:
        return _("nothing a year earlier (%(period)s)") % {"period": earlier}
    return _("%(change)+d%% against %(period)s") % {"change": row.change_percent, "period": earlier}


def _figure(cell: Cell) -> str:
    if cell.value is None:
        return "—"
    return cell.text if cell.hidden else group_digits(cell.value)


def _funnel_row(stats: Statistics, code: str) -> Row | None:
    funnel = next((table for table in stats.tables if table.key == "funnel"), None)
    return figures.row_cell(funnel, code) if funnel else None


def _timing(stats: Statistics, unit: str):
    return next((timing for timing in stats.timings if timing.unit == unit), None)


def tiles(stats: Statistics) -> list[Tile]:
    """Incidents, victims, registered in the ERDR, sent to court, median days from report to registration."""
    earlier = stats.filters.period.year_earlier().label
    result = []
    rows = [("incidents", _("Incidents"), stats.incidents), ("victims", _("Victims"), stats.victims)]
    rows += [
        ("registered", _("Registered in the ERDR"), _funnel_row(stats, "registered")),
        ("sent_to_court", _("Sent to court"), _funnel_row(stats, "sent_to_court")),
    ]
    for key, label, row in rows:
        if row is None:
            continue
        result.append(Tile(key, label, _figure(row.current), _change_text(row, earlier), row.current.hidden))
    timing = _timing(stats, MonthlyDuration.Metric.ERDR_DAYS)
    if timing is not None:
        now, before = timing.current_values[0], timing.previous_values[0]
        change = ""
        if now is not None and before is not None:
            change = _("%(change)+d d against %(period)s") % {"change": now - before, "period": earlier}
        result.append(
            Tile(
                "median_days",
                _("Median days from report to registration"),
                "—" if now is None else _("%(d)s d") % {"d": now},
                change,
            )
        )
    return result


def funnel_steps(stats: Statistics) -> list[figures.FunnelStep]:
    """Reported → acknowledged → registered → sent to court, with the median time of the steps that have one."""
    durations = {}
    for stage, unit in (
        ("acknowledged", MonthlyDuration.Metric.ACK_MINUTES),
        ("registered", MonthlyDuration.Metric.ERDR_DAYS),
    ):
        timing = _timing(stats, unit)
        if timing is not None and timing.current[0] != "—":
            durations[stage] = _("median %(time)s") % {"time": timing.current[0]}
    funnel = next((table for table in stats.tables if table.key == "funnel"), None)
    if funnel is None:
        return []
    return [
        figures.FunnelStep(row.label, row.current, durations.get(row.code, ""))
        for row in funnel.rows
        if row.code != "closed"
    ]


@dataclass
class Dashboard:
    tiles: list[Tile]
    trend: SafeString | None
    heat: SafeString | None
    heat_portrait: SafeString | None
    districts: SafeString | None
    facilities: SafeString | None
    funnel: SafeString | None
    breakdowns: list[tuple[Table, SafeString]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)


def dashboard_for(stats: Statistics) -> Dashboard:
    """Everything the dashboard page shows, drawn."""
    tables = {table.key: table for table in stats.tables}
    details = stats.details
    return Dashboard(
        tiles=tiles(stats),
        trend=figures.trend_chart(details, title=_("Incidents per month, by act")) if details else None,
        heat=figures.heat_map(details, title=_("When attacks happen: weekday and hour")) if details else None,
        heat_portrait=(
            figures.heat_map(details, title=_("When attacks happen: weekday and hour"), portrait=True)
            if details
            else None
        ),
        districts=figures.district_map(tables["district"], title=tables["district"].title)
        if "district" in tables
        else None,
        facilities=figures.compact_bars(tables["facility"], title=tables["facility"].title, sort=True, previous=False)
        if "facility" in tables
        else None,
        funnel=figures.funnel_chart(funnel_steps(stats), title=_("The path to justice")),
        breakdowns=[
            (tables[key], figures.compact_bars(tables[key], title=tables[key].title))
            for key in BREAKDOWNS
            if key in tables
        ],
        tables=tables,
    )


PARTS = ("analytics/_figures.html", "analytics/_breakdowns.html")


@dataclass
class DashboardHtml:
    """The dashboard's cached parts: tiles and figures (`_figures.html`), and the breakdowns (`_breakdowns.html`)."""

    figures: SafeString
    breakdowns: SafeString


def dashboard_html(stats: Statistics) -> DashboardHtml:
    """The dashboard's figures and tables as HTML: drawn once for the statistics' cache key, then read from the cache.

    Aggregates only: the parts of the page that depend on the request or the user are rendered by the page."""
    key = f"{stats.cache_key}:html" if stats.cache_key else ""
    parts = cache.get(key) if key else None
    if parts is None:
        context = {"stats": stats, "board": dashboard_for(stats)}
        parts = tuple(str(render_to_string(name, context)) for name in PARTS)
        if key:
            cache.set(key, parts, timeout=cache_seconds())
    figures_html, breakdowns_html = parts
    return DashboardHtml(mark_safe(figures_html), mark_safe(breakdowns_html))  # noqa: S308 - rendered by our templates
