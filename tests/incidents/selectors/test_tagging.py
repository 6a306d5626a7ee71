"""The assessment block and its history, rendered in Russian, Kazakh and English."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from incidents.models import Act, ForensicHarm, Incident, Injury
from incidents.selectors.tagging import assessment_current, assessment_history, override_active, overrides_all
from incidents.services.tagging import incident_assess, part_override_set
from legal.facts import ALMATY
from tests.factories import IncidentFactory
from tests.legal.factories import AttackerFactory

pytestmark = pytest.mark.django_db

PART_3_OPENING = {
    "ru": "3. Применение насилия, не опасного для жизни или здоровья",
    "kk": "өмірге немесе денсаулыққа қауіпті емес күш қолдану",
    "en": "3. The use of violence that is not dangerous to life or health",
}
PART_5_OPENING = {
    "ru": "5. Применение насилия, опасного для жизни или здоровья",
    "kk": "өмірге немесе денсаулыққа қауіпті күш қолдану",
    "en": "5. The use of violence dangerous to life or health",
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def render(incident: Incident, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "legal/includes/assessment.html",
            {"assessment": assessment_current(incident), "override": override_active(incident)},
        )


@pytest.fixture
def violent_incident(facility_a):
    incident = IncidentFactory(
        facility=facility_a,
        act=Act.VIOLENCE,
        injury=Injury.PAIN,
        occurred_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY),
    )
    AttackerFactory(incident=incident, full_name="Сериков Б.")
    incident_assess(incident=incident, trigger="submitted")
    return incident


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_block_shows_part_text_penalty_reasons_and_provisional_badge(violent_incident, language):
    html = render(violent_incident, language)
    plain = text_of(html)
    assert PART_3_OPENING[language] in plain
    assert "provisional" in html  # the badge's class, whatever the language of its label
    assert "2\u202f162\u202f500" in html and "4\u202f325\u202f000" in html  # fine in tenge at the 2026 MCI
    assert "{'code'" not in plain and "%(" not in plain
    assert "legal-reasons" in html and "<li>" in html
    assert "<script" not in html


def test_english_block_reads_as_sentences(violent_incident):
    plain = text_of(render(violent_incident, "en"))
    assert "Article 380-3, part 3" in plain
    assert "Procedure inquiry" in plain and "Gravity medium" in plain
    assert "a fine of 500 to 1000 MCI" in plain and "imprisonment for 2 to 3 years" in plain
    assert "Provisional: the degree of harm is taken from the report" in plain
    assert "The violence caused at most physical pain" in plain
    assert "Unofficial translation" in plain


def test_no_badge_once_the_forensic_result_is_recorded(violent_incident):
    Incident.objects.filter(pk=violent_incident.pk).update(forensic_harm=ForensicHarm.PAIN)
    incident_assess(incident=violent_incident, trigger="forensic_result")
    html = render(violent_incident, "en")
    assert "provisional" not in html and "Warnings" not in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_override_is_shown_beside_the_computed_tag(violent_incident, officer, language):
    part_override_set(incident=violent_incident, part=5, reason="Удар бутылкой по голове", actor=officer)
    plain = text_of(render(violent_incident, language))
    assert "Удар бутылкой по голове" in plain
    assert PART_5_OPENING[language] in plain and PART_3_OPENING[language] in plain
    if language == "en":
        assert "Part set by an officer: Article 380-3, part 5" in plain
        assert "Computed tag: Article 380-3, part 3" in plain


def test_not_applicable_block_lists_general_articles(facility_a):
    incident = IncidentFactory(
        facility=facility_a, act=Act.THREAT, occurred_at=dt.datetime(2026, 3, 6, 23, 0, tzinfo=ALMATY)
    )
    incident_assess(incident=incident, trigger="submitted")
    plain = text_of(render(incident, "en"))
    assert "Article 380-3 does not apply." in plain
    assert "Also consider" in plain and "CC art. 115" in plain
    assert "Penalty" not in plain


def test_block_without_assessment(facility_a):
    with translation.override("en"):
        html = render_to_string("legal/includes/assessment.html", {"assessment": None, "override": None})
    assert "Not assessed yet." in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_history_lists_every_version_with_what_changed(violent_incident, officer, language):
    Incident.objects.filter(pk=violent_incident.pk).update(forensic_harm=ForensicHarm.LIGHT)
    incident_assess(incident=violent_incident, trigger="forensic_result", actor=officer)
    part_override_set(incident=violent_incident, part=6, reason="Группа", actor=officer)
    with translation.override(language):
        html = render_to_string(
            "legal/includes/assessment_history.html",
            {"history": assessment_history(violent_incident), "overrides": overrides_all(violent_incident)},
        )
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>", html)
    assert rows == ["2", "1"]
    assert "Группа" in html
    if language == "en":
        plain = text_of(html)
        assert "forensic result recorded" in plain and "report submitted" in plain
        assert "degree of harm" in plain and "part 5" in plain and "was part 3" in plain
        assert "first assessment" in plain
