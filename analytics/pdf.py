"""The statistics report as a PDF: the dashboard's tables, charts and data dictionary, rendered by WeasyPrint.

The URL fetcher is the notices' one (`incidents/pdf.py`): it reads files under `static/` and nothing else.
"""

from django.template.loader import render_to_string
from django.utils import translation

from analytics.selectors import STATUTE, Statistics


def render_statistics_html(stats: Statistics, *, language: str = "ru") -> str:
    with translation.override(language):
        return render_to_string(
            "analytics/pdf/report.html",
            {
                "stats": stats,
                "language": language,
                "statute": STATUTE,
                "threshold": stats.threshold,
            },
        )


def render_statistics_pdf(stats: Statistics, *, language: str = "ru") -> bytes:
    """The report as A4 PDF bytes."""
    import weasyprint

    from incidents.pdf import STATIC_DIR, make_url_fetcher

    html = render_statistics_html(stats, language=language)
    document = weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=make_url_fetcher())
    return document.write_pdf()
