"""The police side's pages (`incidents/views/cases.py`): the inbox, the case page and its actions, and what the case
page shows and how it labels it."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.emails import email_sweep
from common.models import OutgoingEmail
from incidents.models import Attacker, CaseMessage, Incident, IncidentEvent, Injury, Outcome, Status
from incidents.tasks import case_question_email_task
from tests import factories
from tests.celery_support import celery_broker, take_published
from tests.incidents.case_support import acknowledged

VALID_IIN = "900101300017"  # born 1 Jan 1990, check digit valid


def ask_in_the_view(client, officer, incident, body="Who saw it?"):
    client.force_login(officer)
    return client.post(
        reverse("incidents:case_action", args=[incident.pk, "question"]),
        {"question-version": incident.version, "question-body": body},
    )


def test_question_email_is_a_task_queued_on_commit_not_sent_in_the_request(
    client, incident, officer, reporter, django_capture_on_commit_callbacks
):
    with celery_broker("memory://") as app:  # a real broker queue, no worker: tasks wait in it
        take_published(app)
        with django_capture_on_commit_callbacks(execute=True):
            response = ask_in_the_view(client, officer, incident)
        published = take_published(app)
    assert response.status_code == 302
    question = incident.messages.get(kind=CaseMessage.Kind.QUESTION)
    assert mail.outbox == []  # a slow mail server cannot hang the officer's request
    assert published == [("incidents.case_question_email_task", [question.pk])]
    assert OutgoingEmail.objects.get(kind="case-question", object_id=question.pk).status == OutgoingEmail.Status.PENDING
    # The worker runs it.
    assert case_question_email_task.apply(args=[question.pk]).get() is True
    assert [m.to for m in mail.outbox] == [[reporter.email]]


def test_broker_down_when_a_question_is_asked_the_sweep_sends_it_later(
    client, incident, officer, reporter, django_capture_on_commit_callbacks
):
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens on the discard port
        with django_capture_on_commit_callbacks(execute=True):
            response = ask_in_the_view(client, officer, incident)
    assert response.status_code == 302  # the question is asked all the same
    question = incident.messages.get(kind=CaseMessage.Kind.QUESTION)
    email = OutgoingEmail.objects.get(kind="case-question", object_id=question.pk)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 0)
    assert mail.outbox == []
    # The broker is back: the sweep queues it, once.
    assert email_sweep(older_than_seconds=0) == 1
    assert email_sweep(older_than_seconds=0) == 0
    assert [m.to for m in mail.outbox] == [[reporter.email]]


def test_inbox_shows_only_own_posts_cases_newest_first(client, officer, incident, facility_a, facility_b):
    older = factories.IncidentFactory(facility=facility_a, submitted_at=timezone.now() - dt.timedelta(days=1))
    foreign = factories.IncidentFactory(facility=facility_b)
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"))
    assert response.status_code == 200
    page = [case.pk for case in response.context["page"]]
    assert page == [incident.pk, older.pk]
    assert foreign.reference not in response.content.decode()
    assert response.context["counts"][Status.SUBMITTED] == 2


def test_inbox_filters_and_search(client, officer, incident, facility_a):
    other = factories.IncidentFactory(facility=facility_a)
    Incident.objects.filter(pk=other.pk).update(legal_part=3, status=Status.ACKNOWLEDGED)
    client.force_login(officer)
    pks = lambda **q: [c.pk for c in client.get(reverse("incidents:case_inbox"), q).context["page"]]  # noqa: E731
    assert pks(q=incident.reference[-6:]) == [incident.pk]
    assert pks(status=Status.ACKNOWLEDGED) == [other.pk]
    assert pks(part="3") == [other.pk]
    assert pks(part="0") == [incident.pk]
    assert pks(period_from=(timezone.localdate() + dt.timedelta(days=1)).isoformat()) == []
    assert pks(overdue="on") == []
    factories.incident_update(incident, submitted_at=timezone.now() - dt.timedelta(hours=2))
    assert pks(overdue="on") == [incident.pk]


def test_inbox_paginates(client, officer, facility_a):
    for _ in range(27):
        factories.IncidentFactory(facility=facility_a)
    client.force_login(officer)
    first = client.get(reverse("incidents:case_inbox"))
    second = client.get(reverse("incidents:case_inbox"), {"page": 2})
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 2


def test_inbox_poll_reports_newest_case(client, officer, incident, facility_a):
    client.force_login(officer)
    data = client.get(reverse("incidents:case_inbox_poll")).json()
    assert data["latest_id"] == incident.pk and data["new"] == 1
    newer = factories.IncidentFactory(facility=facility_a)
    data = client.get(reverse("incidents:case_inbox_poll")).json()
    assert data["latest_id"] == newer.pk and data["counts"]["submitted"] == 2
    partial = client.get(reverse("incidents:case_inbox"), {"partial": "list"})
    assert newer.reference in partial.content.decode() and "<html" not in partial.content.decode()


@pytest.mark.parametrize("name", ["case_inbox", "case_inbox_poll"])
def test_inbox_is_forbidden_to_reporters(client, officer, reporter, name):
    # A kind of page, not a case: 403 to a role without case work (accounts/permissions.py).
    client.force_login(officer)
    assert client.get(reverse(f"incidents:{name}")).status_code == 200
    client.force_login(reporter)
    assert client.get(reverse(f"incidents:{name}")).status_code == 403


def test_case_page_shows_facts_iin_and_timeline(client, officer, incident):
    Attacker.objects.create(incident=incident, full_name="Петров Пётр", iin=VALID_IIN)
    client.force_login(officer)
    response = client.get(reverse("incidents:case_detail", args=[incident.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert incident.reference in body and VALID_IIN in body and "Петров Пётр" in body
    assert incident.events.filter(kind=IncidentEvent.Kind.VIEWED, actor=officer).count() == 1


def test_account_html_is_escaped_on_case_page(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(account="<script>alert(1)</script><img src=x>")
    client.force_login(officer)
    body = client.get(reverse("incidents:case_detail", args=[incident.pk])).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_other_post_officer_gets_404_on_case_evidence_and_notice(client, other_officer, incident):
    from django.core.files.base import ContentFile

    from incidents.models import Evidence, Notice

    evidence = Evidence(
        incident=incident,
        kind="photo",
        original_name="a.jpg",
        content_type="image/jpeg",
        size=3,
        sha256="0" * 64,
        uploaded_by=incident.reporter,
    )
    evidence.file.save("a", ContentFile(b"abc"))
    notice = Notice.objects.create(incident=incident, version=incident.version, status=Notice.Status.READY)
    notice.file.save("n.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(other_officer)
    urls = [
        reverse("incidents:case_detail", args=[incident.pk]),
        reverse("incidents:case_evidence_download", args=[incident.pk, evidence.pk]),
        reverse("incidents:case_notice_download", args=[incident.pk, notice.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("incidents:case_action", args=[incident.pk, "acknowledge"]),
            {"acknowledge-version": incident.version},
        ).status_code
        == 404
    )


def test_reporter_cannot_post_police_actions(client, reporter, incident):
    client.force_login(reporter)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "acknowledge"]), {"acknowledge-version": incident.version}
    )
    assert response.status_code == 404
    assert Incident.objects.get(pk=incident.pk).status == Status.SUBMITTED


def test_acknowledge_through_view_then_stale_form_gets_409_with_new_state(client, officer, incident):
    client.force_login(officer)
    url = reverse("incidents:case_action", args=[incident.pk, "acknowledge"])
    response = client.post(url, {"acknowledge-version": incident.version})
    assert response.status_code == 302
    stale = client.post(url, {"acknowledge-version": incident.version}, headers={"Accept-Language": "en"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Another officer changed this case" in body
    assert 'data-status="acknowledged"' in body


def test_erdr_form_errors_are_shown(client, officer, incident):
    incident = acknowledged(incident, officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "erdr"]),
        {
            "erdr-version": incident.version,
            "erdr-erdr_number": "abc",
            "erdr-registered_on": timezone.localdate().isoformat(),
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "6 to 32 digits" in response.content.decode()


def test_close_form_requires_reason_for_refusal(client, officer, incident):
    incident = acknowledged(incident, officer)
    client.force_login(officer)
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "close"]),
        {"close-version": incident.version, "close-outcome": Outcome.REFUSED},
    )
    assert response.status_code == 400
    assert Incident.objects.get(pk=incident.pk).status == Status.ACKNOWLEDGED


def test_part_filter_labels_follow_the_request_language(client, officer):
    client.force_login(officer)
    response = client.get(reverse("incidents:case_inbox"), HTTP_ACCEPT_LANGUAGE="kk")
    html = response.content.decode()
    assert "1-бөлік" in html
    assert "часть 1" not in html


def test_stale_form_keeps_what_the_officer_typed_on_the_new_version(client, officer, incident):
    client.force_login(officer)
    stale_version = incident.version
    acknowledged(incident, officer)  # a colleague acts first
    reason = "Видеозапись показывает удар без последствий для здоровья"
    response = client.post(
        reverse("incidents:case_action", args=[incident.pk, "override"]),
        {"override-version": stale_version, "override-part": "3", "override-reason": reason},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert reason in body  # not lost: they check the new state and send it again
    current = Incident.objects.get(pk=incident.pk)
    assert f'name="override-version" value="{current.version}"' in body
    assert current.legal_part is None and not current.part_overrides.exists()


# --- What the case page shows, and how it labels it ----------------------------------------------------------


def case_page(client, officer, incident, language="en") -> str:
    client.force_login(officer)
    response = client.get(reverse("incidents:case_detail", args=[incident.pk]), headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str, element_id: str) -> str:
    fragment = html.split(f'id="{element_id}"', 1)[1].split(">", 1)[1].split("</", 1)[0]
    return html_lib.unescape(" ".join(fragment.split()))


@pytest.mark.parametrize(("days", "expected"), [(5, "; 5 days of sick leave"), (1, "; 1 day of sick leave")])
def test_sick_leave_days_are_labelled_with_plural(client, officer, incident, days, expected):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.VISIBLE, sick_leave_days=days)
    injury = text_of(case_page(client, officer, incident), "case-injury")
    assert injury == f"Visible injury (bruise, cut){expected}"


def test_no_sick_leave_shows_the_injury_only(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.PAIN, sick_leave_days=None)
    assert text_of(case_page(client, officer, incident), "case-injury") == "Pain, no visible injury"


def test_sick_leave_label_is_translated(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(injury=Injury.VISIBLE, sick_leave_days=5)
    injury = text_of(case_page(client, officer, incident, language="ru"), "case-injury")
    assert re.search(r"5 \w+", injury) and "days of sick leave" not in injury


def test_attackers_count_and_agreement_are_labelled(client, officer, incident):
    Incident.objects.filter(pk=incident.pk).update(attackers_count=2, attackers_agreed="unknown")
    html = case_page(client, officer, incident)
    assert text_of(html, "case-attackers-count") == "2"
    assert text_of(html, "case-attackers-agreed") == "Don't know"
    labels = [" ".join(label.split()) for label in re.findall(r'<dt class="[^"]*col-sm-5">(.*?)</dt>', html)]
    assert "Number of attackers" in labels and "The attackers acted together by agreement" in labels
    # Each value sits right after its own label.
    assert re.search(r"acted together by agreement</dt>\s*<dd[^>]*id=\"case-attackers-agreed\"", html)
    # The old unlabelled "2 · don't know" run-on is gone from the attackers' facts.
    facts = html.split('id="case-attackers-count"', 1)[1].split("</dl>", 1)[0]
    assert "·" not in facts


def notices_on_page(html: str) -> list[str]:
    block = html.split('id="notice-list"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", block, flags=re.S)
    return [html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split())) for item in items]


def test_notices_are_numbered_1_2_3_newest_first_with_their_date(client, officer, incident):
    import datetime as dt
    import zoneinfo

    from incidents.models import Notice

    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    for day, version in enumerate((1, 4, 5, 6), start=1):
        notice = Notice.objects.create(incident=incident, version=version, status=Notice.Status.PENDING)
        Notice.objects.filter(pk=notice.pk).update(created_at=dt.datetime(2026, 3, 10 + day, 9, 30, tzinfo=almaty))
    Notice.objects.create(incident=incident, version=6, language="en", status=Notice.Status.PENDING)
    items = notices_on_page(case_page(client, officer, incident))
    assert [item.split(" · ")[0] for item in items] == ["Notice 4", "Notice 4", "Notice 3", "Notice 2", "Notice 1"]
    assert "14 Mar 2026, 09:30" in items[1] and "11 Mar 2026, 09:30" in items[-1]
    assert not any(re.search(r"\bv\d|Version", item) for item in items)


def test_notice_languages_are_named_not_coded(client, officer, incident):
    from django.utils import translation

    from incidents.models import Notice

    Notice.objects.create(incident=incident, version=incident.version, status=Notice.Status.PENDING)
    Notice.objects.create(incident=incident, version=incident.version, language="en", status=Notice.Status.PENDING)
    items = notices_on_page(case_page(client, officer, incident))
    assert [item.split(" · ")[1] for item in items] == ["English", "Russian and Kazakh"]
    assert not any(re.search(r"\bru-kk\b|· en ·", item) for item in items)
    with translation.override("ru"):
        english = translation.gettext("English")
    assert english != "English"
    items = notices_on_page(case_page(client, officer, incident, language="ru"))
    assert items[0].split(" · ")[1] == english


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_date_inputs_carry_iso_values_in_every_language(client, officer, incident, language):
    # <input type="date"> accepts only yyyy-mm-dd; a localised value ("22.11.2026") is dropped by the browser.
    from django.utils import timezone

    Incident.objects.filter(pk=incident.pk).update(status="acknowledged", acknowledged_at=timezone.now())
    page = case_page(client, officer, incident, language)
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="erdr-registered_on" value="{today}"', page)
    inbox = client.get(
        reverse("incidents:case_inbox"),
        {"period_from": "2026-03-07", "period_to": "2026-11-01"},
        headers={"Accept-Language": language},
    ).content.decode()
    assert re.search(r'<input type="date" name="period_from" value="2026-03-07"', inbox)
    assert re.search(r'<input type="date" name="period_to" value="2026-11-01"', inbox)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_action_has_its_own_name(client, officer, incident, language):
    from django.utils import timezone

    for status in ("submitted", "acknowledged", "registered"):
        Incident.objects.filter(pk=incident.pk).update(
            status=status, acknowledged_at=timezone.now(), erdr_registered_on=timezone.localdate()
        )
        page = case_page(client, officer, incident, language)
        summaries = [html_lib.unescape(s) for s in re.findall(r'<summary class="card-header">([^<]+)</summary>', page)]
        assert len(summaries) >= 4
        assert len(set(summaries)) == len(summaries), summaries


def test_a_case_routed_to_a_district_department_names_it_as_such(client, reporter, facility_a):
    from accounts.models import PoliceDepartmentAssignment, Role

    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter, police_post=None)
    district_officer = factories.UserFactory(roles=[Role.POLICE_OFFICER], username="district")
    PoliceDepartmentAssignment.objects.create(user=district_officer, police_department=incident.police_department)
    html = case_page(client, district_officer, incident)
    assert incident.police_department.name_en in html
    labels = [" ".join(label.split()) for label in re.findall(r'<dt class="[^"]*col-sm-5">(.*?)</dt>', html)]
    assert "Police department" in labels and "Police post" not in labels


@pytest.mark.parametrize(
    ("query", "current"), [("", "All"), ("?status=submitted", "Submitted"), ("?overdue=on", "Overdue")]
)
def test_inbox_marks_the_status_tab_in_view(client, officer, incident, query, current):
    client.force_login(officer)
    html = client.get(reverse("incidents:case_inbox") + query, headers={"Accept-Language": "en"}).content.decode()
    tabs = html.split('id="inbox-counts"', 1)[1].split("</ul>", 1)[0]
    active = re.findall(r'<a class="nav-link[^"]*active[^"]*"[^>]*aria-current="page"[^>]*>\s*([^<]+)', tabs)
    assert [html_lib.unescape(label).strip() for label in active] == [current]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_place_does_not_repeat_the_department_that_names_it(client, officer, reporter, incident, language):
    from facilities.models import Department, DepartmentKind
    from incidents import pdf as notice_pdf

    emergency = Department.objects.create(facility=incident.facility, kind=DepartmentKind.EMERGENCY)
    Incident.objects.filter(pk=incident.pk).update(place="admission", department=emergency)
    incident.refresh_from_db()
    page = case_page(client, officer, incident, language)
    place = page.split('id="case-place"', 1)[1].split(">", 1)[1].split("</dd>", 1)[0]
    admission = {"ru": "приёмное отделение", "kk": "қабылдау бөлімі"}[language]
    assert place.lower().count(admission) == 1, place
    client.force_login(reporter)
    mine = client.get(
        reverse("incidents:report_detail", args=[incident.pk]), headers={"Accept-Language": language}
    ).content.decode()
    assert mine.lower().count(f"{admission}, {admission}") == 0
    from django.utils import translation

    with translation.override(language):
        notice = notice_pdf.render_notice_html(incident=incident, language="ru-kk", version=incident.version)
    assert "приёмное отделение, приёмное отделение" not in notice.lower()
    assert "қабылдау бөлімі, қабылдау бөлімі" not in notice.lower()
    # A department with its own name says more than the place: it stays.
    Department.objects.filter(pk=emergency.pk).update(name="Приёмный покой №2")
    assert "Приёмный покой №2" in case_page(client, officer, incident, language)


def test_action_buttons_are_buttons_so_long_labels_wrap_on_a_phone(client, officer, incident):
    # An <input type="submit"> never wraps its text: "Күдікті туралы деректерді енгізу" ran past the card.
    from django.utils import timezone

    Incident.objects.filter(pk=incident.pk).update(status="acknowledged", acknowledged_at=timezone.now())
    case_page(client, officer, incident, "kk")
    for action in ("erdr", "question", "forensic", "suspect", "override", "handover", "close"):
        page = client.get(
            reverse("incidents:case_action", args=[incident.pk, action]), headers={"Accept-Language": "kk"}
        ).content.decode()
        assert 'type="submit" name="submit"' not in page
        assert re.search(
            rf'<button[^>]*type="submit"[^>]*id="submit-{action}"|<button[^>]*id="submit-{action}"'
            rf'[^>]*type="submit"',
            page,
        ), action


def test_victims_link_to_work_is_said_in_the_third_person_to_the_police(client, officer, incident):
    html = case_page(client, officer, incident)
    assert "while working" in html
    assert "while I was working" not in html


@pytest.mark.parametrize("outcome", ["sent_to_court", "refused", "no_offence"])
def test_a_case_sent_to_court_or_closed_shows_no_deadline(client, officer, incident, outcome):
    import datetime as dt

    from django.utils import timezone

    from incidents.services import cases
    from tests.incidents.case_support import registered

    # Registered 40 days ago as an inquiry (part 2): a month, so ten days overdue while it is investigated.
    Incident.objects.filter(pk=incident.pk).update(
        legal_part=2, legal_applicable=True, occurred_at=timezone.now() - dt.timedelta(days=45)
    )
    incident.refresh_from_db()
    incident = registered(incident, officer, on=timezone.localdate() - dt.timedelta(days=40))
    html = case_page(client, officer, incident)
    assert 'id="case-deadline"' in html and "days overdue" in html and "Overdue</span>" in html
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=outcome, reason="Основание"
    )
    html = case_page(client, officer, incident)
    assert 'id="case-deadline"' not in html
    assert "overdue" not in html.split('id="case-status"', 1)[1].split("</dl>", 1)[0].lower()
    assert not re.search(r"days? (left|overdue)", html)


# What the deadline row says in each language: the label, the countdown's words and the "Act by" row.
DEADLINE_WORDS = {
    "ru": ("Срок", "просрочено", "осталось", "Срок реагирования"),
    "kk": ("Мерзімі", "күнге өтті", "күн қалды", "Әрекет ету мерзімі"),
    "en": ("Deadline", "overdue", "left", "Act by"),
}


@pytest.mark.parametrize("language", list(DEADLINE_WORDS))
@pytest.mark.parametrize("outcome", ["sent_to_court", "refused", "no_offence"])
def test_a_case_that_left_the_post_shows_no_deadline_in_any_language(client, officer, incident, outcome, language):
    from incidents.services import cases
    from tests.incidents.case_support import registered

    Incident.objects.filter(pk=incident.pk).update(
        legal_part=2, legal_applicable=True, occurred_at=timezone.now() - dt.timedelta(days=45)
    )
    incident.refresh_from_db()
    incident = registered(incident, officer, on=timezone.localdate() - dt.timedelta(days=40))
    header = case_page(client, officer, incident, language).split('id="case-status"', 1)[1].split("</dl>", 1)[0]
    assert 'id="case-deadline"' in header and DEADLINE_WORDS[language][0] in header  # control
    incident = cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=outcome, reason="Основание"
    )
    header = case_page(client, officer, incident, language).split('id="case-status"', 1)[1].split("</dl>", 1)[0]
    assert 'id="case-deadline"' not in header
    for words in DEADLINE_WORDS[language]:
        assert words not in header, (language, outcome, words)
