"""Error tracking (common/sentry.py) against a Sentry endpoint played by a local HTTP server on loopback: a crash
while a nurse submits a report reaches it, and no name, IIN or word of her account leaves."""

import gzip
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse

from common.sentry import init_sentry
from incidents.services import reporting
from tests.incidents.reporting_support import minimal_post
from tests.security.test_error_reports import ACCOUNT, ATTACKER, IIN, VICTIM, leaked


class SentryEndpoint(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        elif encoding:
            raise AssertionError(f"unexpected encoding {encoding}")
        self.server.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def crash(*args, **kwargs):
    # Exception texts often quote what they choked on.
    raise RuntimeError(f"cannot file the report of {VICTIM} against {ATTACKER} ({IIN})")


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryEndpoint)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    init_sentry(dsn=f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test")
    yield server
    sentry_sdk.init(dsn=None)
    server.shutdown()


@pytest.mark.django_db
def test_a_crash_during_submit_reaches_sentry_without_names_or_iins(sentry_server, reporter, facility_a, monkeypatch):
    monkeypatch.setattr(reporting, "_create_incident", crash)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(reporter)
    data = minimal_post(
        facility_a,
        account=ACCOUNT,
        **{
            "victims-TOTAL_FORMS": "1",
            "victims-0-full_name": VICTIM,
            "victims-0-role": "nurse",
            "attackers-0-full_name": ATTACKER,
            "attackers-0-iin": IIN,
        },
    )

    response = client.post(reverse("incidents:report") + f"?iin={IIN}", data)
    sentry_sdk.flush(timeout=5)

    assert response.status_code == 500
    sent = b"\n".join(sentry_server.received).decode()
    assert "RuntimeError" in sent and "incident_submit" in sent  # the error and where it happened
    assert leaked(sent) == []
