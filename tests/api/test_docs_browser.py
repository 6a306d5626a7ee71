"""The API's docs render in a real browser with no network beyond the site: Swagger UI and Redoc come from static/
(drf-spectacular-sidecar), under the site's Content-Security-Policy."""

import pytest

from tests.conftest import new_phone_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offline_page(browser, base_url: str):
    """A page whose every request to another host fails, as on a machine with no network; those are listed."""
    context, page = new_phone_context(browser, base_url, language="en")
    page.set_viewport_size({"width": 1280, "height": 900})
    outside: list[str] = []

    def only_the_site(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return context, page, outside, errors


def test_swagger_ui_renders_every_operation_offline(browser, live_server):
    context, page, outside, errors = _offline_page(browser, live_server.url)
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/alarms/" in path for path in paths)
    assert any("/handoff" in path for path in paths)
    assert outside == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()


def test_redoc_renders_offline(browser, live_server):
    context, page, outside, errors = _offline_page(browser, live_server.url)
    page.goto("/api/v1/redoc/")
    page.wait_for_selector("[data-section-id]", state="attached", timeout=20_000)
    assert "Raise an alarm" in page.content()
    assert outside == []
    context.close()
