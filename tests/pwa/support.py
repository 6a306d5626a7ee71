"""Helpers of the browser tests of the installable app. The pages' Content Security Policy forbids `eval`, which
Playwright's `wait_for_function` uses: conditions are polled with `evaluate` instead."""

import time


def poll(page, script: str, arg=None, *, timeout: float = 15.0):
    """Evaluates `script` (a function, maybe async) until it answers something truthy; returns that answer."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {script}")
        page.wait_for_timeout(100)


def wait_for_worker(page) -> str:
    """Waits until the service worker controls the page; answers the version it serves.

    A page whose load began while the worker was still installing stays uncontrolled (as in any browser): it is
    reloaded once the worker is active, as the user's next page would be.
    """
    poll(
        page,
        """() => navigator.serviceWorker.getRegistration().then(
            (r) => Boolean(r && r.active && r.active.state === "activated"))""",
    )
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    poll(page, "() => Boolean(navigator.serviceWorker.controller)")
    return page.evaluate(
        """() => new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => resolve(event.data.version);
            navigator.serviceWorker.controller.postMessage({type: "version"}, [channel.port2]);
        })"""
    )


def caches_named(page) -> list[str]:
    return sorted(page.evaluate("() => caches.keys()"))


def outbox_count(page) -> int:
    return page.evaluate("() => window.QorgauOutbox.waiting().then((items) => items.length)")


def wait_for_shell(page, pages=("/", "/incidents/report/")) -> None:
    """Waits until the worker keeps these pages for use with no connection."""
    poll(
        page,
        "(urls) => Promise.all(urls.map((u) => caches.match(u))).then((found) => found.every(Boolean))",
        list(pages),
    )
