"""Personas and real-service fixtures shared by the whole suite.

Personas: `reporter` (a nurse at facility A), `facility_lead` (lead of A), `officer` (post of A),
`other_officer` (post of facility B), `other_reporter` (a nurse at B), `analyst`, `administrator`.

Integration fixtures use the real things: Redis at REDIS_URL, a Celery worker consuming from it,
Chromium driven by Playwright. Without them the tests skip with the reason printed; in CI
(QORGAU_REQUIRE_INTEGRATION=1) a missing service fails the test instead, so nothing is skipped silently.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests import factories

# The outside providers played on loopback (Telegram, SMS gateway, Web Push service), for every test that sends.
pytest_plugins = ["tests.notifications.fixtures"]

REQUIRE_INTEGRATION = os.environ.get("QORGAU_REQUIRE_INTEGRATION") == "1"
CHROMIUM = os.environ.get("QORGAU_CHROMIUM", "/usr/bin/chromium")


def skip_or_fail(reason: str) -> None:
    if REQUIRE_INTEGRATION:
        pytest.fail(f"{reason} (required in CI: QORGAU_REQUIRE_INTEGRATION=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests read the English source strings unless they ask for a language: Russian stays the site's
    default (tested explicitly), and the ru/kk catalogues are checked by tests/test_translations.py."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """The test client, asking for English like the rest of the suite (see `_english_by_default`)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture
def facility_a(db):
    return factories.PolicePostFactory(code="POST-A").facility


@pytest.fixture
def facility_b(db):
    return factories.PolicePostFactory(code="POST-B").facility


@pytest.fixture
def post_a(facility_a):
    return facility_a.police_posts.get()


@pytest.fixture
def post_b(facility_b):
    return facility_b.police_posts.get()


@pytest.fixture
def reporter(facility_a):
    return factories.make_reporter(facility_a, username="alice")


@pytest.fixture
def other_reporter(facility_b):
    return factories.make_reporter(facility_b, username="bob")


@pytest.fixture
def facility_lead(facility_a):
    return factories.make_facility_lead(facility_a, username="lead")


@pytest.fixture
def officer(post_a):
    return factories.make_officer(post_a, username="officer")


@pytest.fixture
def other_officer(post_b):
    return factories.make_officer(post_b, username="charlie")


@pytest.fixture
def analyst(db):
    return factories.make_analyst(username="analyst")


@pytest.fixture
def administrator(db):
    return factories.make_administrator(username="admin")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("REDIS_URL is not set: no real Redis to test against")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        skip_or_fail(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def postgres_db(transactional_db):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("DATABASE_URL is not PostgreSQL: a worker thread needs a shared database")


@pytest.fixture
def celery_worker(postgres_db, redis_url):
    """A real Celery worker (a thread in this process) consuming from the real Redis.

    The app's pooled producers are dropped on the way in and out: earlier eager tests leave them bound to
    the memory:// broker, and tasks published through them would never reach Redis.
    """
    from celery.contrib.testing.worker import start_worker

    from tests.celery_support import celery_broker

    with celery_broker(redis_url) as app:
        app.conf.update(result_backend=None, broker_connection_retry_on_startup=True)
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
        ) as worker:
            yield worker


@pytest.fixture(scope="session")
def chromium_path():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        skip_or_fail(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium when run as root")
    return CHROMIUM


# One browser per test module, not per session: Playwright's sync API keeps its event loop marked running in the main
# thread until it stops, and while it runs an async view (django-health-check's /readyz) cannot be called through
# the test client in that thread ("You cannot use AsyncToSync in the same thread as an async event loop").
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


def new_phone_context(browser, base_url: str, language: str = "ru"):
    """A 360-pixel-wide phone in `language`: a browser context of its own (cookies, session) and its page."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        locale=language,
        extra_http_headers={"Accept-Language": language},
        base_url=base_url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def phone_page(browser, live_server):
    """A 360-pixel-wide phone page, in Russian, against the live test server."""
    context, page = new_phone_context(browser, live_server.url)
    yield page
    context.close()


def login_in_browser(page, username: str, password: str = factories.PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def login_with_password(client, username: str, password: str = factories.PASSWORD) -> bool:
    """Logs in through the real login form (Client.login bypasses the request django-axes needs)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def incident(reporter, facility_a, post_a):
    """A report of the `reporter` persona at facility A, routed to post A."""
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)
