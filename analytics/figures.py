"""The dashboard's and the PDF's figures drawn as static SVG, from the suppressed figures only.

Each function returns SVG markup built as an element tree (so every text is escaped by the serialiser) with a
`<title>` and a `<desc>` that say what it shows, `role="img"`, no script and nothing fetched. A hidden figure gets
no bar, no colour and no point: only its marker ("<3" or "x"), so a figure never shows more than its table. Every
figure has its table beside it on the page (folded) and in the PDF: the text equivalent for screen readers.

Sizes are in SVG units; the PDF gives each figure a width in millimetres, so its height on paper is known in
advance (`height_mm`) and a long bar chart is cut into pieces that fit a page (`bar_pages`).
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analytics.selectors.details import Details
from analytics.tables import Cell, Row, Table
from common.numbers import group_digits

FONT = "DejaVu Sans, sans-serif"
TEXT = "#212529"
MUTED = "#5c636a"  # 6.1:1 on white
GRID = "#dee2e6"
CURRENT_COLOUR = "#0d6efd"  # 4.5:1 on white
PREVIOUS_COLOUR = "#6c8ebf"  # last year's series: 3.4:1 on white (WCAG 1.4.11 asks 3:1 of graphics)
HIDDEN_FILL = "#f1f3f5"
SERIES_COLOURS = {
    "threat": "#0d6efd",
    "violence_not_dangerous": "#b35c00",
    "violence_dangerous": "#842029",
    "violence_unclassified": "#5c636a",
}
# A sequential scale for the heat map and the district map, light to dark; the text on each step is chosen for
# contrast (dark text on the three light steps).
SCALE = ("#e7f1ff", "#b6d4fe", "#6ea8fe", "#3d8bfd", "#0a58ca", "#084298")


def _svg(width: float, height: float, title: str, description: str, css_class: str) -> ET.Element:
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width:g} {height:g}",
        role="img",
        width="100%",
        preserveAspectRatio="xMinYMin meet",
    )
    root.set("class", f"stats-svg {css_class}")
    root.set("font-family", FONT)
    root.set("data-height-ratio", f"{height / width:.5f}")
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "desc").text = description
    return root


def _text(parent: ET.Element, x: float, y: float, text: str, *, size: float = 11, anchor: str = "start", **attrs):
    element = ET.SubElement(
        parent, "text", x=f"{x:.1f}", y=f"{y:.1f}", fill=attrs.pop("fill", TEXT), **{"font-size": f"{size:g}"}
    )
    if anchor != "start":
        element.set("text-anchor", anchor)
    for name, value in attrs.items():
        element.set(name.replace("_", "-"), value)
    element.text = text
    return element


def _rect(parent: ET.Element, x: float, y: float, width: float, height: float, fill: str, **attrs) -> ET.Element:
    element = ET.SubElement(
        parent, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=f"{max(width, 0):.1f}", height=f"{height:.1f}", fill=fill
    )
    for name, value in attrs.items():
        element.set(name.replace("_", "-"), value)
    return element


def _done(root: ET.Element) -> SafeString:
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - serialised (escaped) by ElementTree


def _figure(cell: Cell) -> str:
    if cell.value is None:
        return "—"
    return cell.text if cell.hidden else group_digits(cell.value)


def _shade(value: int, top: int) -> int:
    """The step of the sequential scale for a shown count (0 is the lightest)."""
    if top <= 0 or value <= 0:
        return 0
    return min(len(SCALE) - 1, 1 + int((len(SCALE) - 2) * value / top))


def _text_on(step: int) -> str:
    return TEXT if step < 3 else "#ffffff"


def height_mm(svg: SafeString, width_mm: float) -> float:
    """How tall a figure drawn by this module is on paper at `width_mm` wide."""
    marker = 'data-height-ratio="'
    start = svg.index(marker) + len(marker)
    return width_mm * float(svg[start : svg.index('"', start)])


# Bar charts ---------------------------------------------------------------------------------------------------------

BAR_WIDTH = 680
LABEL_WIDTH = 250
BAR_ROW = 24
BAR_CHROME = 34


@dataclass
class BarRow:
    label: str
    current: Cell
    previous: Cell | None = None


def bar_rows(table: Table, *, sort: bool = False) -> list[BarRow]:
    """A table's rows without its total, as bars; `sort` puts the largest shown first and hidden ones last."""
    rows = [BarRow(row.label, row.current, row.previous) for row in table.rows if not row.is_total]
    if sort:
        rows.sort(key=lambda row: (row.current.hidden, -(row.current.shown or 0), row.label))
    return rows


