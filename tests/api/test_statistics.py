"""The statistics as JSON: the dashboard's own figures with its small-cell suppression; never a person."""

import json

from django.urls import reverse

from tests.analytics.conftest import known_data, north, personal_data, south  # noqa: F401 (fixtures)

STATISTICS = "/api/v1/statistics/"
JULY = {"period": "2025-07"}


def test_hidden_cells_carry_no_number(api, analyst, known_data):  # noqa: F811
    body = api.as_token(analyst).get(STATISTICS, JULY).json()
    facilities = {row["label"]: row for table in body["tables"] if table["key"] == "facility" for row in table["rows"]}
    cell = facilities["Children's B"]["current"]
    assert cell == {"value": None, "text": "<3", "hidden": True}


def test_the_json_matches_the_dashboard(client, api, analyst, known_data):  # noqa: F811
    client.force_login(analyst)
    page = client.get(reverse("analytics:dashboard") + "?period=2025-07").context["stats"]
    body = api.as_token(analyst).get(STATISTICS, JULY).json()
    assert [[(r.current.text, r.previous.text) for r in t.rows] for t in page.tables] == [
        [(r["current"]["text"], r["previous"]["text"]) for r in t["rows"]] for t in body["tables"]
    ]
    assert body["threshold"] == page.threshold


def test_no_personal_data(api, analyst, known_data, personal_data):  # noqa: F811
    text = json.dumps(api.as_token(analyst).get(STATISTICS, JULY).json(), ensure_ascii=False)
    assert "Hospital A" in text
    for secret in personal_data:
        assert secret not in text


def test_a_wrong_period_is_a_400_naming_it(api, analyst, known_data):  # noqa: F811
    response = api.as_token(analyst).get(STATISTICS, {"period": "2025-13"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["period"]
