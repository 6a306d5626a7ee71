"""The figures (`analytics/figures.py`): static SVG drawn by the outputs that show them, never by the selector; no
script and nothing fetched; an image with a name and a description; a hidden figure gets no bar, colour or point, only
its marker; every text escaped. The PDF's layout: test_pdf_layout.py; the page: test_dashboard_browser.py."""

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from analytics import figures, presentation
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.tables import Cell, Row, Table
from common.numbers import group_digits

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, in a test


def demo_table(**kwargs) -> Table:
    rows = [
        Row("Ward", Cell(12_345), Cell(2, state="primary")),
        Row("Street <b>&", Cell(7), Cell(None)),
        Row("Corridor", Cell(5, state="secondary"), Cell(9)),
        Row("Total", Cell(12_357, state="secondary"), Cell(11), is_total=True),
    ]
    return Table("demo", "Demo", "incidents", rows, "2026", "2025", **kwargs)


def test_the_selector_draws_nothing(known_data, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("drawn by the selector")

    for name in ("compact_bars", "bar_chart", "trend_chart", "heat_map", "district_map", "funnel_chart"):
        monkeypatch.setattr(figures, name, refuse)
    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
    assert stats.tables and stats.details


def every_figure(stats) -> list[str]:
    board = presentation.dashboard_for(stats)
    drawn = [board.trend, board.heat, board.heat_portrait, board.districts, board.facilities, board.funnel]
    drawn += [chart for _table, chart in board.breakdowns]
    drawn += figures.bar_pages(stats.table("facility"), rows_per_page=2)
    return [str(svg) for svg in drawn]


def test_figures_are_static_named_images(july):
    drawn = every_figure(july)
    assert len(drawn) >= 13
    for svg in drawn:
        root = parse(svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title").text.strip() and root.find(f"{SVG}desc").text.strip()
        assert "<script" not in svg.lower() and "javascript" not in svg.lower() and "<!--" not in svg
        for element in root.iter():
            for name in element.attrib:
                assert "href" not in name and name not in ("src", "style"), name
            assert not element.tag.endswith("foreignObject")


def drawn_values(svg: str) -> list[str]:
    return [text.text for text in parse(svg).iter(f"{SVG}text") if text.get("class") == "value"]


def test_a_hidden_figure_gets_its_marker_and_no_bar():
    table = demo_table()
    svg = str(figures.compact_bars(table, title="Demo"))
    root = parse(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if (rect.get("class") or "").startswith("bar-")]
    # Ward (this year), Street (this year), Corridor (a year earlier): the shown counts; none for hidden ones.
    assert len(bars) == 3
    assert drawn_values(svg) == [group_digits(12_345), "<3", "7", "—", "x", "9"]
    assert "12357" not in svg and "12 357" not in svg and ">2<" not in svg  # hidden values are nowhere
    desc = root.find(f"{SVG}desc").text
    assert "Ward: 12" in desc and "2025: <3" in desc


def test_every_text_is_escaped():
    svg = str(figures.compact_bars(demo_table(), title='Demo "<script>"'))
    assert "<b>" not in svg and "Street &lt;b&gt;&amp;" in svg and "<script>" not in svg


def test_a_count_reads_the_same_in_its_table_and_its_chart():
    table = demo_table()
    with translation.override("en"):
        html = render_to_string("analytics/_table.html", {"table": table})
    grouped = group_digits(12_345)
    assert f'<td class="text-end">{grouped}</td>' in html
    assert grouped in drawn_values(str(figures.compact_bars(table, title="Demo")))


def test_the_facility_chart_is_sorted_largest_first_hidden_last():
    svg = str(figures.compact_bars(demo_table(), title="Demo", sort=True, previous=False))
    labels = [text.text for text in parse(svg).iter(f"{SVG}text") if text.get("class") == "row-label"]
    assert labels == ["Ward", "Street <b>&", "Corridor"]


def test_long_bar_charts_are_cut_into_pieces_on_one_scale():
    rows = [Row(f"Facility {n}", Cell(n + 3), Cell(0)) for n in range(70)]
    table = Table("facility", "By facility", "incidents", rows, "2026", "2025")
    pieces = figures.bar_pages(table, rows_per_page=32)
    assert len(pieces) == 3
    assert [parse(piece).find(f"{SVG}title").text for piece in pieces] == [f"By facility ({n}/3)" for n in (1, 2, 3)]
    widths = {}
    for piece in pieces:
        for rect in parse(piece).iter(f"{SVG}rect"):
            if rect.get("fill") == figures.CURRENT_COLOUR and float(rect.get("height")) > 5:
                widths[float(rect.get("y")), piece] = float(rect.get("width"))
    assert max(widths.values()) == pytest.approx(figures.BAR_WIDTH - figures.LABEL_WIDTH - 60)


def test_the_heat_map_colours_only_shown_cells(known_data):
    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
    root = parse(str(figures.heat_map(stats.details, title="Heat")))
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(cells) == 7 * 24
    for rect in cells:
        name = rect.find(f"{SVG}title").text
        if name.endswith(("<3", ": x")):
            assert rect.get("fill") == figures.HIDDEN_FILL, name
        else:
            assert rect.get("fill") in figures.SCALE, name


def test_the_district_map_places_all_of_almatys_districts():
    with (Path(settings.BASE_DIR) / "facilities" / "data" / "districts.csv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert codes == set(figures.DISTRICT_TILES)
    places = list(figures.DISTRICT_TILES.values())
    assert len(set(places)) == len(places)


def test_last_years_colour_keeps_3_to_1_contrast_on_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (figures.PREVIOUS_COLOUR, figures.CURRENT_COLOUR, *figures.SERIES_COLOURS.values()):
        assert (1.05) / (luminance(colour) + 0.05) >= 3, colour