def bar_chart(
    rows: Sequence[BarRow], *, title: str, current_label: str, previous_label: str = "", top: int | None = None
) -> SafeString:
    """Horizontal bars with the labels on the left (the PDF, a wide screen): one or two bars per row."""
    two = any(row.previous is not None for row in rows) and bool(previous_label)
    height = BAR_CHROME + BAR_ROW * max(len(rows), 1)
    description = "; ".join(
        f"{row.label}: {_figure(row.current)}"
        + (f" ({previous_label}: {_figure(row.previous)})" if two and row.previous else "")
        for row in rows
    )
    root = _svg(BAR_WIDTH, height, title, description, "stats-bars")
    values = [cell.shown or 0 for row in rows for cell in (row.current, row.previous) if cell is not None]
    top = max(top or 0, *values, 1)
    span = BAR_WIDTH - LABEL_WIDTH - 60
    for index, row in enumerate(rows):
        y = 4 + index * BAR_ROW
        # At 9.5 units a character is about 5.7 wide: 40 of them stay inside the label column.
        label = row.label if len(row.label) <= 40 else row.label[:39] + "…"
        _text(root, 2, y + 15, label, size=9.5)
        bars = [(row.current, CURRENT_COLOUR)] + ([(row.previous, PREVIOUS_COLOUR)] if two and row.previous else [])
        bar_height = (BAR_ROW - 6) / len(bars)
        for number, (cell, colour) in enumerate(bars):
            bar_y = y + 2 + number * bar_height
            length = span * (cell.shown or 0) / top
            if length:
                _rect(root, LABEL_WIDTH, bar_y, length, bar_height - 1, colour)
            _text(root, LABEL_WIDTH + length + 4, bar_y + bar_height - 2.5, _figure(cell), size=9.5, fill=MUTED)
    legend_y = height - 12
    _rect(root, LABEL_WIDTH, legend_y - 9, 10, 10, CURRENT_COLOUR)
    _text(root, LABEL_WIDTH + 14, legend_y, current_label, size=10)
    if two:
        _rect(root, LABEL_WIDTH + 150, legend_y - 9, 10, 10, PREVIOUS_COLOUR)
        _text(root, LABEL_WIDTH + 164, legend_y, previous_label, size=10)
    ET.SubElement(
        root, "line", x1=str(LABEL_WIDTH), y1="2", x2=str(LABEL_WIDTH), y2=f"{height - BAR_CHROME + 6}", stroke=GRID
    )
    return _done(root)


def bar_pages(table: Table, *, rows_per_page: int, sort: bool = False) -> list[SafeString]:
    """A table's bar chart cut into pieces of at most `rows_per_page` rows (the PDF: one piece fits a page), all
    on one scale so that the pieces compare."""
    rows = bar_rows(table, sort=sort)
    values = [cell.shown or 0 for row in rows for cell in (row.current, row.previous) if cell is not None]
    top = max(values or [1])
    pieces = [rows[start : start + rows_per_page] for start in range(0, len(rows), rows_per_page)] or [[]]
    return [
        bar_chart(
            piece,
            title=table.title if len(pieces) == 1 else f"{table.title} ({number}/{len(pieces)})",
            current_label=table.current_label,
            previous_label=table.previous_label,
            top=top,
        )
        for number, piece in enumerate(pieces, start=1)
    ]


COMPACT_WIDTH = 360  # a phone's width: the text keeps its size there


