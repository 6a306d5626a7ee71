"""What the officer's case page shows, and how it labels it."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from incidents.models import Incident, Injury
from tests import factories


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
    assert "2026-03-14 09:30" in items[1] and "2026-03-11 09:30" in items[-1]
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
    page = case_page(client, officer, incident, "kk")
    assert 'type="submit" name="submit"' not in page
    for action in ("erdr", "question", "forensic", "suspect", "override", "handover", "close"):
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
