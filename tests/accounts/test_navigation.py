import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.context_processors import navigation

NAV_LINKS = {
    "report": "incidents:report",
    "my_reports": "incidents:my_reports",
    "facility_reports": "incidents:facility_reports",
    "cases": "incidents:case_inbox",
    "statistics": "analytics:dashboard",
    "facilities": "facilities:list",
    "admin": "admin:index",
}
EXPECTED = {
    "reporter": {"report", "my_reports"},
    "facility_lead": {"report", "my_reports", "facility_reports", "facilities"},
    "officer": {"cases", "facilities"},
    "analyst": {"statistics"},
    "administrator": {"statistics", "facilities", "admin"},
}


def nav_html(html: str) -> str:
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return match.group(0)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_the_context_shows_each_role_what_it_may_use(request, persona, expected):
    user = request.getfixturevalue(persona)
    http_request = RequestFactory().get("/")
    http_request.user = user

    nav = navigation(http_request)["nav"]

    assert {key for key, shown in nav.items() if shown} == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_the_home_page_navigation_links_each_role_to_its_pages_only(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/")

    assert response.status_code == 200
    nav = nav_html(response.content.decode())
    for key, url_name in NAV_LINKS.items():
        link = f'href="{reverse(url_name)}"'
        assert (link in nav) == (key in expected), f"{persona}: {url_name} {'missing' if key in expected else 'shown'}"


def test_an_inactive_user_sees_no_role_links(db, reporter):
    reporter.is_active = False
    http_request = RequestFactory().get("/")
    http_request.user = reporter

    assert not any(navigation(http_request)["nav"].values())


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_without_a_role_sees_no_role_links_and_opens_none_of_those_pages(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="norole"))

    response = client.get("/")
    nav = nav_html(response.content.decode())
    for url_name in NAV_LINKS.values():
        assert f'href="{reverse(url_name)}"' not in nav, url_name
    assert 'action="' + reverse("accounts:logout") + '"' in response.content.decode()  # a real, logged-in page
    for key, url_name in NAV_LINKS.items():
        status = client.get(reverse(url_name)).status_code
        assert status in (302, 403, 404) if key == "admin" else status in (403, 404), (url_name, status)
