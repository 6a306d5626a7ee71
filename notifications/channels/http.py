"""One HTTP POST to a provider, with a deadline, whose every failure is an answer rather than an exception.

Each thread keeps its own connection pool (`requests.Session`): a worker that sends a burst reuses its connections
to the provider instead of paying a TLS handshake per message. Nothing of the URL is put in an error: Telegram's
carries the bot's token.
"""

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

USER_AGENT = "Qorgau/1 (+notifications)"


@dataclass(frozen=True)
class HttpAnswer:
    status_code: int | None  # None: no answer (timeout, refused, reset)
    body: bytes
    latency_ms: int
    error: str  # "" when the provider answered

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _Sessions(threading.local):
    session: requests.Session | None = None


_sessions = _Sessions()


def session() -> requests.Session:
    if _sessions.session is None:
        session = requests.Session()
        session.trust_env = False  # no proxy or .netrc from the environment: only the configured URL is reached
        session.headers["User-Agent"] = USER_AGENT
        _sessions.session = session
    return _sessions.session


def post(url: str, *, timeout: float, **kwargs: Any) -> HttpAnswer:
    """POST to `url` (requests' keyword arguments: json, data, headers, auth), waiting at most `timeout` seconds
    to connect and `timeout` for each read."""
    started = time.perf_counter()
    try:
        response = session().post(url, timeout=(timeout, timeout), allow_redirects=False, **kwargs)
        body = response.content
    except requests.Timeout:
        return HttpAnswer(None, b"", _ms(started), f"no answer within {timeout:g} s")
    except requests.RequestException as exc:
        _sessions.session = None  # a broken pool is not reused
        return HttpAnswer(None, b"", _ms(started), f"{type(exc).__name__}: connection failed")
    return HttpAnswer(response.status_code, body, _ms(started), "")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
