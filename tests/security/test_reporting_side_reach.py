"""Issue 11 (fix first): nothing a reporter or a facility lead can reach tells them about another case.

`test_repeat_matrix.py` opens every page of the two cases and the lists. This suite covers the rest of what
the reporting side can reach: every URL that names a case, a file, a question or a draft by its id, and the
e-mails it receives, whose timing must not depend on what the police learnt from other cases.
"""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from incidents.models import Act, CaseMessage, Evidence, Injury, ReportDraft
from incidents.services import cases as case_services
from incidents.services.tagging import incident_assess
from tests import factories
from tests.incidents.case_support import registered
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_reporter, other_officer, facility_b):
    """Bob's case at facility B: a file, a question to him, a notice, and a draft of his."""
    incident = factories.IncidentFactory(facility=facility_b, reporter=other_reporter)
    evidence = Evidence.objects.create(
        incident=incident,
        file=ContentFile(b"%PDF-1.4 bob", name="bob.pdf"),
        kind=Evidence.Kind.DOCUMENT,
        original_name="bob.pdf",
        content_type="application/pdf",
        size=12,
        sha256="0" * 64,
        uploaded_by=other_reporter,
    )
    question = CaseMessage.objects.create(
        incident=incident, kind=CaseMessage.Kind.QUESTION, author=other_officer, body="Bob, who was there?"
    )
    draft = ReportDraft.objects.create(owner=other_reporter, key=uuid.uuid4(), data={"account": "Bob's draft words"})
    return {"incident": incident, "evidence": evidence, "question": question, "draft": draft}


def _urls(foreign):
    incident, evidence, question, draft = (foreign[k] for k in ("incident", "evidence", "question", "draft"))
    pk = incident.pk
    gets = [
        reverse("incidents:report_detail", args=[pk]),
        reverse("incidents:report_sent", args=[pk]),
        reverse("incidents:evidence_download", args=[evidence.pk]),
        reverse("incidents:case_detail", args=[pk]),
        reverse("incidents:case_evidence_download", args=[pk, evidence.pk]),
        f"{reverse('incidents:report')}?draft={draft.key}",
    ]
    posts = [
        (reverse("incidents:report_add_info", args=[pk]), {"body": "mine now"}),
        (reverse("incidents:report_answer", args=[pk, question.pk]), {"body": "an answer"}),
        (reverse("incidents:draft_discard", args=[draft.key]), {}),
        (reverse("incidents:case_action", args=[pk, "acknowledge"]), {"version": incident.version}),
        (reverse("incidents:case_notice_english", args=[pk]), {}),
    ]
    return gets, posts


@pytest.mark.parametrize("persona", ["reporter", "facility_lead"])
def test_every_url_naming_another_facilitys_case_file_question_or_draft_answers_404(client, request, foreign, persona):
    client.force_login(request.getfixturevalue(persona))
    gets, posts = _urls(foreign)
    for url in gets:
        response = client.get(url)
        assert response.status_code in (403, 404), (persona, url, response.status_code)
        assert b"Bob" not in response.content, (persona, url)
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (403, 404), (persona, url, response.status_code)
    # Nothing was written into bob's case or draft.
    assert list(foreign["incident"].messages.values_list("body", flat=True)) == ["Bob, who was there?"]
    assert ReportDraft.objects.filter(pk=foreign["draft"].pk).exists()


def test_the_autosave_does_not_write_into_another_users_draft(client, reporter, foreign):
    draft = foreign["draft"]
    client.force_login(reporter)
    response = client.post(reverse("incidents:draft_save"), {"draft_key": str(draft.key), "account": "alice"})
    assert response.status_code == 404 and response.json()["saved"] is False
    draft.refresh_from_db()
    assert draft.data == {"account": "Bob's draft words"}


def test_the_question_email_names_only_the_reporters_own_case(
    reporter, officer, incident, foreign, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_question_ask(incident=incident, actor=officer, body="Кто был рядом?")
    (message,) = mail.outbox
    assert message.to == [reporter.email]
    assert incident.reference in message.subject
    assert foreign["incident"].reference not in message.subject + message.body
    assert "Кто был рядом" not in message.body  # the question itself is read on the site, behind the login


def _violence_case(facility, reporter, *, occurred, iin):
    incident = factories.IncidentFactory(
        facility=facility, reporter=reporter, act=Act.VIOLENCE, injury=Injury.PAIN, occurred_at=occurred
    )
    AttackerFactory(incident=incident, iin_value=iin)
    incident_assess(incident=incident, trigger="submitted", actor=reporter)
    incident.refresh_from_db()
    return incident


def test_the_leads_overdue_emails_do_not_depend_on_a_match_with_another_case(
    reporter, other_reporter, officer, facility_lead, facility_a, facility_b, django_capture_on_commit_callbacks
):
    """A repeat raises violence from part 3 (an inquiry, 1 month) to part 4 (an investigation, 2 months). Were
    the lead told when the investigation's limit passed, the month it came in would tell her of the match."""
    long_ago = timezone.now() - dt.timedelta(days=80)
    suspect = make_iin(serial=5151)
    earlier = _violence_case(facility_b, other_reporter, occurred=long_ago - dt.timedelta(days=30), iin=suspect)
    repeat = _violence_case(facility_a, reporter, occurred=long_ago, iin=suspect)
    plain = _violence_case(facility_a, reporter, occurred=long_ago, iin=make_iin(birth="910202", serial=8))
    assert (plain.legal_part, repeat.legal_part) == (3, 4), "precondition: the repeat raises the part"
    assert earlier.reference in repeat.assessments.latest("pk").facts["repeat_of"]
    registered_on = timezone.localdate(long_ago) + dt.timedelta(days=1)
    for case in (repeat, plain):
        registered(case, officer, on=registered_on)
    mail.outbox.clear()
    # Past the inquiry's month, within the investigation's two.
    now = timezone.make_aware(dt.datetime.combine(registered_on + dt.timedelta(days=40), dt.time(12)))
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_overdue_notify(now=now)
    to_lead = {message.subject for message in mail.outbox if facility_lead.email in message.to}
    told = {case.reference: any(case.reference in subject for subject in to_lead) for case in (repeat, plain)}
    assert told[repeat.reference] == told[plain.reference], told
