"""Chromium finds Qorgau installable (its own criteria, through the DevTools protocol) in each language."""

import pytest

from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles
from tests.pwa.support import wait_for_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_chromium_finds_qorgau_installable(browser, chromium_path, live_server, reporter, language, tmp_path):
    # A profile on disk: Chromium installs nothing from an incognito context (Playwright's usual contexts).
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        viewport={"width": 360, "height": 780},
        locale=language,
        extra_http_headers={"Accept-Language": language},
        base_url=live_server.url,
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    try:
        login_in_browser(page, reporter.username)
        page.goto("/")
        wait_for_worker(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith(f"/manifest/{language}/reporter.webmanifest")
        assert manifest["errors"] == []
    finally:
        context.close()