def compact_bars(table: Table, *, title: str, sort: bool = False, previous: bool = True) -> SafeString:
    """The page's bar chart: each label above its bars, this period's bar and (with `previous`) the year earlier's
    under it, so that it reads on a phone; `sort` puts the largest first (the facilities)."""
    rows = bar_rows(table, sort=sort)
    bars = 2 if previous else 1
    row_height = 16 + 11 * bars
    legend = 20 if previous else 0
    height = 6 + row_height * max(len(rows), 1) + legend
    description = "; ".join(
        f"{row.label}: {_figure(row.current)}"
        + (f" ({table.previous_label}: {_figure(row.previous)})" if previous and row.previous else "")
        for row in rows
    )
    root = _svg(COMPACT_WIDTH, height, title, description, "stats-compact")
    values = [cell.shown or 0 for row in rows for cell in (row.current, row.previous if previous else None) if cell]
    top = max(values or [1]) or 1
    span = COMPACT_WIDTH - 56
    for index, row in enumerate(rows):
        y = 4 + index * row_height
        label = row.label if len(row.label) <= 54 else row.label[:53] + "…"
        _text(root, 0, y + 11, label, size=10.5, **{"class": "row-label"})
        cells = [(row.current, CURRENT_COLOUR, "bar-current")]
        if previous and row.previous is not None:
            cells.append((row.previous, PREVIOUS_COLOUR, "bar-previous"))
        for number, (cell, colour, css) in enumerate(cells):
            bar_y = y + 15 + number * 11
            length = span * (cell.shown or 0) / top
            if length:
                _rect(root, 0, bar_y, length, 9, colour, **{"class": css})
            _text(root, length + 4, bar_y + 8.5, _figure(cell), size=10, fill=MUTED, **{"class": "value"})
    if previous:
        legend_y = height - 6
        _rect(root, 0, legend_y - 9, 10, 10, CURRENT_COLOUR)
        _text(root, 14, legend_y, table.current_label, size=10)
        _rect(root, 150, legend_y - 9, 10, 10, PREVIOUS_COLOUR)
        _text(root, 164, legend_y, table.previous_label, size=10)
    return _done(root)


# The trend ----------------------------------------------------------------------------------------------------------

TREND_WIDTH = 360  # a phone's width: the text keeps its size there
TREND_HEIGHT = 240


def nice_top(value: int, ticks: int = 4) -> int:
    """The top of an axis of `ticks` equal whole steps of 1, 2 or 5 × 10ⁿ that holds `value`."""
    magnitude = 10 ** max(0, int(math.log10(max(value / ticks, 1))))
    for factor in (1, 2, 5, 10):
        if factor * magnitude * ticks >= value:
            return factor * magnitude * ticks
    return 10 * magnitude * ticks  # pragma: no cover


def _month_label(month: dt.date) -> str:
    return date_format(month, "m.y")


