"""The charts (`analytics/charts.py`): drawn by pygal as static SVG (no script, nothing fetched) by the outputs that
show them, not by the selector; suppression kept; a count printed as the table prints it. In the PDF: test_pdf.py."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from analytics import charts
from analytics.charts import bar_chart
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.tables import Cell, Row, Table
from common.numbers import group_digits

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output, in a test


def bars(root: ET.Element) -> list[tuple[str, str, float]]:
    """(row label, printed value, bar width) of every bar in the chart."""
    found = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "bar":
            continue
        descriptions = {d.get("class"): d.text for d in group.iter(f"{SVG}desc")}
        rect = group.find(f"{SVG}rect")
        found.append((descriptions["x_label"], descriptions["value"], float(rect.get("width") or 0)))
    return found


def refuse_to_draw(table: Table) -> None:
    raise AssertionError(f"a chart was drawn for {table.key}")


def test_the_selector_returns_tables_and_draws_no_chart(known_data, monkeypatch):
    # Drawing is the job of the outputs that show charts (the dashboard view and the PDF).
    monkeypatch.setattr(charts, "bar_chart", refuse_to_draw)
    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
    assert stats.tables and all(table.rows for table in stats.tables)
    for table in stats.tables:
        assert not hasattr(table, "chart"), table.key


def test_charts_are_pygal_svg_with_no_script_and_nothing_to_fetch(july):
    for table in july.tables:
        svg = str(charts.bar_chart(table))
        root = parse(svg)
        assert root.tag == f"{SVG}svg" and "pygal-chart" in root.get("class")
        assert "<script" not in svg.lower() and "<!--" not in svg and "javascript" not in svg.lower()
        for element in root.iter():
            for name, value in element.attrib.items():
                assert "href" not in name and name != "src", (name, value)
                assert "http" not in value and "url(" not in value, (name, value)
            text = element.text or ""
            assert "http" not in text and "@import" not in text and "url(" not in text, text[:200]
        assert root.find(f"{SVG}title").text == table.title and root.get("role") == "img"
        assert [t.text for t in root.iter(f"{SVG}title")] == [table.title]  # no "Pygal", no raw ratios


def test_chart_ids_are_unique_on_the_page(july):
    ids = [
        element.get("id")
        for table in july.tables
        for element in parse(charts.bar_chart(table)).iter()
        if element.get("id")
    ]
    assert ids and len(ids) == len(set(ids))


def test_hidden_cells_get_no_bar_only_their_marker(july):
    # Threshold 3: Children's B (1 incident) reads "<3"; the total is hidden ("x") so B cannot be worked out
    # as total minus Hospital A, which stays shown.
    drawn = {(label, value): width for label, value, width in bars(parse(charts.bar_chart(july.table("facility"))))}
    assert drawn[("Children's B", "<3")] == 0
    assert drawn[("Hospital A", "5")] > 0
    texts = [t.text for t in parse(charts.bar_chart(july.table("facility"))).iter(f"{SVG}text")]
    assert "<3" in texts
    # Nothing in the chart shows a hidden count.
    assert not {"1", "2", "6"} & {
        value for _label, value, _width in bars(parse(charts.bar_chart(july.table("facility"))))
    }


def test_shown_cells_get_bars_in_proportion(known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    with translation.override("en"):
        stats = statistics_for(Filters(Period.parse("2025-07")))
    drawn = {(label, value): width for label, value, width in bars(parse(charts.bar_chart(stats.table("facility"))))}
    assert drawn[("Hospital A", "5")] == pytest.approx(5 * drawn[("Children's B", "1")], rel=0.01)
    assert drawn[("Hospital A", "5")] > 0


def test_labels_are_escaped():
    hostile = '<script>alert(1)</script> & "quotes"'
    table = Table("part", hostile, "incidents", [Row(hostile, Cell(4), Cell(None))], "2025-07", "2024-07")
    svg = str(charts.bar_chart(table))
    assert "<script" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == hostile
    assert any(t.text == hostile[:37] + "…" or t.text == hostile for t in root.iter(f"{SVG}text"))


def test_a_count_reads_the_same_in_the_statistics_table_and_its_chart():
    table = Table(
        key="demo",
        title="Demo",
        unit="incidents",
        rows=[Row("Ward", Cell(12_345), Cell(2, state="primary")), Row("Street", Cell(7), Cell(None))],
        current_label="2026",
        previous_label="2025",
    )
    chart = bar_chart(table)
    stats = SimpleNamespace(headline=[], tables=[table], timings=[], threshold=3)
    with translation.override("en"):
        html = render_to_string("analytics/_tables.html", {"stats": stats, "tables_with_charts": [(table, chart)]})
    grouped = group_digits(12_345)
    assert f'<td class="text-end">{grouped}</td>' in html
    assert f'class="value">{grouped}</text>' in str(chart)  # the bar's printed count
    assert '<td class="text-end">7</td>' in html and '<td class="text-end">&lt;3</td>' in html
