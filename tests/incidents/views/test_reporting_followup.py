"""What the reporter sees after sending: the police's questions, the ERDR number and the outcome of the case.

Regression tests for problems found by trying the flow in a phone-sized browser.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.forms.reporting import DETAILS_FIELDS, ReportForm
from incidents.models import Incident, Injury, Outcome, YesNoUnknown
from incidents.services import cases, drafts
from tests.incidents.case_support import registered, under_investigation
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db


def report_page(client, user, incident) -> str:
    client.force_login(user)
    response = client.get(reverse("incidents:report_detail", args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_question_appears_once_in_the_reporters_history(client, reporter, officer, incident):
    cases.case_question_ask(incident=incident, actor=officer, body="Были ли свидетели?")
    html = report_page(client, reporter, incident)
    history = html.split('id="history-heading"', 1)[1]
    assert history.count("Были ли свидетели?") == 1
    # The question is listed as the police's message, not a second time as a bare event.
    assert "Question to the reporter" not in history


def test_reporter_sees_the_outcome_and_its_reason(client, reporter, officer, incident):
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    cases.case_close(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        outcome=Outcome.REFUSED,
        reason="Нет состава: пациент извинился, заявитель не настаивает.",
    )
    html = report_page(client, reporter, incident)
    assert 'id="outcome"' in html
    assert "Refused to start proceedings" in html
    assert "Нет состава: пациент извинился" in html
    history = html.split('id="history-heading"', 1)[1]
    assert "Closed: refused to start proceedings" in history


def test_reporter_sees_the_erdr_number_and_sent_to_court(client, reporter, officer, incident):
    incident = registered(incident, officer)
    html = report_page(client, reporter, incident)
    assert "261750031000123" in html.split('id="history-heading"', 1)[0]
    assert 'id="outcome"' not in html
    cases.case_close(incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.SENT_TO_COURT)
    html = report_page(client, reporter, incident)
    assert "Sent to court" in html.split('id="outcome"', 1)[1].split("</section>", 1)[0]
    assert "Closed: sent to court" in html


def test_facility_lead_sees_the_outcome_too(client, facility_lead, officer, incident):
    incident = registered(incident, officer)
    cases.case_close(
        incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.UNDER_INVESTIGATION
    )
    html = report_page(client, facility_lead, incident)
    assert "Registered and under investigation" in html


def test_my_reports_shows_the_outcome_of_a_closed_case(client, reporter, officer, incident):
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    cases.case_close(incident=incident, actor=officer, expected_version=incident.version, outcome=Outcome.NO_OFFENCE)
    client.force_login(reporter)
    html = client.get(reverse("incidents:my_reports")).content.decode()
    assert "Outcome: no offence found" in html


def test_nurse_lead_and_officer_see_no_closed_badge_for_an_investigation(
    client, incident, officer, reporter, facility_lead
):
    incident = under_investigation(registered(incident, officer), officer)
    for user in (reporter, facility_lead):
        client.force_login(user)
        html = client.get(
            reverse("incidents:report_detail", args=[incident.pk]), headers={"Accept-Language": "en"}
        ).content.decode()
        header = html.split('id="outcome"', 1)[0]
        assert 'data-status="registered"' in header and 'data-status="closed"' not in html
        assert "Registered and under investigation" in html
        assert "Closed:" not in html.split('id="history-heading"', 1)[1]
        listing = client.get(
            reverse("incidents:my_reports" if user == reporter else "incidents:facility_reports"),
            headers={"Accept-Language": "en"},
        ).content.decode()
        assert 'data-status="closed"' not in listing and 'data-status="registered"' in listing
    client.force_login(officer)
    html = client.get(
        reverse("incidents:case_detail", args=[incident.pk]), headers={"Accept-Language": "en"}
    ).content.decode()
    assert 'id="case-status" data-status="registered"' in html
    timeline = html.split('id="timeline"', 1)[1]
    assert "Outcome: registered and under investigation" in timeline and "· Closed" not in timeline
    # The close form no longer offers the outcome already recorded.
    form = html.split('id="form-close"', 1)[1].split("</form>", 1)[0]
    assert 'value="under_investigation"' not in form and 'value="sent_to_court"' in form


# --- The optional details --------------------------------------------------------------------------------


def test_details_are_not_marked_required_and_may_be_left_out(client, reporter, facility_a, post_a):
    form = ReportForm(user=reporter)
    assert [name for name in DETAILS_FIELDS if form.fields[name].required] == []
    client.force_login(reporter)
    data = minimal_post(facility_a, injury=None, attackers_count=None, attackers_agreed=None, wants_prosecution=None)
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get(reporter=reporter)
    assert incident.injury == Injury.NONE and incident.attackers_count == 1
    assert incident.attackers_agreed == YesNoUnknown.UNKNOWN and incident.wants_prosecution == YesNoUnknown.UNKNOWN


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sick_leave_days", "-3", "Enter the number of sick-leave days, from 0 to 365."),
        ("sick_leave_days", "400", "Enter the number of sick-leave days, from 0 to 365."),
        ("attackers_count", "0", "Enter the number of attackers, from 1 to 50."),
    ],
)
def test_a_wrong_number_says_which_number_is_wrong(client, reporter, facility_a, post_a, field, value, message):
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, **{field: value}))
    assert response.status_code == 200
    summary = response.content.decode().split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary


def test_people_rows_have_a_remove_button_and_a_removed_row_is_ignored(client, reporter, facility_a, post_a):
    client.force_login(reporter)
    html = client.get(reverse("incidents:report")).content.decode()
    for prefix in ("victims", "attackers"):
        template = html.split(f'id="{prefix}-template"', 1)[1].split("</template>", 1)[0]
        assert "data-remove-form" in template
    assert "Add an attacker" in html
    # The script removes a row by putting it back to its blank values: the server then ignores it.
    data = minimal_post(
        facility_a,
        **{
            "victims-TOTAL_FORMS": "2",
            "victims-1-full_name": "Данияр Сеитов",
            "victims-1-role": "doctor",
            "victims-1-duty_link": "performing",
        },
    )
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 302
    incident = Incident.objects.get(reporter=reporter)
    assert sorted(incident.victims.values_list("role", flat=True)) == ["doctor", "nurse"]


def test_facility_list_names_the_facility_of_a_single_facility_lead(client, facility_lead, facility_a):
    client.force_login(facility_lead)
    html = client.get(reverse("incidents:facility_reports")).content.decode()
    assert f'<p class="text-muted mb-3" data-facility>{facility_a.name}</p>' in html


def test_the_reference_number_is_never_broken_across_lines(client, reporter, incident):
    client.force_login(reporter)
    html = client.get(reverse("incidents:report_sent", args=[incident.pk])).content.decode()
    assert f'<strong class="fs-5 text-nowrap d-inline-block" data-reference>{incident.reference}</strong>' in html


def test_the_posts_phone_number_stays_on_one_line(client, reporter, incident, post_a):
    post_a.phone = "+7 727 000-00-03"
    post_a.save(update_fields=["phone"])
    client.force_login(reporter)
    html = client.get(reverse("incidents:my_reports")).content.decode()
    assert '<a class="text-nowrap" href="tel:+7727000-00-03">+7 727 000-00-03</a>' in html


def test_login_page_after_an_expired_session_says_the_report_is_kept(client, reporter, facility_a, post_a):
    data = minimal_post(facility_a, account="Написано, пока сессия истекла")
    data["keep_token"] = drafts.report_form_token(user=reporter, key=data["draft_key"])
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    html = client.get(response.url).content.decode()
    assert "Your report is kept: log in to check it and send it." in html
    assert not Incident.objects.exists()


def test_kazakh_pages_write_dates_and_numbers_the_kazakhstan_way(client, reporter, officer, incident):
    # Django ships no Kazakh formats: without ours, Kazakh pages fell back to 11/22/2026 7:29 a.m.
    import datetime as dt

    Incident.objects.filter(pk=incident.pk).update(occurred_at=timezone.make_aware(dt.datetime(2026, 11, 2, 19, 5)))
    incident.refresh_from_db()
    registered(incident, officer)
    client.force_login(reporter)
    html = client.get(
        reverse("incidents:report_detail", args=[incident.pk]), headers={"Accept-Language": "kk"}
    ).content.decode()
    assert 'lang="kk"' in html
    assert "02.11.2026 19:05" in html
    assert timezone.localdate().strftime("%d.%m.%Y") in html  # the ERDR date
    assert "/2026" not in html
    from django.utils import formats, translation

    with translation.override("kk"):
        assert formats.number_format(21.5, 1) == "21,5"
        assert formats.date_format(dt.date(2026, 3, 7), "SHORT_DATE_FORMAT") == "07.03.2026"
