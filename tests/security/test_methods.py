"""Every page of the app answers only the methods it serves, before anything else (issue 10, low: method handling).

The URL patterns are walked from the resolver, Django admin's included, so a new page is covered the day it is
added. PUT, DELETE, TRACE and PATCH get 405 from everyone: an anonymous visitor (no login redirect first), a
reporter, an officer who still owes the second factor (no two-factor redirect first) and a superuser in admin.
GET and POST get the same answer, 405 or not, whoever asks: the method check is the outermost decorator.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from common.middleware import extra_methods_of
from tests import factories

pytestmark = pytest.mark.django_db

# The language switch is Django's view (POST only, as it is).
SKIPPED_PREFIXES = ("i18n/",)
SAMPLE = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "ALA-PP-01", "str": "x", "path": "1"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    if "(?P<app_label>" in route:  # admin's app index, a regular expression of the app labels
        route = route[: route.index("(?P")] + "accounts/"
    while "<" in route:
        start, end = route.index("<"), route.index(">")
        converter = route[start + 1 : end].split(":")[0] if ":" in route[start:end] else "str"
        route = route[:start] + SAMPLE.get(converter, "x") + route[end + 1 :]
    return "/" + route


ALL = sorted(
    {_concrete(route) for route in _walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)}
)
PAGES = [url for url in ALL if not url.startswith("/admin/")]
ADMIN = [url for url in ALL if url.startswith("/admin/")]


def test_the_walk_finds_the_pages():
    assert "/incidents/report/" in PAGES and "/accounts/login/" in PAGES and "/statistics/" in PAGES
    assert "/admin/accounts/user/" in ADMIN and "/admin/accounts/user/1/change/" in ADMIN and "/admin/" in ADMIN
    assert len(PAGES) > 25 and len(ADMIN) > 50


@pytest.fixture
def personas(reporter, officer, settings):
    settings.QORGAU_2FA_REQUIRED = True
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    clients = {"anonymous": Client()}
    for name, user in (("reporter", reporter), ("officer without the second factor", officer), ("root", superuser)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


@pytest.mark.parametrize("method", ["put", "delete", "trace", "patch"])
def test_every_url_refuses_methods_it_does_not_serve_whoever_asks(personas, method):
    wrong = [
        (who, url, status)
        for who, client in personas.items()
        for url in ALL
        if method.upper() not in extra_methods_of(url)
        if (status := getattr(client, method)(url).status_code) != 405
    ]
    assert wrong == []


def test_only_json_endpoints_serve_a_method_more_and_only_that_one(personas):
    extra = {url: extra_methods_of(url) for url in ALL if extra_methods_of(url)}
    assert extra == {"/push/subscriptions/": ("DELETE",)}
    anonymous = personas["anonymous"]
    assert anonymous.delete("/push/subscriptions/").status_code == 401
    assert [anonymous.generic(m, "/push/subscriptions/").status_code for m in ("PUT", "PATCH", "TRACE")] == [405] * 3


@pytest.mark.parametrize("method", ["get", "post"])
def test_get_and_post_are_refused_alike_for_anonymous_and_logged_in_users(client, reporter, method):
    logged_in = Client()
    logged_in.force_login(reporter)
    differ = []
    for url in PAGES:
        anonymous, reporters = getattr(client, method)(url).status_code, getattr(logged_in, method)(url).status_code
        if (anonymous == 405) != (reporters == 405):
            differ.append((url, anonymous, reporters))
    assert differ == []


@pytest.mark.parametrize("url", ["/", "/incidents/report/", "/incidents/mine/", "/accounts/login/"])
def test_get_still_works(client, reporter, url):
    client.force_login(reporter)
    assert client.get(url).status_code in (200, 302)
