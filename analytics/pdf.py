"""The statistics report as a PDF: the dashboard's tables, charts and data dictionary, rendered by WeasyPrint.

The engine is `common.pdf`: its URL fetcher reads files under `static/` and nothing else.
"""

from django.template.loader import render_to_string
from django.utils import translation

from analytics import charts
from analytics.selectors.categories import parts_by_act
from analytics.selectors.statistics import Statistics
from common.pdf import html_to_pdf
from legal.statute import CURRENT as STATUTE


def render_statistics_html(stats: Statistics, *, language: str = "ru") -> str:
    with translation.override(language):
        return render_to_string(
            "analytics/pdf/report.html",
            {
                "stats": stats,
                "tables_with_charts": charts.tables_with_charts(stats.tables),
                "language": language,
                "statute": STATUTE,
                "act_parts": parts_by_act(),
                "threshold": stats.threshold,
            },
        )


def render_statistics_pdf(stats: Statistics, *, language: str = "ru") -> bytes:
    """The report as A4 PDF bytes."""
    return html_to_pdf(render_statistics_html(stats, language=language))
