"""Reporters submitting the report form and officers polling their inbox, over plain HTTP, with every response
recorded (time, status, latency). A reporter whose send was not acknowledged (an error page, a dropped
connection) sends it again with the same draft key, as a nurse presses "Send" again: the key makes it one report."""

import http.client
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Hit:
    at: float  # time.monotonic() when the request started
    who: str  # "reporter" or "officer"
    status: int  # 0: no response (connection refused or dropped)
    ms: float
    error: str = ""  # why there was no response


@dataclass
class Record:
    hits: list[Hit] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)  # draft keys a reporter started to send
    acknowledged: dict[str, int] = field(default_factory=dict)  # draft key -> incident id of the "sent" page
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Closed by a scenario that wants no request in flight (connections dying between requests): users wait.
    gate: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0

    def __post_init__(self) -> None:
        self.gate.set()

    def hit(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def enter(self) -> None:
        while True:
            self.gate.wait()
            with self.lock:
                if self.gate.is_set():
                    self.in_flight += 1
                    return

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def quiet(self, timeout: float = 60) -> None:
        """Close the gate and wait until no request is in flight."""
        self.gate.clear()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.in_flight == 0:
                    return
            time.sleep(0.01)
        raise RuntimeError("requests still in flight")


class Browser:
    """One user's cookies over http.client (no redirects followed: a 302's Location is the answer)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", content
        finally:
            connection.close()

    def login(self, username: str, password: str) -> None:
        for _ in range(60):
            try:
                status, _, page = self.request("GET", "/accounts/login/")
                token = CSRF_INPUT.search(page)
                if status == 200 and token:
                    status, location, _ = self.request(
                        "POST",
                        "/accounts/login/",
                        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
                    )
                    if status == 302:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{username} could not log in")


def report_form(facility: int, district: int, tag: str, draft_key: str) -> dict[str, str]:
    """The quick path of the report form, as tests/incidents/reporting_support.py's `minimal_post`."""
    return {
        "action": "submit",
        "draft_key": draft_key,
        "act": "threat",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "facility": str(facility),
        "department": "",
        "place": "admission",
        "district": str(district),
        "address": "",
        "reporter_hurt": "on",
        "reporter_role": "nurse",
        "reporter_duty_link": "performing",
        "account": f"Родственник пациента угрожал избить меня в приёмном покое. [{tag}]",
        "injury": "none",
        "attackers_count": "1",
        "attackers_agreed": "unknown",
        "wants_prosecution": "unknown",
        "victims-0-full_name": "",
        "victims-0-role": "",
        "victims-0-duty_link": "performing",
        "attackers-0-relation": "patient",
        "attackers-0-description": "",
        "attackers-0-full_name": "",
        "attackers-0-iin": "",
        "attackers-0-minor": "unknown",
        "victims-TOTAL_FORMS": "0",
        "victims-INITIAL_FORMS": "0",
        "victims-MIN_NUM_FORMS": "0",
        "victims-MAX_NUM_FORMS": "20",
        "attackers-TOTAL_FORMS": "1",
        "attackers-INITIAL_FORMS": "0",
        "attackers-MIN_NUM_FORMS": "0",
        "attackers-MAX_NUM_FORMS": "20",
    }


SENT = re.compile(r"/incidents/reports/(\d+)/sent/$")


def reporter(
    browser: Browser,
    record: Record,
    *,
    facility: int,
    district: int,
    tag: str,
    reports: int,
    pause: float,
    give_up_after: float = 180,
) -> None:
    """Send `reports` reports, one every `pause` seconds, each until it is acknowledged."""
    for _ in range(reports):
        key = str(uuid.uuid4())
        with record.lock:
            record.attempted.add(key)
        deadline = time.monotonic() + give_up_after
        while time.monotonic() < deadline:
            # Through the gate as the officers' polls: a scenario that kills connections "between requests" must
            # find no submit in flight either (the reporters did not wait at it: their in-flight submits got 503s).
            record.enter()
            started = time.monotonic()
            try:
                status, location, _ = browser.request(
                    "POST", "/incidents/report/", report_form(facility, district, tag, key)
                )
            except OSError:
                status, location = 0, ""
            finally:
                record.leave()
            record.hit(Hit(started, "reporter", status, (time.monotonic() - started) * 1000))
            sent = SENT.search(location) if status == 302 else None
            if sent:
                with record.lock:
                    record.acknowledged[key] = int(sent.group(1))
                break
            time.sleep(1)  # an error page: the nurse sends it again (the same draft key)
        time.sleep(pause)


def officer(browser: Browser, record: Record, stop: threading.Event, every: float = 1.0) -> None:
    """Open the inbox every `every` seconds until `stop`."""
    while not stop.is_set():
        error = ""
        record.enter()
        started = time.monotonic()
        try:
            status, _, _ = browser.request("GET", "/incidents/cases/")
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, type(exc).__name__
        finally:
            record.leave()
        record.hit(Hit(started, "officer", status, (time.monotonic() - started) * 1000, error))
        stop.wait(every)
