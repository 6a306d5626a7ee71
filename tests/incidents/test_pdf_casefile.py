"""The whole case file's PDF (`incidents/pdf.py`, `render_casefile_pdf`): the facts, the persons with their
compensation, the legal assessment and its history, every action with who and when, the questions and answers,
the evidence with its SHA-256 and chain of custody, the notices' hashes; hostile text printed, nothing fetched."""

import pytest
from django.utils import timezone

from common import pdf as pdf_engine
from incidents import pdf as incidents_pdf
from incidents.models import CaseFile, CaseMessage, Incident
from incidents.services import cases, compensation, downloads, reporting
from incidents.services.tagging import incident_assess
from tests.incidents.casefile_support import stored_evidence
from tests.incidents.notice_support import request_and_run as notice_request_and_run
from tests.incidents.notice_support import tagged_incident
from tests.incidents.test_pdf import http_trap  # noqa: F401  # a fixture: a local HTTP server that counts hits
from tests.pdf_support import pdf_text


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


def flat(data: bytes) -> str:
    """The PDF's text with its line breaks removed (long hashes wrap in table cells)."""
    return pdf_text(data).replace("\n", "")


def render(incident, actor, language="en", url_fetcher=None) -> bytes:
    casefile = CaseFile.objects.create(incident=incident, requested_by=actor, language=language)
    return incidents_pdf.render_casefile_pdf(casefile=casefile, url_fetcher=url_fetcher)


def test_the_case_file_holds_the_whole_case(
    incident, officer, other_officer, post_b, reporter, django_capture_on_commit_callbacks
):
    evidence = stored_evidence(incident, name="bruise.jpg")
    incident_assess(incident=incident, trigger="submitted", actor=None)
    notice = notice_request_and_run(incident, django_capture_on_commit_callbacks)
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    question = cases.case_question_ask(incident=incident, actor=officer, body="Was the attacker a relative?")
    reporting.question_answer(question=question, author=reporter, body="Yes, the patient's son.")
    downloads.evidence_download(evidence=evidence, actor=officer).close()
    incident = cases.case_hand_over(incident=incident, actor=officer, expected_version=incident.version, post=post_b)
    victim = incident.victims.get()
    compensation.compensation_record(
        victim=victim,
        actor=other_officer,
        data=compensation.CompensationInput(
            sick_leave_days=12, claim_status="filed", claimed_material=150000, claimed_moral=500000
        ),
        expected_version=0,
    )

    text = flat(render(incident, other_officer))
    # Facts and persons.
    assert incident.reference in text and "Угрожал расправой" in text
    assert str(reporter) in text and "Filed, awaiting the court" in text and "500\u202f000" in text
    # The legal assessment and its history.
    assert "Article 380-3, part 1" in text and "How the legal tag changed" in text and "first assessment" in text
    # Every action with who did it.
    assert "Acknowledged" in text and "Handed to another police post" in text and str(officer) in text
    # The questions and answers.
    assert "Was the attacker a relative?" in text and "Yes, the patient's son." in text
    # The evidence's hash and its chain of custody: uploaded by the reporter, downloaded by the officer, handed over.
    assert evidence.sha256 in text
    assert "uploaded" in text and "downloaded" in text
    assert "handed over with the case POST-A → POST-B" in text
    # The notices' hashes.
    assert notice.sha256 in text


def test_earlier_case_files_are_listed_with_their_hashes(incident, officer):
    earlier = CaseFile.objects.create(
        incident=incident,
        requested_by=officer,
        status=CaseFile.Status.READY,
        sha256="ab" * 32,
        rendered_at=timezone.now(),
    )
    assert earlier.sha256 in flat(render(incident, officer))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_case_file_is_in_the_language_asked_for(incident, officer, language):
    text = pdf_text(render(incident, officer, language=language))
    assert {"ru": "Материалы дела", "kk": "Іс материалдары"}[language] in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text  # dd.mm.yyyy, no ISO date


def test_hostile_text_is_printed_and_nothing_is_fetched(incident, officer, reporter, http_trap):  # noqa: F811
    base, hits = http_trap
    hostile = f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="{base}/evil.css">'
    Incident.objects.filter(pk=incident.pk).update(account=hostile)
    incident.refresh_from_db()
    stored_evidence(incident, name=f'<img src="{base}/name.png">')
    CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.INFO, author=reporter, body=hostile)
    fetcher = pdf_engine.make_url_fetcher()
    calls = []
    original = fetcher.fetch

    def recording(url, headers=None):
        calls.append(url)
        return original(url, headers)

    fetcher.fetch = recording
    text = pdf_text(render(incident, officer, url_fetcher=fetcher)).replace("\n", " ")
    assert calls == [] and hits == []
    assert '<img src="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
