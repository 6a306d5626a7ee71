"""Web Push on the phone: the worker shows a push message's title and text and keeps its link; the switch on the
install page subscribes against notify's endpoint and meta tag, and says so plainly when either is missing."""

import json

import pytest

from tests.conftest import login_in_browser
from tests.incidents.reporting_support import ensure_roles
from tests.pwa.support import poll, wait_for_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    ensure_roles()


def test_a_push_message_is_shown_with_its_title_text_and_link(phone_page, live_server, reporter):
    page = phone_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    login_in_browser(page, reporter.username)
    page.goto("/")
    wait_for_worker(page)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = 50
    while not registrations and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    registration_id = registrations[0]["registrationId"]
    payload = {"title": "Полиция задала вам вопрос", "body": "Откройте Qorgau", "url": "/incidents/mine/"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    shown = poll(
        page,
        """() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) =>
            list.map((n) => ({title: n.title, body: n.body, url: n.data && n.data.url})))""",
    )
    assert shown == [payload]


def test_push_switch_without_a_vapid_key_says_notifications_are_unavailable(phone_page, reporter):
    page = phone_page
    login_in_browser(page, reporter.username)
    page.goto("/app/install/")
    assert page.locator("#pwa-push-button").is_disabled()
    assert "недоступны" in page.locator("#pwa-push-status").inner_text()


VAPID_META = (
    '<meta name="vapid-public-key" '
    'content="BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U">'
)
# Headless Chromium has no push service to subscribe with (no FCM): the browser's subscription is played by this.
FAKE_SUBSCRIBE = """
PushManager.prototype.getSubscription = () => Promise.resolve(null);
PushManager.prototype.subscribe = function (options) {
  window.__subscribeOptions = {userVisibleOnly: options.userVisibleOnly,
                               keyLength: new Uint8Array(options.applicationServerKey).length};
  return Promise.resolve({toJSON: () => ({endpoint: "https://push.example/send/abc",
                                          keys: {p256dh: "BPUBKEY", auth: "AUTHSECRET"}})});
};
"""


def open_install_page_with_vapid_key(page) -> list:
    """The install page as it is once notify's base.html carries the key; answers the subscriptions posted."""
    stored = []

    def subscriptions(route):
        stored.append((route.request.headers, route.request.post_data))
        route.fulfill(status=201, content_type="application/json", body="{}")

    page.context.route("**/push/subscriptions/", subscriptions)
    page.context.route(
        "**/app/install/",
        lambda route: route.fulfill(
            response=route.fetch(), body=route.fetch().text().replace("</head>", VAPID_META + "</head>")
        ),
    )
    page.goto("/app/install/")
    wait_for_worker(page)
    return stored


def test_push_switch_posts_the_subscription_to_notifys_endpoint(phone_page, live_server, reporter):
    page = phone_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.context.add_init_script(FAKE_SUBSCRIBE)
    login_in_browser(page, reporter.username)
    stored = open_install_page_with_vapid_key(page)
    page.click("#pwa-push-button")
    page.locator("#pwa-push-status").filter(has_text="включены").wait_for()
    assert page.evaluate("() => window.__subscribeOptions") == {"userVisibleOnly": True, "keyLength": 65}
    [(headers, body)] = stored
    assert json.loads(body) == {
        "endpoint": "https://push.example/send/abc",
        "keys": {"p256dh": "BPUBKEY", "auth": "AUTHSECRET"},
    }
    assert headers["content-type"] == "application/json" and len(headers["x-csrftoken"]) >= 32


def test_push_switch_says_so_when_the_browser_cannot_subscribe(phone_page, live_server, reporter):
    page = phone_page
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    # What a browser without a reachable push service answers (Chromium with no push service here does the same).
    page.context.add_init_script(
        "PushManager.prototype.getSubscription = () => Promise.resolve(null);"
        "PushManager.prototype.subscribe = () => Promise.reject(new DOMException('push service error', 'AbortError'));"
    )
    login_in_browser(page, reporter.username)
    stored = open_install_page_with_vapid_key(page)
    page.click("#pwa-push-button")
    page.locator("#pwa-push-status").filter(has_text="Не удалось включить").wait_for()
    assert stored == [] and page.locator("#pwa-push-button").is_enabled()
