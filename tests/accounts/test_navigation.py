"""The navigation and the home page's tiles read the permissions the pages check: a link shows exactly when its
page opens, and a hidden link's page answers 403 (the policy in accounts/permissions.py)."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

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
    # A superuser is an administrator here, not a reporter or an officer (User.has_perm).
    "superuser": {"statistics", "facilities", "admin"},
}


def nav_html(html: str) -> str:
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return match.group(0)


def tiles_html(html: str) -> str:
    return html.split("</nav>", 1)[1]


def links(html: str) -> set[str]:
    return {key for key, url_name in NAV_LINKS.items() if f'href="{reverse(url_name)}"' in html}


def denied(key: str, status: int, location: str = "") -> bool:
    """What a page says to a role that may not use it: 403, or admin's own login page for admin."""
    if key == "admin":
        return status == 302 and location.startswith(reverse("admin:login"))
    return status == 403


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_the_navigation_template_shows_each_role_what_it_may_use(request, persona, expected):
    http_request = RequestFactory().get("/")
    http_request.user = request.getfixturevalue(persona)

    assert links(render_to_string("includes/nav_items.html", request=http_request)) == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_the_home_page_navigation_and_tiles_link_each_role_to_its_pages_only(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert links(nav_html(html)) == expected
    assert links(tiles_html(html)) == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_a_link_is_shown_exactly_when_its_page_opens(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    for key, url_name in NAV_LINKS.items():
        response = client.get(reverse(url_name))
        if key in expected:
            assert response.status_code == 200, (persona, url_name)
        else:
            assert denied(key, response.status_code, response.get("Location", "")), (persona, url_name)


def test_an_inactive_user_sees_no_role_links(db, reporter):
    http_request = RequestFactory().get("/")
    http_request.user = reporter
    # Control: the same user, active, sees their links.
    assert links(render_to_string("includes/nav_items.html", request=http_request)) == EXPECTED["reporter"]

    reporter.is_active = False
    http_request.user = reporter

    assert links(render_to_string("includes/nav_items.html", request=http_request)) == set()


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_without_a_role_sees_no_role_links_and_opens_none_of_those_pages(client, db):
    client.force_login(UserFactory(username="norole"))

    response = client.get("/")
    html = response.content.decode()
    assert links(nav_html(html)) == set() and links(tiles_html(html)) == set()
    assert 'action="' + reverse("accounts:logout") + '"' in html  # a real, logged-in page
    for key, url_name in NAV_LINKS.items():
        page = client.get(reverse(url_name))
        assert denied(key, page.status_code, page.get("Location", "")), (url_name, page.status_code)
