"""CSV and XLSX exports of exactly the dashboard's figures, with the same hidden cells (and no charts).

Both are "tidy": one line per figure, with the columns that say which figure it is (table, category, measure,
unit, period), so that a pivot table in Excel or LibreOffice and `pandas.read_csv` read them as they are. The
value column holds numbers only; a hidden figure leaves it empty and names its marker ("<3" or "x") in a
column of its own. The XLSX adds a sheet that explains every column and every table (the data dictionary).

No chart is drawn for an export: they are drawn by the outputs that show them (`analytics.figures`).
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass
from html.parser import HTMLParser

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from analytics.models import MonthlyDuration
from analytics.selectors.categories import part_labels as part_codes
from analytics.selectors.categories import parts_by_act
from analytics.selectors.details import YEAR_TABLES, Details
from analytics.selectors.statistics import Statistics
from analytics.snapshot import cache_seconds
from analytics.tables import Cell, Row
from facilities.models import FacilityKind
from legal.statute import CURRENT as STATUTE

# Measures, by code (the "measure code" column): what the value of a line is.
COUNT, CHANGE, MEDIAN, P90, CASES = "count", "change_percent", "median", "p90", "cases"
# Which of the two compared periods a line is about.
THIS_PERIOD, YEAR_EARLIER = "period", "year_earlier"


@dataclass
class Line:
    """One figure of the export, with the columns that say which one it is (`header()` names them)."""

    table_code: str
    table: str
    category_code: str
    category: str
    measure_code: str
    measure: str
    unit: str
    period_role: str
    period: str
    value: int | None
    hidden: str  # "<3" or "x" when the figure is hidden; empty otherwise


def columns() -> list[tuple[str, str]]:
    """(header, what the column holds), in order: the CSV's and the sheet's header and the dictionary sheet."""
    return [
        (_("table code"), _("The table the figure belongs to, as a code that does not change with the language.")),
        (_("table"), _("The table's title, as on the dashboard.")),
        (
            _("category code"),
            _(
                "The row of the table as a code: a part number, a district's or facility's code, a stage; "
                "“total” for the total row."
            ),
        ),
        (_("category"), _("The row of the table, as on the dashboard.")),
        (_("measure code"), _("What the value is: count, change_percent, median, p90 or cases.")),
        (_("measure"), _("What the value is, in words.")),
        (_("unit"), _("The unit of the value: incidents, victims, percent, minutes or days.")),
        (
            _("period role"),
            _("“period” for the chosen period, “year_earlier” for the same period a year before it."),
        ),
        (_("period"), _("The calendar period the value counts (month 2026-03, quarter, year; Almaty time).")),
        (_("value"), _("The figure, a number. Empty when it is hidden or there is nothing to show.")),
        (
            _("hidden as"),
            _("“<3”: fewer than the threshold; “x”: hidden so that a small figure cannot be worked out. Else empty."),
        ),
        (_("district filter"), _("The district the figures were filtered by, or “all”.")),
        (_("facility kind filter"), _("The kind of facility the figures were filtered by, or “all”.")),
        (_("data cut-off"), _("When the snapshot the figures were counted from was taken (Almaty time).")),
    ]


def header() -> list[str]:
    """One name per column, each different: a spreadsheet reads a column by its header."""
    return [name for name, _meaning in columns()]


def about(stats: Statistics) -> list[list[str]]:
    return [
        *[[name, value] for name, value in stats.filters.describe()],
        [_("Data cut-off"), cutoff_text(stats) or "—"],
        [_("Generated"), date_format(timezone.localtime(stats.generated_at), "SHORT_DATETIME_FORMAT")],
        [
            _("Hidden cells"),
            _("<%(n)s: fewer than %(n)s; x: hidden so that a small figure cannot be worked out")
            % {"n": stats.threshold},
        ],
    ]


def cutoff_text(stats: Statistics) -> str:
    cutoff = stats.snapshot.cutoff if stats.snapshot else None
    return date_format(timezone.localtime(cutoff), "SHORT_DATETIME_FORMAT") if cutoff else ""


def export_columns(stats: Statistics) -> tuple[str, str, str]:
    """The columns every line repeats: the filters and the data cut-off (so that exports can be stacked)."""
    filters = stats.filters
    kinds = dict(FacilityKind.choices)
    return (
        filters.district.name if filters.district else _("all"),
        str(kinds.get(filters.facility_kind, "")) if filters.facility_kind else _("all"),
        cutoff_text(stats),
    )


def _hidden(cell: Cell) -> str:
    return cell.text if cell.hidden else ""


def _row_lines(
    table_code: str, table: str, unit: str, row: Row, periods: tuple[str, str], category: str, code: str = ""
) -> list[Line]:
    """A table row as three lines: its count in each period, and the change between them."""
    units = {"incidents": _("incidents"), "victims": _("victims"), "attackers": _("attackers")}
    code = code or ("total" if row.is_total else row.code)
    current, previous = periods
    same = (table_code, table, code, category)
    count, unit_name = _("count"), units[unit]
    return [
        Line(*same, COUNT, count, unit_name, THIS_PERIOD, current, row.current.shown, _hidden(row.current)),
        Line(*same, COUNT, count, unit_name, YEAR_EARLIER, previous, row.previous.shown, _hidden(row.previous)),
        Line(
            *same,
            CHANGE,
            _("change against a year earlier"),
            _("percent"),
            THIS_PERIOD,
            current,
            row.change_percent,
            "",
        ),
    ]


def lines(stats: Statistics) -> Iterator[Line]:
    """Every figure of the statistics, one `Line` each, in the dashboard's order."""
    period, earlier = stats.filters.period.label, stats.filters.period.year_earlier().label
    for code, row in (("incidents", stats.incidents), ("victims", stats.victims), ("cancelled", stats.cancelled)):
        unit = "victims" if code == "victims" else "incidents"
        yield from _row_lines("headline", _("In the period"), unit, row, (period, earlier), row.label, code)
    for table in stats.tables:
        for row in table.rows:
            if row.current_period:  # a trend row: the row is the period, the category is every incident
                yield from _row_lines(
                    table.key,
                    table.title,
                    table.unit,
                    row,
                    (row.current_period, row.previous_period),
                    stats.incidents.label,
                )
            elif table.key in YEAR_TABLES and stats.details is not None:
                # Counted for the details' whole year, as the dashboard says (analytics/selectors/details.py).
                year = stats.details.year
                yield from _row_lines(
                    table.key, table.title, table.unit, row, (year.key, year.year_earlier().key), row.label
                )
            else:
                yield from _row_lines(table.key, table.title, table.unit, row, (period, earlier), row.label)
    if stats.details is not None:
        yield from detail_lines(stats.details)
    timing_units = {MonthlyDuration.Metric.ACK_MINUTES: _("minutes"), MonthlyDuration.Metric.ERDR_DAYS: _("days")}
    for timing in stats.timings:
        for role, label, values, parts in (
            (THIS_PERIOD, period, timing.current_values, timing.current),
            (YEAR_EARLIER, earlier, timing.previous_values, timing.previous),
        ):
            cases = parts[2]
            yield Line(
                "timings",
                _("Time taken by the police"),
                timing.unit,
                timing.label,
                CASES,
                _("cases"),
                _("incidents"),
                role,
                label,
                cases.shown,
                _hidden(cases),
            )
            for index, (code, name) in enumerate(((MEDIAN, _("median")), (P90, _("90th percentile")))):
                yield Line(
                    "timings",
                    _("Time taken by the police"),
                    timing.unit,
                    timing.label,
                    code,
                    name,
                    timing_units.get(timing.unit, ""),
                    role,
                    label,
                    values[index],
                    "",
                )


