"""Optional error tracking (SENTRY_DSN: a self-hosted GlitchTip or Sentry in the country). What is sent is the
error's type and stack, the URL's path and the user's id: never a request body, cookie, local variable, log
message argument, breadcrumb or exception text, where names, IINs and accounts of violence would be."""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

SCRUBBED = "[scrubbed]"
# Twelve digits in a row: an IIN (or a phone number); never sent even inside a kept string.
DIGITS = re.compile(r"\d{10,}")


def _scrub_text(value: str) -> str:
    return DIGITS.sub(SCRUBBED, value)


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keep what locates the error; drop everything a person typed or that names someone."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {
            "method": request.get("method"),
            "url": _scrub_text(str(request.get("url", ""))),
        }
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = SCRUBBED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        event["logentry"] = {"message": _scrub_text(str(logentry.get("message", ""))), "params": []}
    if "message" in event:
        event["message"] = _scrub_text(str(event["message"]))
    user = event.get("user")
    event["user"] = {"id": user.get("id")} if isinstance(user, dict) and user.get("id") else {}
    for key in ("extra", "breadcrumbs"):
        event.pop(key, None)
    event.get("contexts", {}).pop("structlog", None)
    return event


def init_sentry(*, dsn: str, environment: str, release: str | None = None) -> None:
    """Start sending errors (only errors: no performance traces) to `dsn`, scrubbed by `scrub_event`."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[
            DjangoIntegration(transaction_style="url"),
            CeleryIntegration(),
            LoggingIntegration(event_level=None),  # errors are sent when raised, not when logged with arguments
        ],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0.0,
        before_send=scrub_event,  # type: ignore[arg-type]
        before_send_transaction=lambda event, hint: None,
    )
