"""The language switcher works in a real browser under the Content Security Policy (no inline script)."""

import pytest

from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_kazakh_switches_the_page_and_nothing_is_blocked(phone_page, reporter):
    ensure_roles()
    page = phone_page
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    login_in_browser(page, reporter.username)
    # The select submits its form from qorgau.js (deferred): chosen before the script ran, nothing would happen, and
    # the navigation awaited would be another one.
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "ru"

    # Awaited: the language's own POST and the page it leads to (not whichever navigation comes first).
    with page.expect_response(lambda response: "/i18n/setlang/" in response.url):
        page.select_option("#language-select", "kk")
    page.wait_for_function("document.documentElement.lang === 'kk'")

    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("#language-select").is_visible()  # outside the collapsed menu on a phone
    assert violations == []