def trend_chart(details: Details, *, title: str) -> SafeString:
    """One line per act over the 24 months; a hidden month leaves a gap in its line (and its marker below)."""
    left, right, top_pad, bottom = 30, 16, 10, 70
    plot_w, plot_h = TREND_WIDTH - left - right, TREND_HEIGHT - top_pad - bottom
    months = details.months
    description = "; ".join(
        f"{_month_label(month)}: "
        + ", ".join(f"{series.label} {_figure(cells)}" for series, cells in zip(details.trend, row, strict=True))
        for month, row, _total in details.trend_rows()
    )
    root = _svg(TREND_WIDTH, TREND_HEIGHT, title, description, "stats-trend")
    values = [cell.shown or 0 for series in details.trend for cell in series.cells]
    top = nice_top(max(values or [1]) or 1)
    step_x = plot_w / max(len(months) - 1, 1)
    for tick in range(0, 5):
        value = top * tick / 4
        y = top_pad + plot_h - plot_h * tick / 4
        ET.SubElement(root, "line", x1=str(left), y1=f"{y:.1f}", x2=str(left + plot_w), y2=f"{y:.1f}", stroke=GRID)
        _text(root, left - 4, y + 3.5, group_digits(round(value)), size=10, anchor="end", fill=MUTED)
    for index, month in enumerate(months):
        if index % 3 == 0 or index == len(months) - 1:
            x = left + index * step_x
            _text(root, x, top_pad + plot_h + 14, _month_label(month), size=10, anchor="middle", fill=MUTED)
    for series in details.trend:
        colour = SERIES_COLOURS.get(series.key, TEXT)
        segments: list[list[tuple[float, float]]] = [[]]
        for index, cell in enumerate(series.cells):
            if cell.hidden or cell.value is None:
                segments.append([])
                continue
            segments[-1].append((left + index * step_x, top_pad + plot_h - plot_h * cell.value / top))
        for points in segments:
            if len(points) > 1:
                path = ET.SubElement(
                    root,
                    "polyline",
                    points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                    fill="none",
                    stroke=colour,
                )
                path.set("stroke-width", "2")
                if series.key == "violence_unclassified":
                    path.set("stroke-dasharray", "4 3")
            for x, y in points:
                ET.SubElement(root, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r="2", fill=colour)
    legend_y = TREND_HEIGHT - bottom + 30
    for index, series in enumerate(details.trend):
        x = 4 + (index % 2) * 176
        y = legend_y + (index // 2) * 16
        line = ET.SubElement(root, "line", x1=f"{x}", y1=f"{y - 4}", x2=f"{x + 16}", y2=f"{y - 4}")
        line.set("stroke", SERIES_COLOURS.get(series.key, TEXT))
        line.set("stroke-width", "2")
        if series.key == "violence_unclassified":
            line.set("stroke-dasharray", "4 3")
        _text(root, x + 20, y, series.label, size=10)
    hidden = sum(1 for series in details.trend for cell in series.cells if cell.hidden)
    if hidden:
        _text(
            root,
            4,
            TREND_HEIGHT - 4,
            _("A gap in a line: a hidden figure (see the table)."),
            size=10,
            fill=MUTED,
        )
    return _done(root)


# The heat map -------------------------------------------------------------------------------------------------------


def heat_map(details: Details, *, title: str, portrait: bool = False) -> SafeString:
    """Weekday × hour: landscape (days as rows) for a wide screen and the PDF, portrait (hours as rows) for a phone."""
    days = details.weekdays
    hours = details.hours
    shown = [cell.shown or 0 for cell in details.heat.values()]
    top = max(shown or [0])
    if portrait:
        label_w, head_h, cell_w, cell_h = 30, 18, 46, 17
        width, height = label_w + cell_w * len(days), head_h + cell_h * len(hours) + 30
    else:
        label_w, head_h, cell_w, cell_h = 34, 16, 26, 22
        width, height = label_w + cell_w * len(hours), head_h + cell_h * len(days) + 30
    description = "; ".join(
        f"{name}: " + ", ".join(f"{hour}:00 {_figure(details.heat[(day, hour)])}" for hour in hours)
        for day, name in days
    )
    root = _svg(width, height, title, description, "stats-heat")
    small = 10 if portrait else 8.5  # a phone shows the portrait at about its own size: its text at 10 reads
    for day_index, (day, name) in enumerate(days):
        for hour in hours:
            cell = details.heat[(day, hour)]
            if portrait:
                x, y = label_w + day_index * cell_w, head_h + hour * cell_h
            else:
                x, y = label_w + hour * cell_w, head_h + day_index * cell_h
            w, h = (cell_w, cell_h) if portrait else (cell_w, cell_h)
            if cell.hidden:
                rect = _rect(root, x + 0.5, y + 0.5, w - 1, h - 1, HIDDEN_FILL)
                _text(root, x + w / 2, y + h / 2 + 3.5, cell.text, size=small, anchor="middle", fill=MUTED)
            else:
                step = _shade(cell.value or 0, top)
                rect = _rect(root, x + 0.5, y + 0.5, w - 1, h - 1, SCALE[step])
                if cell.value:
                    _text(
                        root,
                        x + w / 2,
                        y + h / 2 + 3.5,
                        str(cell.value),
                        size=small,
                        anchor="middle",
                        fill=_text_on(step),
                    )
            ET.SubElement(rect, "title").text = f"{name} {hour:02d}:00–{hour:02d}:59: {_figure(cell)}"
    for day_index, (_day, name) in enumerate(days):
        if portrait:
            _text(root, label_w + day_index * cell_w + cell_w / 2, 12, name, size=10, anchor="middle")
        else:
            _text(root, label_w - 4, head_h + day_index * cell_h + cell_h / 2 + 4, name, size=10, anchor="end")
    for hour in hours:
        if portrait:
            _text(root, label_w - 4, head_h + hour * cell_h + cell_h / 2 + 3.5, f"{hour:02d}", size=10, anchor="end")
        elif hour % 3 == 0:
            _text(root, label_w + hour * cell_w + 2, 11, f"{hour:02d}:00", size=9, fill=MUTED)
    legend_y = height - 12
    _text(root, label_w, legend_y + 4, _("fewer"), size=small, fill=MUTED)
    for step, colour in enumerate(SCALE):
        _rect(root, label_w + 44 + step * 18, legend_y - 6, 16, 12, colour)
    _text(root, label_w + 44 + len(SCALE) * 18 + 4, legend_y + 4, _("more"), size=small, fill=MUTED)
    return _done(root)


# The district map ---------------------------------------------------------------------------------------------------

# A schematic tile map of Almaty's eight districts, as they lie on the map (north up): no boundary data is used,
# only each district's neighbours. Columns and rows of hexagons, odd rows shifted right by half a tile.
DISTRICT_TILES = {
    "alatau": (0, 0),
    "zhetysu": (1, 0),
    "turksib": (2, 0),
    "auezov": (0, 1),
    "almaly": (1, 1),
    "medeu": (2, 1),
    "nauryzbay": (0, 2),
    "bostandyk": (1, 2),
}
HEX_R = 44


def _hex_points(cx: float, cy: float, r: float) -> str:
    return " ".join(
        f"{cx + r * math.cos(math.radians(60 * i - 30)):.1f},{cy + r * math.sin(math.radians(60 * i - 30)):.1f}"
        for i in range(6)
    )


def district_map(table: Table, *, title: str) -> SafeString:
    """Each district as a hexagon, coloured by its incidents, placed by its code; a district not on the schematic
    map (a new one) is in the table only."""
    width_step = HEX_R * math.sqrt(3)
    width = width_step * 3.5 + 8
    height = HEX_R * 1.5 * 2 + HEX_R * 2 + 10
    rows = [row for row in table.rows if not row.is_total]
    description = "; ".join(f"{row.label}: {_figure(row.current)}" for row in rows)
    root = _svg(width, height, title, description, "stats-districts")
    top = max([row.current.shown or 0 for row in rows] or [0])
    for row in rows:
        place = DISTRICT_TILES.get(row.code)
        if place is None:
            continue
        column, line = place
        cx = 4 + width_step / 2 + column * width_step + (width_step / 2 if line % 2 else 0)
        cy = HEX_R + 4 + line * HEX_R * 1.5
        cell: Cell = row.current
        step = 0 if cell.hidden else _shade(cell.value or 0, top)
        fill = HIDDEN_FILL if cell.hidden else SCALE[step]
        hexagon = ET.SubElement(root, "polygon", points=_hex_points(cx, cy, HEX_R - 2), fill=fill, stroke="#ffffff")
        ET.SubElement(hexagon, "title").text = f"{row.label}: {_figure(cell)}"
        colour = MUTED if cell.hidden else _text_on(step)
        name = row.label.split()[0]
        _text(root, cx, cy - 4, name if len(name) <= 14 else name[:13] + "…", size=8.5, anchor="middle", fill=colour)
        _text(root, cx, cy + 13, _figure(cell), size=13, anchor="middle", fill=colour, font_weight="bold")
    return _done(root)


# The path to justice -------------------------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    label: str
    cell: Cell
    duration: str  # the median time from the step before ("" where not measured)


def funnel_chart(steps: Sequence[FunnelStep], *, title: str) -> SafeString:
    """Reported → … → sent to court: a bar per step, as wide as its count, with the count and the median time."""
    width, row = 360, 40
    height = row * len(steps) + 8
    description = "; ".join(
        f"{step.label}: {_figure(step.cell)}" + (f" ({step.duration})" if step.duration else "") for step in steps
    )
    root = _svg(width, height, title, description, "stats-funnel")
    top = max([step.cell.shown or 0 for step in steps] or [1]) or 1
    for index, step in enumerate(steps):
        y = 4 + index * row
        _text(root, 0, y + 11, step.label, size=10.5)
        length = (width - 60) * (step.cell.shown or 0) / top
        if length:
            _rect(root, 0, y + 15, length, 16, CURRENT_COLOUR)
        _text(root, length + 4, y + 28, _figure(step.cell), size=11, font_weight="bold")
        if step.duration:
            _text(root, width, y + 11, step.duration, size=10, anchor="end", fill=MUTED)
    return _done(root)


def row_cell(table: Table, code: str) -> Row | None:
    return next((row for row in table.rows if row.code == code), None)
