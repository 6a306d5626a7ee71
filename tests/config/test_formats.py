"""Issue 11: dates. dd.mm.yyyy in Russian and Kazakh on every page and PDF, no ISO date left; in English one
format (`config/formats/`, the one home of the formats)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from analytics.pdf import render_statistics_html
from analytics.periods import Period
from analytics.selectors.filters import Filters
from analytics.selectors.statistics import statistics_for
from analytics.snapshot import snapshot_refresh
from incidents import pdf as notice_pdf
from incidents.models import CaseMessage, Incident, ReportDraft
from incidents.services.tagging import incident_assess
from tests import factories
from tests.incidents.case_support import registered

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")
DOTTED = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
ENGLISH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


def text_of(html: str) -> str:
    """What a reader sees: the text, without tags (attribute values, such as a date input's, are for machines)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def worked_case(incident, officer, reporter):
    """A case with a date in every place one is shown: occurred, registered, deadline, a question, a draft."""
    Incident.objects.filter(pk=incident.pk).update(occurred_at=timezone.now() - dt.timedelta(days=3))
    incident.refresh_from_db()
    incident_assess(incident=incident, trigger="submitted", actor=reporter)
    incident.refresh_from_db()
    incident = registered(incident, officer, on=timezone.localdate() - dt.timedelta(days=1))
    CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="Кто?")
    ReportDraft.objects.create(owner=reporter, data={"account": ["Черновик"]})
    return incident


def pages(client, worked_case, reporter, officer, analyst, language):
    """Every page with dates, as each role reads it, and the notice and statistics PDFs' HTML."""
    seen = {}
    for user, urls in (
        (reporter, [reverse("incidents:my_reports"), reverse("incidents:report_detail", args=[worked_case.pk])]),
        (officer, [reverse("incidents:case_inbox"), reverse("incidents:case_detail", args=[worked_case.pk])]),
        (analyst, [reverse("analytics:dashboard")]),
    ):
        client.force_login(user)
        for url in urls:
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            seen[url] = response.content.decode()
    with translation.override(language):
        notice = "ru-kk" if language in ("ru", "kk") else "en"
        seen["notice"] = notice_pdf.render_notice_html(incident=worked_case, language=notice, version=1)
        seen["statistics pdf"] = render_statistics_html(
            statistics_for(Filters(period=Period.containing(timezone.localdate(), "year"))), language=language
        )
    return seen


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_russian_and_kazakh_pages_and_pdfs_write_dates_dd_mm_yyyy(
    client, worked_case, reporter, officer, analyst, language
):
    snapshot_refresh()
    for where, html in pages(client, worked_case, reporter, officer, analyst, language).items():
        text = text_of(html)
        assert not ISO.findall(text), (language, where, ISO.findall(text)[:3])
        assert DOTTED.search(text), (language, where)  # control: the page does show a date


def test_english_pages_and_pdfs_write_one_format(client, worked_case, reporter, officer, analyst):
    snapshot_refresh()
    for where, html in pages(client, worked_case, reporter, officer, analyst, "en").items():
        text = text_of(html)
        assert not ISO.findall(text) and not DOTTED.findall(text), (
            where,
            (ISO.findall(text) + DOTTED.findall(text))[:3],
        )
        assert ENGLISH.search(text), where


@pytest.mark.parametrize(("language", "expected"), [("ru", "07.03.2026"), ("kk", "07.03.2026"), ("en", "7 Mar 2026")])
def test_the_formats_have_one_home(language, expected):
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(dt.date(2026, 3, 7), name) == expected
        assert formats.date_format(dt.datetime(2026, 3, 7, 9, 5), "SHORT_DATETIME_FORMAT").startswith(expected)


def test_a_legal_sentence_with_a_date_writes_it_in_the_language(reporter, facility_a):
    """The rules speak of the act's date and the law's entry into force: those dates are formatted too."""
    from incidents.selectors.tagging import legal_shown
    from legal.audiences import Audience

    incident = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, occurred_at=timezone.make_aware(dt.datetime(2025, 12, 1, 10))
    )
    incident_assess(incident=incident, trigger="submitted", actor=reporter)
    with translation.override("ru"):
        shown = legal_shown(incident, Audience.REPORTING)
        sentences = " ".join([*shown.assessment.reasons_text, *shown.assessment.warnings_text])
    assert "07.03.2026" in sentences and "2026-03-07" not in sentences