def detail_lines(details: Details) -> Iterator[Line]:
    """The dashboard's other figures: the trend by act per month, and the heat map and the refusals by part of the
    details' whole year."""
    period = details.year.key
    count, incidents = _("count"), _("incidents")
    title = _("Incidents per month, by act")
    for month, cells, total in details.trend_rows():
        month_label = f"{month:%Y-%m}"
        for series, cell in [*zip(details.trend, cells, strict=True)]:
            yield Line("trend_act", title, series.key, series.label, COUNT, count, incidents, THIS_PERIOD, month_label,
                       cell.shown, _hidden(cell))  # fmt: skip
        yield Line("trend_act", title, "total", _("all incidents"), COUNT, count, incidents, THIS_PERIOD, month_label,
                   total.shown, _hidden(total))  # fmt: skip
    title = _("When attacks happen: weekday and hour")
    for day, name in details.weekdays:
        for hour in details.hours:
            cell = details.heat[(day, hour)]
            yield Line("heat", title, f"{day}-{hour:02d}", f"{name} {hour:02d}:00", COUNT, count, incidents,
                       THIS_PERIOD, period, cell.shown, _hidden(cell))  # fmt: skip
    for day, name in details.weekdays:
        cell = details.heat_days[day]
        yield Line("heat", title, f"{day}", f"{name}, {_('all hours')}", COUNT, count, incidents, THIS_PERIOD, period,
                   cell.shown, _hidden(cell))  # fmt: skip
    for hour, cell in details.heat_hours.items():
        yield Line("heat", title, f"{hour:02d}", f"{_('all days')}, {hour:02d}:00", COUNT, count, incidents,
                   THIS_PERIOD, period, cell.shown, _hidden(cell))  # fmt: skip
    total = details.heat_total
    yield Line("heat", title, "total", _("all incidents"), COUNT, count, incidents, THIS_PERIOD, period,
               total.shown, _hidden(total))  # fmt: skip
    title = _("Refusals and “no offence”, by part")
    for outcome, label, parts, total in details.refusals:
        for (part, part_label), (_label, cell) in zip(part_codes(), parts, strict=True):
            yield Line("refusals", title, f"{outcome}:{part}", f"{label}: {part_label}", COUNT, count, incidents,
                       THIS_PERIOD, period, cell.shown, _hidden(cell))  # fmt: skip
        yield Line("refusals", title, f"{outcome}:total", label, COUNT, count, incidents, THIS_PERIOD, period,
                   total.shown, _hidden(total))  # fmt: skip


