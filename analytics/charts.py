"""Horizontal bar charts as plain SVG: the same markup goes into the page and into the PDF.

Hidden (suppressed) cells get no bar, only their marker ("<3" or "x"), so a chart never shows more
than the table beside it. No JavaScript, no external resources; every text is escaped.
"""

from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:  # pragma: no cover
    from analytics.selectors import Table

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = 330
ROW_HEIGHT = 30
BAR_HEIGHT = 10
TOP = 28
CURRENT_COLOUR = "#0d6efd"
PREVIOUS_COLOUR = "#9ec5fe"
FONT = "DejaVu Sans, Arial, sans-serif"


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(table: "Table") -> SafeString:
    rows = [row for row in table.rows if not row.is_total]
    values = [cell.shown or 0 for row in rows for cell in (row.current, row.previous)]
    scale = max(values, default=0) or 1
    height = TOP + ROW_HEIGHT * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(table.title)}" font-family="{FONT}" font-size="11">',
        f"<title>{escape(table.title)}</title>",
        f'<rect x="{LABEL_WIDTH}" y="6" width="10" height="10" fill="{CURRENT_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 14}" y="15">{escape(table.current_label)}</text>',
        f'<rect x="{LABEL_WIDTH + 170}" y="6" width="10" height="10" fill="{PREVIOUS_COLOUR}"/>',
        f'<text x="{LABEL_WIDTH + 184}" y="15">{escape(table.previous_label)}</text>',
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(_shorten(row.label))}</text>')
        for offset, cell, colour in ((2, row.current, CURRENT_COLOUR), (2 + BAR_HEIGHT + 2, row.previous,
                                                                       PREVIOUS_COLOUR)):
            width = round(BAR_AREA * (cell.shown or 0) / scale, 1)
            if width:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + offset}" width="{width}" height="{BAR_HEIGHT}" '
                             f'fill="{colour}"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 4}" y="{y + offset + BAR_HEIGHT - 1}" '
                         f'font-size="9">{escape(cell.text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built here from escaped text
