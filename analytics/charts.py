"""Horizontal bar charts drawn by pygal as static SVG: the same markup goes into the page and into the PDF.

pygal builds the chart as an element tree; before it is serialised we drop what a static chart must not
carry: pygal's configuration `<script>` (it writes one even with `js=[]`) and its comments (which hold
URLs). What is left is SVG with an inline stylesheet scoped to the chart's id, so it needs no JavaScript
and fetches nothing, and WeasyPrint draws it as the browser does.

Hidden (suppressed) cells get no bar, only their marker ("<3" or "x"), so a chart never shows more
than the table beside it. Every text is escaped by the serialiser.

Charts are drawn from the finished tables by the outputs that show them (the dashboard view and the PDF),
never by the selector: the CSV and XLSX exports show none and should not wait for one.
"""

from collections.abc import Iterable

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.etree import etree
from pygal.style import Style

from analytics.tables import Cell, Table
from common.numbers import group_digits

WIDTH = 360  # a phone's width: on a phone the text shows at its own size (640 squeezed it to 5 px)
ROW_HEIGHT = 52  # a label line and two bars
CHROME_HEIGHT = 100  # the legend (one line per period) and the value axis
LABEL_CHARS = 46  # what one line of 11-unit text holds across the chart
SERIES_MARGIN = 0.17
CURRENT_COLOUR = "#0d6efd"
PREVIOUS_COLOUR = "#9ec5fe"
FONT = "'DejaVu Sans', sans-serif"
TEXT = "#212529"

STYLE = Style(
    font_family=FONT,
    background="white",
    plot_background="white",
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle="#6c757d",
    colors=(CURRENT_COLOUR, PREVIOUS_COLOUR),
    opacity="1",
    opacity_hover="1",
    transition="none",
    label_font_size=11,
    major_label_font_size=11,
    value_font_size=10,
    legend_font_size=11,
    tooltip_font_size=11,
    title_font_size=13,
    no_data_font_size=14,
    guide_stroke_color="#dee2e6",
    major_guide_stroke_color="#adb5bd",
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
)


def _point(cell: Cell) -> dict | None:
    """A bar for a shown count; for a hidden one a bar of nothing, labelled with its marker."""
    if cell.value is None:
        return None
    if cell.hidden:
        return {"value": 0, "formatter": lambda _value, text=cell.text: text}
    return {"value": cell.value}


def _count_text(value: float | None) -> str:
    """A bar's printed count, grouped as in the table beside it."""
    return "" if value is None else group_digits(int(value))


def _short(label: str) -> str:
    """The label as one line across the chart; only a very long one is cut (the table has it whole)."""
    label = " ".join(str(label).split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


class _HorizontalBar(pygal.HorizontalBar):
    # Wider gaps between rows than pygal's 6 %: each row's label is written in the gap above its bars.
    _series_margin = SERIES_MARGIN


def _label_rows(root, rows: list[tuple[str, str]]) -> None:
    """Write each row's label (row key, text) above its bars, across the chart: on a phone a label column
    beside the bars left them no room."""
    plot = next((g for g in root.iter("g") if _classes(g) == {"plot"}), None)
    if plot is None:
        return
    tops: dict[str, float] = {}
    for bar in plot.iter("g"):
        rect = bar.find("rect")
        key = next((d.text for d in bar.iter("desc") if d.get("class") == "x_label"), None)
        if "bar" in _classes(bar) and rect is not None and key is not None:
            tops[key] = min(tops.get(key, float("inf")), float(rect.get("y")))
    for key, label in rows:
        if key not in tops:
            continue
        text = etree.SubElement(plot, "text", x="5", y=f"{tops[key] - 3:.1f}")
        text.set("class", "row-label")
        text.set("text-anchor", "start")
        text.set("font-size", str(STYLE.label_font_size))
        text.set("font-family", FONT)
        text.set("fill", TEXT)
        text.text = label


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _make_static(root, prefix: str) -> None:
    """Drop the script, the comments and the (script-driven) tooltip; make ids unique on the page."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            # pygal's own <title>s ("Pygal", raw ratios) would be read out and shown as tooltips; the chart
            # gets one translated title of ours instead.
            if child.tag is etree.Comment or tag in ("script", "title") or "tooltip-overlay" in _classes(child):
                parent.remove(child)
    for element in root.iter():
        if element.get("id") and element is not root:
            element.set("id", f"{prefix}-{element.get('id')}")
        if "value" in _classes(element) and isinstance(element.tag, str) and element.tag.endswith("text"):
            # The count just after the end of its bar, not across it.
            element.set("text-anchor", "start")
            element.set("x", f"{float(element.get('x', 0)) + 3:.1f}")


def bar_chart(table: Table) -> SafeString:
    rows = [row for row in table.rows if not row.is_total][::-1]  # pygal draws the first row at the bottom
    # Room right of the longest bar for its printed value.
    top = max(
        [
            cell.value
            for row in rows
            for cell in (row.current, row.previous)
            if cell.value is not None and not cell.hidden
        ]
        or [1]
    )
    chart = _HorizontalBar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=WIDTH,
        height=CHROME_HEIGHT + ROW_HEIGHT * max(len(rows), 1),
        show_y_labels=False,
        print_values=True,
        print_values_position="top",
        formatter=_count_text,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        truncate_label=-1,
        range=(0, max(top * 1.25, 1)),
        show_y_guides=False,
        show_x_guides=True,
        min_scale=1,
        max_scale=6,
        classes=["pygal-chart", "stats-chart"],
        no_data_text="—",
    )
    chart.uuid = f"stats-{table.key}"  # the stylesheet is scoped by this id: stable, unique on a page
    chart.x_labels = [row.label for row in rows]
    chart.add(table.current_label, [_point(row.current) for row in rows])
    chart.add(table.previous_label, [_point(row.previous) for row in rows])
    root = chart.render_tree()
    _make_static(root, chart.uuid)
    _label_rows(root, [(str(row.label), _short(row.label)) for row in rows])
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-label", table.title)
    title = etree.Element("title")
    title.text = table.title
    root.insert(0, title)
    return mark_safe(etree.tostring(root, encoding="unicode"))  # noqa: S308 - serialised (escaped) by etree


def tables_with_charts(tables: Iterable[Table]) -> list[tuple[Table, SafeString]]:
    """Each table with its chart, in order: what the dashboard and the PDF show."""
    return [(table, bar_chart(table)) for table in tables]
