"""Issue 19: a year without an MCI in the statute data — the warning, values added in admin or settings, the check."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from incidents.models import Act
from incidents.services.tagging import incident_assess
from legal import checks, statute
from legal.audiences import Audience, assessment_for
from legal.facts import ALMATY, parse_facts
from legal.messages import as_contract
from legal.models import MciValue
from legal.rules import assess
from tests.factories import IncidentFactory

THREAT_2027 = {"occurred_at": "2027-02-01T10:00", "act": "threat"}


def test_a_year_without_mci_warns_and_computes_no_tenge():
    result = assess(parse_facts(THREAT_2027))
    assert result.fine_kzt is None and [m.code for m in result.warnings] == ["mci_unknown"]
    assert "The MCI for 2027 is not known" in as_contract(result, "en")["warnings"][0]


def test_added_values_fill_later_years_and_never_replace_the_statutes():
    law = statute.CURRENT.with_mci({2027: 4500, 2026: 1})
    assert law.mci(2027) == 4500 and law.mci(2026) == 4325
    assert law.version == f"{statute.CURRENT.version}+mci-2027"
    assert statute.CURRENT.with_mci({2026: 1}) is statute.CURRENT  # nothing new: the same version
    result = assess(parse_facts(THREAT_2027), law)
    assert result.fine_kzt == (200 * 4500, 500 * 4500) and result.warnings == ()


@pytest.mark.django_db
def test_an_administrators_value_is_used_for_the_assessment(facility_a, settings):
    settings.QORGAU_MCI_BY_YEAR = {2027: 4400}
    incident = IncidentFactory(
        facility=facility_a, act=Act.THREAT, occurred_at=dt.datetime(2027, 2, 1, 10, tzinfo=ALMATY)
    )
    assert incident_assess(incident=incident, trigger="submitted").result["fine_kzt"] == [200 * 4400, 500 * 4400]
    MciValue.objects.create(year=2027, value=4500, source="Закон о бюджете на 2027 год")
    assessment = incident_assess(incident=incident, trigger="manual")
    assert assessment.result["fine_kzt"] == [200 * 4500, 500 * 4500]
    assert assessment.rules_version.startswith(f"{statute.CURRENT.version}+mci-2027")


@pytest.mark.django_db
def test_adding_a_value_in_admin_is_audited(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:legal_mcivalue_add"), {"year": "2027", "value": "4500", "source": "Budget law 2027"}
    )
    assert response.status_code == 302
    value = MciValue.objects.get(year=2027)
    assert value.created_by == admin_user
    entry = LogEntry.objects.get_for_object(value).get()
    assert entry.actor == admin_user and entry.action == LogEntry.Action.CREATE


def test_next_years_value_is_expected_from_1_december():
    known = set(statute.CURRENT.mci_by_year)  # up to 2026
    assert checks.missing_next_year_mci(dt.date(2026, 11, 30), known) is None
    assert checks.missing_next_year_mci(dt.date(2026, 12, 1), known) == 2027
    assert checks.missing_next_year_mci(dt.date(2026, 12, 1), known | {2027}) is None


@pytest.mark.django_db
def test_the_system_check_warns_when_next_years_value_is_missing(monkeypatch, settings):
    settings.QORGAU_MCI_BY_YEAR = {}
    monkeypatch.setattr(checks, "local_today", lambda: dt.date(2026, 12, 1))
    [warning] = checks.next_year_mci_check()
    assert warning.id == "legal.W001" and "2027" in warning.msg
    MciValue.objects.create(year=2027, value=4500, source="x")
    assert checks.next_year_mci_check() == []
    monkeypatch.setattr(checks, "local_today", lambda: dt.date(2026, 11, 30))
    MciValue.objects.all().delete()
    assert checks.next_year_mci_check() == []


def test_the_reporting_side_reads_the_same_mci_as_the_police():
    # A repeat (police only) raises part 1 to part 2, which has no fine; the reporting side's part 1 has one,
    # in tenge at the MCI an administrator added for 2027.
    facts = parse_facts(THREAT_2027 | {"repeat": True, "repeat_of": ["A-1"]})
    outcome = assess(facts, statute.CURRENT.with_mci({2027: 4500}))
    assert outcome.part == 2 and outcome.mci == 4500
    seen = assessment_for(Audience.REPORTING, outcome=outcome, facts=facts.as_json())
    assert seen.part == 1 and seen.fine_kzt == (200 * 4500, 500 * 4500)
