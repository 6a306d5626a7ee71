"""The statistics report as a PDF: the headline tiles, the trend, the heat map, the district map, the path to justice,
then the breakdowns with their tables and the data dictionary, rendered by WeasyPrint.

Every figure is given a width in millimetres, so its height on paper is known (`figures.height_mm`) and each one fits
its page; a long bar chart (43 facilities, 152 posts) is cut into pieces of `BAR_ROWS_PER_PAGE` rows, each under its
heading repeated. Headings are bilingual, as the notices are: the report's language, and Russian or Kazakh beside it.

The engine is `common.pdf`: its URL fetcher reads files under `static/` and nothing else.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from analytics import figures, presentation
from analytics.selectors.categories import parts_by_act
from analytics.selectors.details import ATTACKER_TITLES
from analytics.selectors.statistics import Statistics
from analytics.selectors.tables import TABLE_TITLES
from analytics.tables import Table
from common.pdf import html_to_pdf
from legal.statute import CURRENT as STATUTE

# A4 portrait with the template's margins: 182 × 263 mm of content.
CONTENT_WIDTH_MM = 182
CONTENT_HEIGHT_MM = 263
# Bar rows per piece of a long chart: 24 units a row at 680 units to 182 mm is 6.4 mm; 32 rows and the legend are
# 214 mm, which leaves room for the two-line heading on any page.
BAR_ROWS_PER_PAGE = 32
# The breakdowns, in order, after the figures of the first pages.
PDF_BREAKDOWNS = ("part", "act", "profession", "place", "attacker", "intoxication", "kind", "district", "facility")

CAPTIONS = {
    "tiles": gettext_noop("In the period"),
    "trend": gettext_noop("Incidents per month, by act"),
    "heat": gettext_noop("When attacks happen: weekday and hour"),
    "districts": gettext_noop("By district"),
    "funnel": gettext_noop("The path to justice"),
    "refusals": gettext_noop("Refusals and “no offence”, by part"),
    "timings": gettext_noop("Time taken by the police"),
    "dictionary": gettext_noop("Data dictionary"),
}


def second_language(language: str) -> str:
    """The language written beside the report's: Kazakh beside Russian, Russian beside Kazakh or English."""
    return "kk" if language == "ru" else "ru"


def captions(language: str) -> dict[str, tuple[str, str]]:
    """{key: (in the report's language, in the second one)} for the section headings and the tables' titles."""
    titles = {**TABLE_TITLES, **ATTACKER_TITLES}
    msgids = {**CAPTIONS, **{f"table-{key}": title for key, title in titles.items()}}
    result = {}
    for key, msgid in msgids.items():
        with translation.override(language):
            first = _(msgid)
        with translation.override(second_language(language)):
            second = _(msgid)
        result[key] = (first, second)
    return result


@dataclass
class Figure:
    svg: SafeString
    width_mm: float

    @property
    def height_mm(self) -> float:
        return figures.height_mm(self.svg, self.width_mm)

    @property
    def markup(self) -> SafeString:
        """The SVG with its size on paper, so the page's layout knows it before drawing."""
        size = f'width="{self.width_mm:.1f}mm" height="{self.height_mm:.1f}mm"'
        return mark_safe(self.svg.replace('width="100%"', size, 1))  # noqa: S308 - our own escaped SVG


@dataclass
class Breakdown:
    table: Table
    caption: tuple[str, str]
    pieces: list[Figure]


def report_context(stats: Statistics, language: str) -> dict:
    """Everything the report prints, drawn for paper (call inside `translation.override(language)`)."""
    names = captions(language)
    tables = {table.key: table for table in stats.tables}
    details = stats.details
    context: dict = {
        "stats": stats,
        "language": language,
        "captions": names,
        "tiles": presentation.tiles(stats),
        "statute": STATUTE,
        "act_parts": parts_by_act(),
        "threshold": stats.threshold,
        "content_width_mm": CONTENT_WIDTH_MM,
    }
    if details is not None:
        context["trend"] = Figure(figures.trend_chart(details, title=names["trend"][0]), 150)
        context["heat"] = Figure(figures.heat_map(details, title=names["heat"][0]), CONTENT_WIDTH_MM)
    if "district" in tables:
        context["districts"] = Figure(figures.district_map(tables["district"], title=names["districts"][0]), 95)
    context["funnel"] = Figure(figures.funnel_chart(presentation.funnel_steps(stats), title=names["funnel"][0]), 140)
    context["funnel_table"] = tables.get("funnel")
    # The Ministry's report only (a facility lead's statistics have no PDF): the victims' claims, suppressed.
    context["compensation"] = details.compensation if details is not None else None
    context["breakdowns"] = [
        Breakdown(
            tables[key],
            names[f"table-{key}"],
            [
                Figure(svg, CONTENT_WIDTH_MM)
                for svg in figures.bar_pages(tables[key], rows_per_page=BAR_ROWS_PER_PAGE, sort=key == "facility")
            ],
        )
        for key in PDF_BREAKDOWNS
        if key in tables
    ]
    return context


def render_statistics_html(stats: Statistics, *, language: str = "ru") -> str:
    with translation.override(language):
        return render_to_string("analytics/pdf/report.html", report_context(stats, language))


def render_statistics_pdf(stats: Statistics, *, language: str = "ru") -> bytes:
    """The report as A4 PDF bytes."""
    return html_to_pdf(render_statistics_html(stats, language=language))
