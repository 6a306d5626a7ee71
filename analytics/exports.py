"""CSV and XLSX exports of exactly the dashboard's tables, with the same hidden cells (and no charts)."""

import csv
import io
import tempfile
from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from analytics.models import MonthlyDuration
from analytics.selectors.statistics import Statistics
from analytics.tables import Cell


def header() -> list[str]:
    """One name per column, each different: a spreadsheet reads a column by its header."""
    return [
        _("table"),
        _("category"),
        _("unit"),
        _("period"),
        _("count"),
        _("period a year earlier"),
        _("count a year earlier"),
        _("change, %"),
    ]


def _number(value: int | None) -> int | str:
    """A figure as a number; nothing (an empty cell) when there is none."""
    return "" if value is None else value


def about(stats: Statistics) -> list[list[str]]:
    cutoff = stats.snapshot.cutoff if stats.snapshot else None
    return [
        *[[name, value] for name, value in stats.filters.describe()],
        [_("Data cut-off"), date_format(timezone.localtime(cutoff), "SHORT_DATETIME_FORMAT") if cutoff else "—"],
        [_("Generated"), date_format(timezone.localtime(stats.generated_at), "SHORT_DATETIME_FORMAT")],
        [
            _("Hidden cells"),
            _("<%(n)s: fewer than %(n)s; x: hidden so that a small cell cannot be worked out") % {"n": stats.threshold},
        ],
    ]


def rows(stats: Statistics, value: Callable[[Cell], object]) -> Iterator[list]:
    """One row per table row, under `header()`; `value` turns a cell into what the format shows."""
    units = {"incidents": _("incidents"), "victims": _("victims")}
    timing_units = {MonthlyDuration.Metric.ACK_MINUTES: _("minutes"), MonthlyDuration.Metric.ERDR_DAYS: _("days")}
    for table in stats.tables:
        for row in table.rows:
            if row.current_period:  # a trend row: the row is the period, the category is every incident
                category, current, previous = stats.incidents.label, row.current_period, row.previous_period
            else:
                category, current, previous = row.label, table.current_label, table.previous_label
            yield [
                table.title,
                category,
                units[table.unit],
                current,
                value(row.current),
                previous,
                value(row.previous),
                _number(row.change_percent),
            ]
    cancelled = stats.cancelled
    yield [
        cancelled.label,
        "",
        units["incidents"],
        stats.filters.period.label,
        value(cancelled.current),
        stats.filters.period.year_earlier().label,
        value(cancelled.previous),
        _number(cancelled.change_percent),
    ]
    for timing in stats.timings:
        for index, name in ((0, _("median")), (1, _("90th percentile"))):
            yield [
                timing.label,
                name,
                timing_units.get(timing.unit, ""),
                stats.filters.period.label,
                _number(timing.current_values[index]),
                stats.filters.period.year_earlier().label,
                _number(timing.previous_values[index]),
                "",
            ]


# A cell that starts with one of these is a formula to Excel or LibreOffice (even in a CSV): a facility named
# "=HYPERLINK(…)" would become a live link. OWASP's advice: prefix such text with a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(line: list) -> list:
    return [spreadsheet_safe(value) for value in line]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(build: Callable[[], Statistics]) -> Iterator[str]:
    """CSV lines; the header goes out before the figures are read, so the download starts at once."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_safe(header()))  # the BOM makes Excel read UTF-8 Cyrillic correctly
    stats = build()
    for line in rows(stats, lambda cell: cell.text):
        yield writer.writerow(_safe(line))
    yield writer.writerow([])
    for line in about(stats):
        yield writer.writerow(_safe(line))


def xlsx_file(stats: Statistics) -> io.BufferedRandom:
    """The workbook in a temporary file (XLSX is a zip: it cannot be written front to back)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statistics")[:31])
    sheet.append(_safe(header()))
    for line in rows(stats, lambda cell: cell.text if cell.hidden or cell.value is None else cell.value):
        sheet.append(_safe(line))
    info = workbook.create_sheet(_("About")[:31])
    for line in about(stats):
        info.append(_safe(line))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
