"""The reporting pages: the form, its errors, uploads, drafts, the kept report, lists and access."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import FacilityMembership
from incidents.models import CaseMessage, Evidence, Incident, IncidentEvent, ReportDraft
from incidents.services import drafts
from tests import factories
from tests.incidents.reporting_support import PDF_BYTES, minimal_post, photo

pytestmark = pytest.mark.django_db

REPORT = reverse("incidents:report")
VALID_IIN = "900101300017"


def post_report(client, data):
    return client.post(REPORT, data)


def sent_incident(response) -> Incident:
    assert response.status_code == 302, response.content.decode()[:3000]
    match = re.fullmatch(r"/incidents/reports/(\d+)/sent/", response.url)
    assert match, response.url
    return Incident.objects.get(pk=int(match.group(1)))


# --- The form page ----------------------------------------------------------------------------------------


def test_form_preselects_the_reporters_facility_and_ties_labels(client, reporter, facility_a):
    client.force_login(reporter)
    response = client.get(REPORT)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="facility" value="{facility_a.pk}"' in html
    assert facility_a.name in html
    for field in ("id_occurred_at", "id_place", "id_account", "id_evidence"):
        assert f'for="{field}"' in html and f'id="{field}"' in html
    assert 'name="draft_key"' in html
    assert 'type="datetime-local"' in html
    assert "<details" in html  # the details are folded


def test_reporter_with_several_facilities_chooses_one(client, reporter, facility_b):
    FacilityMembership.objects.create(user=reporter, facility=facility_b)
    client.force_login(reporter)
    html = client.get(REPORT).content.decode()
    assert '<select name="facility"' in html
    assert facility_b.name in html


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("persona", ["officer", "analyst"])
def test_non_reporters_cannot_open_the_form(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(REPORT).status_code == 403


def test_minimal_report_is_sent_and_confirmed(client, reporter, facility_a, post_a):
    client.force_login(reporter)
    incident = sent_incident(post_report(client, minimal_post(facility_a)))
    assert incident.reporter == reporter and incident.police_post == post_a
    assert incident.victims.get().is_reporter
    assert not incident.attackers.exists()

    page = client.get(reverse("incidents:report_sent", args=[incident.pk])).content.decode()
    assert incident.reference in page
    assert 'data-legal-tag="1"' in page  # a threat: part 1
    assert post_a.code in page


def test_full_report_with_two_victims_and_two_attackers(client, reporter, facility_a):
    client.force_login(reporter)
    data = minimal_post(
        facility_a,
        act="violence",
        injury="treatment",
        sick_leave_days="5",
        weapon_used="on",
        choked="on",
        attackers_count="2",
        attackers_agreed="yes",
        circumstances=["emergency_situation"],
        witnesses="Медсестра Гульнара",
        wants_prosecution="yes",
        footage_available="on",
        confidential="on",
        **{
            "victims-TOTAL_FORMS": "1",
            "victims-0-full_name": "Ерлан Сапаров",
            "victims-0-role": "ambulance_driver",
            "victims-0-duty_link": "performing",
            "attackers-TOTAL_FORMS": "2",
            "attackers-0-relation": "patient",
            "attackers-0-full_name": "Пётр Сидоров",
            "attackers-0-iin": "900101 300017",
            "attackers-0-minor": "no",
            "attackers-0-intoxicated": "on",
            "attackers-1-relation": "relative",
            "attackers-1-description": "женщина в красной куртке",
            "attackers-1-iin": "",
            "attackers-1-minor": "unknown",
            "attackers-1-full_name": "",
        },
    )
    incident = sent_incident(post_report(client, data))

    assert incident.act == "violence" and incident.injury == "treatment" and incident.sick_leave_days == 5
    assert incident.weapon_used and incident.choked and incident.footage_available
    assert incident.reporter_confidential
    assert incident.circumstances == ["emergency_situation"]
    assert [(v.role, v.is_reporter) for v in incident.victims.all()] == [("nurse", True), ("ambulance_driver", False)]
    first, second = incident.attackers.all()
    assert (first.full_name, first.iin, first.intoxicated) == ("Пётр Сидоров", VALID_IIN, True)
    assert first.iin_digest
    assert second.description == "женщина в красной куртке"
    assert incident.legal_applicable


INVALID_CASES = {
    "act missing": ({"act": ""}, "id_act_0"),
    "act unknown": ({"act": "insult"}, "id_act_0"),
    "time missing": ({"occurred_at": ""}, "id_occurred_at"),
    "time garbage": ({"occurred_at": "вчера"}, "id_occurred_at"),
    "time in the future": ({"occurred_at": "2099-01-01T10:00"}, "id_occurred_at"),
    "place missing": ({"place": ""}, "id_place"),
    "place unknown": ({"place": "roof"}, "id_place"),
    "account empty": ({"account": ""}, "id_account"),
    "account too short": ({"account": "ой"}, "id_account"),
    "sick leave negative": ({"sick_leave_days": "-1"}, "id_sick_leave_days"),
    "no attackers": ({"attackers_count": "0"}, "id_attackers_count"),
    "injury unknown": ({"injury": "dead"}, "id_injury_0"),
    "nobody hurt": ({"reporter_hurt": None}, "id_reporter_hurt"),
    "other person without profession": ({"victims-0-full_name": "Айгуль"}, "id_victims-0-role"),
    "bad attacker IIN": ({"attackers-0-iin": "123456789012"}, "id_attackers-0-iin"),
    "facility not mine": ("other-facility", "id_facility"),
}


@pytest.mark.parametrize("case", INVALID_CASES, ids=list(INVALID_CASES))
def test_each_invalid_field_is_explained_next_to_it_and_nothing_is_lost(client, reporter, facility_a, case):
    change, field_id = INVALID_CASES[case]
    if change == "other-facility":
        change = {"facility": str(factories.FacilityFactory().pk)}
    client.force_login(reporter)
    data = {**minimal_post(facility_a), **change}
    data = {key: value for key, value in data.items() if value is not None}
    response = post_report(client, data)

    assert response.status_code == 200
    assert not Incident.objects.exists()
    html = response.content.decode()
    # The summary at the top links to the field; the field is marked invalid and points to its message.
    assert 'id="error-summary"' in html and f'href="#{field_id}"' in html
    if field_id != "id_facility":
        base = field_id.removesuffix("_0")
        assert re.search(rf'id="{re.escape(base)}_error"', html), "error message next to the field"
    # What was typed comes back.
    if data["account"]:
        assert data["account"] in html
    # And the draft holds it on the server.
    assert ReportDraft.objects.get(owner=reporter).data.get("account") == [data["account"]]


def test_errors_are_in_the_users_language(client, reporter, facility_a):
    client.force_login(reporter)
    response = client.post(REPORT, minimal_post(facility_a, act=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose whether it was a threat or violence." in response.content.decode()


def test_fields_with_errors_are_marked_for_screen_readers(client, reporter, facility_a):
    client.force_login(reporter)
    html = post_report(client, minimal_post(facility_a, account="")).content.decode()
    textarea = re.search(r"<textarea[^>]*id=\"id_account\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in textarea and "id_account_error" in textarea
    assert 'role="alert"' in html and 'tabindex="-1"' in html


# --- Uploads ----------------------------------------------------------------------------------------------


def test_upload_whose_name_lies_about_its_type_is_rejected_and_good_files_are_kept(client, reporter, facility_a):
    client.force_login(reporter)
    liar = SimpleUploadedFile("photo.jpg", PDF_BYTES, content_type="image/jpeg")
    data = minimal_post(facility_a, account="", evidence=[photo("real.jpg"), liar])
    response = post_report(client, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "is not what its name says" in html and "photo.jpg" in html
    draft = ReportDraft.objects.get(owner=reporter)
    assert [u.original_name for u in draft.uploads.all()] == ["real.jpg"]
    assert "real.jpg" in html  # shown as attached

    # The nurse fixes the account and sends again, without choosing the photo again.
    fixed = minimal_post(facility_a, draft_key=str(draft.key))
    incident = sent_incident(post_report(client, fixed))
    assert [e.original_name for e in incident.evidence.all()] == ["real.jpg"]


def test_upload_over_the_size_limit_is_rejected(client, reporter, facility_a, settings):
    settings.QORGAU_UPLOAD_MAX_BYTES = 100
    client.force_login(reporter)
    response = post_report(client, minimal_post(facility_a, evidence=[photo()]))
    assert response.status_code == 200
    assert "is too large" in response.content.decode()
    assert not Incident.objects.exists()


def test_too_many_files_are_rejected(client, reporter, facility_a, settings):
    settings.QORGAU_UPLOAD_MAX_FILES = 2
    client.force_login(reporter)
    response = post_report(client, minimal_post(facility_a, evidence=[photo("1.jpg"), photo("2.jpg"), photo("3.jpg")]))
    assert response.status_code == 200
    assert "at most 2 files" in response.content.decode()


def test_a_kept_file_can_be_removed(client, reporter, facility_a):
    client.force_login(reporter)
    data = minimal_post(facility_a, account="", evidence=[photo()])
    post_report(client, data)
    draft = ReportDraft.objects.get(owner=reporter)
    upload = draft.uploads.get()
    response = post_report(client, minimal_post(facility_a, draft_key=str(draft.key), remove_upload=str(upload.pk)))
    assert response.status_code == 302 and f"draft={draft.key}" in response.url
    assert not draft.uploads.exists()
    assert not Incident.objects.exists()


# --- Double submit, drafts, the kept report ---------------------------------------------------------------


def test_double_submit_files_one_report(client, reporter, facility_a):
    client.force_login(reporter)
    data = minimal_post(facility_a)
    first = sent_incident(post_report(client, data))
    second = sent_incident(post_report(client, {**data, "evidence": [photo()]}))
    assert first.pk == second.pk
    assert Incident.objects.count() == 1
    assert not Evidence.objects.exists()


def test_autosave_then_resume_the_draft_from_my_reports(client, reporter, facility_a):
    client.force_login(reporter)
    key = str(uuid.uuid4())
    data = minimal_post(
        facility_a,
        draft_key=key,
        reporter_hurt=None,
        act="violence",
        place="ward",
        account="Начало описания",
        **{"victims-0-full_name": "Дана", "victims-0-role": "doctor"},
    )
    response = client.post(reverse("incidents:draft_save"), data)
    assert response.status_code == 200 and response.json()["saved"] is True

    listing = client.get(reverse("incidents:my_reports")).content.decode()
    assert f"?draft={key}" in listing

    html = client.get(f"{REPORT}?draft={key}").content.decode()
    assert f'value="{key}"' in html
    assert "Начало описания" in html
    assert re.search(r'value="violence"[^>]*checked', html)
    assert re.search(r'<option value="ward" selected>', html)
    assert 'value="Дана"' in html
    assert not re.search(r'id="id_reporter_hurt"[^>]*checked', html)  # the untick survived


def test_autosave_rules(client, reporter, other_reporter, facility_a):
    url = reverse("incidents:draft_save")
    key = str(uuid.uuid4())
    assert client.post(url, {"draft_key": key}).status_code == 401  # logged out
    client.force_login(other_reporter)
    client.post(url, {"draft_key": key, "account": "чужое"})
    client.force_login(reporter)
    assert client.post(url, {"draft_key": key, "account": "моё"}).status_code == 404
    assert client.post(url, {"draft_key": "not-a-key"}).status_code == 400
    assert ReportDraft.objects.get(key=key).data["account"] == ["чужое"]


def test_draft_of_another_user_is_not_found(client, reporter, other_reporter):
    draft = drafts.draft_save(owner=other_reporter, key=uuid.uuid4(), data={})
    client.force_login(reporter)
    assert client.get(f"{REPORT}?draft={draft.key}").status_code == 404
    assert client.post(reverse("incidents:draft_discard", args=[draft.key])).status_code == 404


def test_add_another_person_without_javascript_saves_and_shows_the_draft(client, reporter, facility_a):
    client.force_login(reporter)
    data = minimal_post(facility_a, action="add_victim", **{"victims-0-full_name": "Дана", "victims-0-role": "doctor"})
    response = post_report(client, data)
    assert response.status_code == 302 and response.url.endswith("#victims")
    html = client.get(response.url.split("#")[0]).content.decode()
    assert 'value="Дана"' in html and 'id="id_victims-1-full_name"' in html
    assert not Incident.objects.exists()


def test_report_sent_after_the_session_expired_is_kept_and_restored_after_login(client, reporter, facility_a):
    data = minimal_post(facility_a, account="Написано, пока сессия истекла", evidence=[photo("bruise.jpg")])
    data["keep_token"] = drafts.report_form_token(user=reporter, key=data["draft_key"])  # as the page carries it
    client.force_login(reporter)
    client.post(reverse("incidents:draft_save"), {"draft_key": data["draft_key"], "account": "Написано"})
    client.logout()  # the session expires while the form is open
    response = client.post(REPORT, data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Incident.objects.exists()

    login = client.post(response.url, {"username": reporter.username, "password": factories.PASSWORD})
    assert login.status_code == 302 and "/incidents/report/kept/" in login.url
    restored = client.get(login.url)
    assert restored.status_code == 302 and f"draft={data['draft_key']}" in restored.url
    html = client.get(restored.url).content.decode()
    assert "Написано, пока сессия истекла" in html and "bruise.jpg" in html

    incident = sent_incident(
        post_report(
            client, minimal_post(facility_a, draft_key=data["draft_key"], account="Написано, пока сессия истекла")
        )
    )
    assert [e.original_name for e in incident.evidence.all()] == ["bruise.jpg"]
    assert not ReportDraft.objects.filter(owner__isnull=True).exists()


def test_a_report_sent_logged_out_from_no_page_of_a_logged_in_user_is_not_kept(client, reporter, facility_a):
    # Without the signed value of a page issued to a logged-in reporter, nothing ties the post to anyone.
    data = minimal_post(facility_a, account="Без черновика", evidence=[photo("bruise.jpg")])
    response = client.post(REPORT, data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not ReportDraft.objects.exists()  # no anonymous storage, of files or of text
    html = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "this report could not be kept" in html


def test_kept_report_cannot_be_claimed_from_another_browser(client, reporter, other_reporter, facility_a):
    data = minimal_post(facility_a)
    data["keep_token"] = drafts.report_form_token(user=reporter, key=data["draft_key"])
    response = client.post(REPORT, data)
    restore_url = response.url.split("next=")[1].replace("%2F", "/")
    from django.test import Client

    stranger = Client()
    stranger.force_login(other_reporter)
    assert stranger.get(restore_url).status_code == 404
    assert ReportDraft.objects.get().owner is None
    client.force_login(reporter)
    assert client.get(restore_url + "tampered").status_code == 404


# --- Lists, detail, messages, access ----------------------------------------------------------------------


@pytest.fixture
def own_report(reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    Evidence.objects.create(
        incident=incident,
        file=SimpleUploadedFile("x", b"%PDF-1.4 evidence"),
        kind=Evidence.Kind.DOCUMENT,
        original_name="справка.pdf",
        content_type="application/pdf",
        size=17,
        sha256="0" * 64,
        uploaded_by=reporter,
    )
    return incident


def test_my_reports_lists_only_own_reports_with_police_questions(
    client, reporter, other_reporter, officer, facility_a, own_report
):
    colleague = factories.make_reporter(facility_a)
    other = factories.IncidentFactory(facility=facility_a, reporter=colleague)
    CaseMessage.objects.create(incident=own_report, kind=CaseMessage.Kind.QUESTION, author=officer, body="Когда?")
    client.force_login(reporter)
    html = client.get(reverse("incidents:my_reports")).content.decode()
    assert own_report.reference in html and other.reference not in html
    assert (
        "1 question waiting for your answer"
        in client.get(reverse("incidents:my_reports"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_reporter_answers_a_question_and_adds_information(client, reporter, officer, own_report):
    question = CaseMessage.objects.create(
        incident=own_report, kind=CaseMessage.Kind.QUESTION, author=officer, body="Были ли свидетели?"
    )
    client.force_login(reporter)
    detail = client.get(reverse("incidents:report_detail", args=[own_report.pk])).content.decode()
    assert "Были ли свидетели?" in detail

    url = reverse("incidents:report_answer", args=[own_report.pk, question.pk])
    assert client.post(url, {f"q{question.pk}-body": ""}).status_code == 200  # empty answer: form error
    assert client.post(url, {f"q{question.pk}-body": "Да, охранник."}).status_code == 302
    assert question.replies.get().body == "Да, охранник."
    assert own_report.events.filter(kind=IncidentEvent.Kind.QUESTION_ANSWERED).exists()

    info = reverse("incidents:report_add_info", args=[own_report.pk])
    response = client.post(info, {"info-body": "Он приходил снова.", "info-evidence": [photo()]})
    assert response.status_code == 302
    assert own_report.messages.filter(kind=CaseMessage.Kind.INFO, body="Он приходил снова.").exists()
    assert own_report.evidence.filter(original_name="photo.jpg").exists()


def test_posting_the_answer_twice_stores_one_answer(client, reporter, officer, own_report):
    """A double press of "Send" (or a resent request) must not store a second answer."""
    question = CaseMessage.objects.create(
        incident=own_report, kind=CaseMessage.Kind.QUESTION, author=officer, body="Были ли свидетели?"
    )
    client.force_login(reporter)
    url = reverse("incidents:report_answer", args=[own_report.pk, question.pk])
    assert client.post(url, {f"q{question.pk}-body": "Да, охранник."}).status_code == 302
    again = client.post(url, {f"q{question.pk}-body": "Да, охранник."}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert again.status_code == 200
    assert "This question is already answered." in again.content.decode()
    assert question.replies.count() == 1
    assert own_report.events.filter(kind=IncidentEvent.Kind.QUESTION_ANSWERED).count() == 1


def test_a_blank_answer_is_refused_and_nothing_is_stored(client, reporter, officer, own_report):
    question = CaseMessage.objects.create(
        incident=own_report, kind=CaseMessage.Kind.QUESTION, author=officer, body="Были ли свидетели?"
    )
    client.force_login(reporter)
    url = reverse("incidents:report_answer", args=[own_report.pk, question.pk])
    response = client.post(url, {f"q{question.pk}-body": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert question.replies.count() == 0


def test_facility_lead_sees_the_facilitys_reports_and_confidential_names(client, facility_lead, facility_a, facility_b):
    nurse = factories.make_reporter(facility_a)
    ours = factories.IncidentFactory(facility=facility_a, reporter=nurse, reporter_confidential=True)
    theirs = factories.IncidentFactory(facility=facility_b)
    client.force_login(facility_lead)
    html = client.get(reverse("incidents:facility_reports")).content.decode()
    assert ours.reference in html and theirs.reference not in html
    detail = client.get(reverse("incidents:report_detail", args=[ours.pk])).content.decode()
    assert str(nurse) in detail
    assert client.get(reverse("incidents:report_detail", args=[theirs.pk])).status_code == 404
    # The lead reads; only the reporter writes to the police.
    assert client.post(reverse("incidents:report_add_info", args=[ours.pk]), {"info-body": "x"}).status_code == 404


def test_facility_reports_is_for_leads_only(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("incidents:facility_reports")).status_code == 403


@pytest.mark.parametrize("persona", ["other_reporter", "other_officer", "analyst", "officer"])
def test_others_get_404_on_a_report(client, request, persona, own_report):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("incidents:report_detail", args=[own_report.pk])).status_code == 404
    assert client.get(reverse("incidents:report_sent", args=[own_report.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona,status",
    [
        ("reporter", 200),
        ("facility_lead", 200),
        ("officer", 200),
        ("other_reporter", 404),
        ("other_officer", 404),
        ("analyst", 404),
    ],
)
def test_evidence_is_served_only_to_those_with_access(client, request, persona, status, own_report):
    evidence = own_report.evidence.get()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("incidents:evidence_download", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"


def test_evidence_needs_a_login(client, own_report):
    response = client.get(reverse("incidents:evidence_download", args=[own_report.evidence.get().pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("phone", "qorgau_only", "said"),
    [
        ("+77011234567", False, "The police may also call you at +77011234567."),
        ("+77011234567", True, "As you chose, the police contact you only through Qorgau."),
        ("", False, "Add your phone if the police may call you."),
    ],
)
def test_the_confirmation_says_how_the_police_will_reach_the_reporter(
    client, reporter, facility_a, phone, qorgau_only, said
):
    reporter.phone, reporter.contact_only_through_qorgau = phone, qorgau_only
    reporter.save()
    client.force_login(reporter)
    incident = sent_incident(post_report(client, minimal_post(facility_a)))
    body = client.get(reverse("incidents:report_sent", args=[incident.pk])).content.decode()
    contact = body.split('id="sent-contact"')[1].split("</li>")[0]
    assert said in contact and reverse("accounts:profile") in contact