class _Definitions(HTMLParser):
    """The data dictionary's terms and their explanations, read from the page's own template."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "dt":
            self.entries.append(["", ""])
        if tag in ("dt", "dd"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dt", "dd"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and self.entries:
            index = 0 if self._in == "dt" else 1
            self.entries[-1][index] = " ".join((self.entries[-1][index] + " " + data).split())


def dictionary_entries(threshold: int) -> list[list[str]]:
    """[term, explanation] of the data dictionary page, in the active language (one text for page, PDF, XLSX)."""
    html = render_to_string(
        "analytics/_dictionary.html",
        {"threshold": threshold, "statute": STATUTE, "act_parts": parts_by_act()},
    )
    parser = _Definitions()
    parser.feed(html)
    return parser.entries


# A cell that starts with one of these is a formula to Excel or LibreOffice (even in a CSV): a facility named
# "=HYPERLINK(…)" would become a live link. OWASP's advice: prefix such text with a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(line: list | tuple) -> list:
    return [spreadsheet_safe(value) for value in line]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(build: Callable[[], Statistics]) -> Iterator[str]:
    """CSV lines; the header goes out before the figures are read, so the download starts at once. The figures
    only: what the export was made from (filters, cut-off) is in its file name and in the XLSX's "About" sheet,
    since a line of another shape would break a reader that takes the file as one table."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_safe(header()))  # the BOM makes Excel read UTF-8 Cyrillic correctly
    yield csv_figures(build())


def csv_figures(stats: Statistics) -> str:
    """The CSV's lines after its header: written once per cached `Statistics` (the same snapshot, scope, period and
    language make the same lines, and no line says when the file was made), then read from the cache."""
    key = f"{stats.cache_key}:csv" if stats.cache_key else ""
    text = cache.get(key) if key else None
    if text is None:
        writer = csv.writer(_Echo())
        repeated = export_columns(stats)
        text = "".join(
            writer.writerow(_safe(["" if value is None else value for value in (*astuple(line), *repeated)]))
            for line in lines(stats)
        )
        if key:
            cache.set(key, text, timeout=cache_seconds())
    return text


def xlsx_file(stats: Statistics) -> io.BufferedRandom:
    """The workbook in a temporary file (XLSX is a zip: it cannot be written front to back)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statistics")[:31])
    sheet.append(_safe(header()))
    repeated = export_columns(stats)
    for line in lines(stats):
        sheet.append(_safe((*astuple(line), *repeated)))
    dictionary = workbook.create_sheet(_("Data dictionary")[:31])
    dictionary.append(_safe([_("term"), _("meaning")]))
    for name, meaning in columns():
        dictionary.append(_safe([_("column “%(name)s”") % {"name": name}, meaning]))
    for table in stats.tables:
        dictionary.append(_safe([_("table code “%(code)s”") % {"code": table.key}, table.title]))
    for term, explanation in dictionary_entries(stats.threshold):
        dictionary.append(_safe([term, explanation]))
    info = workbook.create_sheet(_("About")[:31])
    for line in about(stats):
        info.append(_safe(line))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
