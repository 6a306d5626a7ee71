"""Issue 10 (high): a repeat found by IIN matching is for the officers of the case's post only.

A later report (facility A, by alice) names the suspect of an earlier report (facility B, by bob). The officer
of post A must see the match, the earlier reference and the warning (the control of every denial below);
nobody else may learn from any page they can open that the suspect appears in another case: not the
reference, not the repeat's reasons, not the aggravated part, not a "provisional" mark the warning alone
makes. The reporter and the lead see the part the report itself supports, with a standing note that the
police assess earlier offences. The persona matrix then opens every page each persona can reach.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.services.tagging import incident_assess, part_override_set
from tests import factories
from tests.incidents.reporting_support import minimal_post
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db

# What the repeat's sentences and labels say (English): none of it may reach the reporting side.
REPEAT_TEXTS = ("same suspect", "committed repeatedly", "repeatedly", "becomes part 2", "CC art. 12")
OVERRIDE_REASON = "Повтор подтверждён: судимость по делу другого поста отсутствует"
NOTE = "earlier offences"


@pytest.fixture
def lead_b(facility_b):
    return factories.make_facility_lead(facility_b, username="lead_b")


@pytest.fixture
def cases(client, reporter, other_reporter, facility_a, facility_b):
    """`earlier`: bob's report at B naming the suspect; `later`: alice's report at A, sent through the form."""
    iin = make_iin(serial=4242)
    earlier = factories.IncidentFactory(
        facility=facility_b, reporter=other_reporter, occurred_at=timezone.now() - dt.timedelta(days=20)
    )
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted", actor=other_reporter)
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, **{"attackers-0-iin": iin}))
    assert response.status_code == 302, response.content.decode()[:2000]
    later = Incident.objects.get(pk=int(re.search(r"/reports/(\d+)/sent/", response.url).group(1)))
    client.logout()
    # The police's tag counts the repeat: a threat by one person against one nurse, raised from part 1.
    assert later.legal_part == 2 and later.assessments.get().facts["repeat_of"] == [earlier.reference]
    return {"earlier": earlier, "later": later}


def page(client, user, url, status=200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (user.username, url, response.status_code)
    return response.content.decode()


def assert_no_repeat(html: str, *, other_reference: str, where: str) -> None:
    assert other_reference not in html, where
    for text in REPEAT_TEXTS:
        assert text not in html, (where, text)


# --- The warning: shown to the post's officers, to nobody else ---------------------------------------------


def test_control_the_officer_of_the_post_sees_the_match_its_reference_and_the_warning(client, officer, cases):
    html = page(client, officer, reverse("incidents:case_detail", args=[cases["later"].pk]))
    assert cases["earlier"].reference in html
    assert "same suspect" in html and "committed repeatedly" in html
    assert "part 2" in html


@pytest.mark.parametrize("url_name", ["incidents:report_sent", "incidents:report_detail"])
def test_reporter_sees_the_part_of_her_report_without_the_repeat(client, reporter, cases, url_name):
    html = page(client, reporter, reverse(url_name, args=[cases["later"].pk]))
    assert_no_repeat(html, other_reference=cases["earlier"].reference, where=url_name)
    # The part the report supports (a threat: part 1), not provisional (only the repeat's warning made it so).
    assert 'data-legal-tag="1"' in html
    assert "provisional" not in html
    # The standing note, which every reporter sees whether or not a match was found.
    assert NOTE in html


def test_the_note_is_shown_without_a_match_too(client, reporter, facility_a):
    """So that the note itself says nothing: the same words on a report with no repeat."""
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), minimal_post(facility_a))
    html = client.get(response.url).content.decode()
    assert NOTE in html and 'data-legal-tag="1"' in html


def test_reporter_and_lead_see_the_same_as_a_report_without_a_match(client, reporter, facility_lead, facility_a, cases):
    """The reporting side's legal section of a report with a match equals that of one naming someone unknown
    elsewhere: no oracle."""
    client.force_login(reporter)
    unmatched = {"attackers-0-iin": make_iin(birth="900101", serial=77)}
    response = client.post(reverse("incidents:report"), minimal_post(facility_a, **unmatched))
    plain = Incident.objects.exclude(pk__in=[cases["later"].pk, cases["earlier"].pk]).get()

    def legal_section(user, incident):
        html = page(client, user, reverse("incidents:report_detail", args=[incident.pk]))
        start = html.index('aria-labelledby="tag-heading"')
        section = html[start : html.index("</section>", html.index("legal-details", start))]
        return section.replace(incident.reference, "REF")

    assert response.status_code == 302
    for user in (reporter, facility_lead):
        assert legal_section(user, cases["later"]) == legal_section(user, plain), user.username


def test_lead_sees_the_report_and_the_list_without_the_repeat(client, facility_lead, cases):
    detail = page(client, facility_lead, reverse("incidents:report_detail", args=[cases["later"].pk]))
    assert_no_repeat(detail, other_reference=cases["earlier"].reference, where="lead detail")
    assert 'data-legal-tag="1"' in detail
    listing = page(client, facility_lead, reverse("incidents:facility_reports"))
    assert cases["later"].reference in listing  # control: the report is listed
    assert "part 1" in listing and "part 2" not in listing


def test_reporters_list_shows_the_part_without_the_repeat(client, reporter, cases):
    listing = page(client, reporter, reverse("incidents:my_reports"))
    assert cases["later"].reference in listing
    assert "part 1" in listing and "part 2" not in listing
    assert cases["earlier"].reference not in listing


def test_override_reason_and_officer_are_not_shown_to_reporter_and_lead(
    client, officer, reporter, facility_lead, cases
):
    later = cases["later"]
    part_override_set(incident=later, part=2, reason=OVERRIDE_REASON, actor=officer)
    # Control: the officer's page shows the reason and who set it.
    police = page(client, officer, reverse("incidents:case_detail", args=[later.pk]))
    assert OVERRIDE_REASON in police and officer.get_full_name() in police
    for user in (reporter, facility_lead):
        for url_name in ("incidents:report_detail", "incidents:report_sent"):
            if url_name == "incidents:report_sent" and user != reporter:
                continue
            html = page(client, user, reverse(url_name, args=[later.pk]))
            assert OVERRIDE_REASON not in html, (user.username, url_name)
            assert str(officer) not in html and officer.get_full_name() not in html, (user.username, url_name)
            # The part the police set is the case's part: shown, as a decision of the police.
            assert 'data-legal-tag="2"' in html


# --- The persona matrix -------------------------------------------------------------------------------------

# Which of the two cases each persona may open (None: neither), and on which pages.
PERSONAS = {
    "reporter": ("later", ("incidents:report_detail", "incidents:report_sent")),
    "other_reporter": ("earlier", ("incidents:report_detail", "incidents:report_sent")),
    "facility_lead": ("later", ("incidents:report_detail",)),
    "lead_b": ("earlier", ("incidents:report_detail",)),
    "officer": ("later", ("incidents:case_detail",)),
    "other_officer": ("earlier", ("incidents:case_detail",)),
    "analyst": (None, ()),
    "administrator": (None, ()),
}
CASE_PAGES = ("incidents:report_detail", "incidents:report_sent", "incidents:case_detail")
# Pages without a case in the URL: 200 for the roles that use them, 403 for the others (the role gate).
LIST_PAGES = (
    "incidents:my_reports",
    "incidents:facility_reports",
    "incidents:case_inbox",
    "analytics:dashboard",
    "analytics:dictionary",
    "facilities:list",
)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_a_persona_can_reach_shows_the_match_but_the_posts_case_page(client, request, cases, persona):
    """Every page each persona opens. A case it may not open: 404, and its reference appears on none of its
    pages. The repeat's words and the earlier reference appear only on the case page of the later report read by
    the officer of its post, asserted in the same loop as the control."""
    user = request.getfixturevalue(persona)
    own_case, own_pages = PERSONAS[persona]
    foreign = {name: case.reference for name, case in cases.items() if name != own_case}
    client.force_login(user)
    seen = []
    for name, case in cases.items():
        for url_name in CASE_PAGES:
            url = reverse(url_name, args=[case.pk])
            response = client.get(url)
            expected = 200 if (name == own_case and url_name in own_pages) else 404
            assert response.status_code == expected, (persona, url, response.status_code)
            seen.append((url, response.content.decode()))
    home = client.get(reverse("home"))
    assert home.status_code == 200
    seen.append(("home", home.content.decode()))
    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name))
        assert response.status_code in (200, 403), (persona, url_name, response.status_code)
        seen.append((url_name, response.content.decode()))

    control = reverse("incidents:case_detail", args=[cases["later"].pk])
    for url, html in seen:
        if persona == "officer" and url == control:
            assert cases["earlier"].reference in html and "same suspect" in html and "committed repeatedly" in html
            continue
        assert "same suspect" not in html and "committed repeatedly" not in html, (persona, url)
        for reference in foreign.values():
            assert reference not in html, (persona, url, reference)
