"""A new release of the worker: the old caches are gone and the new shell is served, with no connection too."""

import time

import pytest

from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles
from tests.pwa.support import caches_named, wait_for_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_worker_update_drops_old_caches_and_serves_the_new_shell(phone_page, reporter, settings):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/")
    first = wait_for_worker(page)
    assert caches_named(page) == [f"qorgau-pages-{first}", f"qorgau-static-{first}"]

    settings.QORGAU_PWA_RELEASE = "next"  # a new release: the worker's bytes change
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    deadline = time.monotonic() + 15
    while any(name.endswith(first) for name in caches_named(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.reload()
    second = wait_for_worker(page)
    assert second != first
    assert caches_named(page) == [f"qorgau-pages-{second}", f"qorgau-static-{second}"]

    # With no connection the home page comes from the new cache.
    page.context.set_offline(True)
    page.goto("/incidents/report/")
    assert page.locator("#report-form").count() == 1
    assert wait_for_worker(page) == second


def test_cached_shell_size_is_noted(phone_page, reporter):
    """The size of what the worker keeps for a reporter (static files and pages), printed for the README."""
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/")
    version = wait_for_worker(page)
    sizes = page.evaluate(
        """async () => { const out = {};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name); let total = 0;
                for (const request of await cache.keys()) {
                    total += (await (await cache.match(request)).arrayBuffer()).byteLength; }
                out[name] = total; }
            return out; }"""
    )
    print(f"\ncached shell: {sizes}")
    static = sizes[f"qorgau-static-{version}"]
    # Bootstrap's CSS and JS are most of it; the budget keeps the shell a phone can download in a lift's doorway.
    assert 100_000 < static < 600_000
    assert sizes[f"qorgau-pages-{version}"] > 0
