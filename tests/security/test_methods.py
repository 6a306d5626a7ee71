"""Every page of the app answers only the methods it serves (issue 10, low: method handling).

The URL patterns are walked from the resolver, so a new page is covered the day it is added.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Django's own pages: admin has its own rules, and the language switch is Django's view.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("i18n/",)
SAMPLE = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "ALA-PP-01", "str": "x", "path": "x"}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _concrete(route: str) -> str:
    while "<" in route:
        start, end = route.index("<"), route.index(">")
        converter = route[start + 1 : end].split(":")[0] if ":" in route[start:end] else "str"
        route = route[:start] + SAMPLE.get(converter, "x") + route[end + 1 :]
    return "/" + route.lstrip("^").rstrip("$")


PAGES = sorted(
    _concrete(route) for route, _ in _walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)
)


def test_the_walk_finds_the_pages():
    assert "/incidents/report/" in PAGES and "/accounts/login/" in PAGES and "/statistics/" in PAGES
    assert len(PAGES) > 25


@pytest.mark.parametrize("method", ["put", "delete", "trace", "patch"])
@pytest.mark.parametrize("url", PAGES)
def test_a_page_refuses_methods_it_does_not_serve(client, reporter, url, method):
    client.force_login(reporter)
    assert getattr(client, method)(url).status_code == 405


@pytest.mark.parametrize("url", ["/", "/incidents/report/", "/incidents/mine/", "/accounts/login/"])
def test_get_still_works(client, reporter, url):
    client.force_login(reporter)
    assert client.get(url).status_code in (200, 302)
