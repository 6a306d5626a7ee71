"""Loopback servers that play the outside providers, record every request exactly, and check it as the real
provider would: Telegram's Bot API, an SMS gateway, and a Web Push service that decrypts the payload with the
subscription's private keys and verifies the VAPID signature.

Each runs in a thread on 127.0.0.1 with a free port; `delay` makes it answer late (timeouts), `fail_with` makes it
answer with that HTTP status. Nothing here reaches beyond loopback.
"""

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    at: float = field(default_factory=time.perf_counter)

    def json(self) -> Any:
        return json.loads(self.body)


class FakeProvider:
    """A loopback HTTP server; subclasses answer `handle(request) -> (status, headers, body)`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.delay = 0.0
        self.fail_with: int | None = None
        self.problems: list[str] = []  # what the provider refused, for the test to assert empty
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without TCP_NODELAY the second waits for the client's delayed ACK
            # (40 ms on Linux), which no real provider makes anyone wait.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                recorded = Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with provider._lock:
                    provider.requests.append(recorded)
                if provider.delay:
                    time.sleep(provider.delay)
                if provider.fail_with:
                    status, headers, payload = provider.fail_with, {}, b'{"ok": false, "description": "down"}'
                else:
                    with provider._lock:
                        status, headers, payload = provider.handle(recorded)
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def refuse(self, problem: str, status: int = 400) -> tuple[int, dict[str, str], bytes]:
        self.problems.append(problem)
        return status, {}, json.dumps({"ok": False, "error": problem}).encode()

    def __enter__(self) -> "FakeProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeTelegram(FakeProvider):
    """Telegram's Bot API: POST /bot<token>/sendMessage, JSON, answered {"ok": true, "result": {"message_id": …}}."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.messages: list[dict[str, Any]] = []

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        if request.path != f"/bot{self.token}/sendMessage":
            self.problems.append(f"path {request.path}")
            return 401, {}, b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
        if request.headers.get("content-type") != "application/json":
            return self.refuse(f"content-type {request.headers.get('content-type')}")
        body = request.json()
        if not body.get("chat_id") or not body.get("text"):
            return self.refuse("chat_id and text are required")
        self.messages.append(body)
        message_id = len(self.messages)
        result = {"message_id": message_id, "chat": {"id": body["chat_id"]}, "date": int(time.time())}
        return 200, {}, json.dumps({"ok": True, "result": result}).encode()


class FakeSmsGateway(FakeProvider):
    """The provider-neutral gateway of notifications/channels/sms.py: bearer token, JSON body, and an idempotency
    key (header and client_ref, the same) under which a second request sends nothing and answers the first id."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.sent: list[dict[str, Any]] = []
        self.ids_by_key: dict[str, str] = {}

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        if request.path != "/v1/messages":
            return self.refuse(f"path {request.path}", 404)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return self.refuse("bad credentials", 401)
        if request.headers.get("content-type") != "application/json":
            return self.refuse(f"content-type {request.headers.get('content-type')}")
        body = request.json()
        key = request.headers.get("idempotency-key", "")
        if not key or body.get("client_ref") != key:
            return self.refuse("Idempotency-Key and client_ref differ")
        if not str(body.get("to", "")).startswith("+") or not body.get("text"):
            return self.refuse("to (+digits) and text are required")
        if key in self.ids_by_key:
            return 200, {}, json.dumps({"id": self.ids_by_key[key], "duplicate": True}).encode()
        self.sent.append(body)
        self.ids_by_key[key] = message_id = f"sms-{len(self.sent)}"
        return 202, {}, json.dumps({"id": message_id}).encode()


@dataclass
class Browser:
    """One browser's push subscription: the keys only the browser has, and what `subscribe()` hands to Qorgau."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))

    @property
    def subscription(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)}}


@dataclass
class Push:
    browser: Browser
    headers: dict[str, str]
    payload: dict[str, Any]  # decrypted
    claims: dict[str, Any]  # the VAPID JWT's, signature verified


class FakePushService(FakeProvider):
    """A Web Push service (RFC 8030): POST /push/<id>. Checks the VAPID JWT (ES256 by the key in `k`, which must be
    `vapid_public_key`; `aud` this origin; `exp` ahead; `sub` set), then DECRYPTS the aes128gcm body with the
    browser's private key and auth secret. A message with a Topic still waiting replaces it (as the spec says)."""

    def __init__(self, vapid_public_key: str) -> None:
        super().__init__()
        self.vapid_public_key = vapid_public_key
        self.browsers: dict[str, Browser] = {}
        self.pushes: list[Push] = []
        self.topics: dict[str, int] = {}  # Topic -> index in pushes
        self.gone: set[str] = set()

    def subscribe(self) -> Browser:
        token = secrets.token_urlsafe(16)
        browser = Browser(f"{self.url}/push/{token}", ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(16))
        self.browsers[f"/push/{token}"] = browser
        return browser

    def handle(self, request: Recorded) -> tuple[int, dict[str, str], bytes]:
        browser = self.browsers.get(request.path)
        if browser is None or request.path in self.gone:
            return 410, {}, b'{"error": "subscription expired"}'
        headers = request.headers
        if headers.get("content-encoding") != "aes128gcm":
            return self.refuse(f"content-encoding {headers.get('content-encoding')}")
        if not headers.get("ttl", "").isdigit():
            return self.refuse("TTL header missing")
        try:
            claims = self._verify_vapid(headers.get("authorization", ""))
        except (ValueError, InvalidSignature) as exc:
            return self.refuse(f"VAPID: {exc}", 401)
        try:
            plain = http_ece.decrypt(
                request.body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
            )
        except Exception as exc:  # noqa: BLE001 - any failure to decrypt is the sender's fault
            return self.refuse(f"cannot decrypt: {exc}")
        push = Push(browser, dict(headers), json.loads(plain), claims)
        topic = headers.get("topic")
        if topic and topic in self.topics:
            self.pushes[self.topics[topic]] = push
        else:
            self.pushes.append(push)
            if topic:
                self.topics[topic] = len(self.pushes) - 1
        return 201, {"Location": f"{self.url}/message/{len(self.pushes)}"}, b""

    def _verify_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"scheme {scheme!r}")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        if parts.get("k") != self.vapid_public_key:
            raise ValueError("k is not the application server's key")
        header_b64, claims_b64, signature_b64 = parts["t"].split(".")
        header = json.loads(b64url_decode(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"alg {header.get('alg')}")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
        signature = b64url_decode(signature_b64)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(b64url_decode(claims_b64))
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.url))
        if claims.get("aud") != origin:
            raise ValueError(f"aud {claims.get('aud')} is not {origin}")
        if not claims.get("sub") or int(claims.get("exp", 0)) <= time.time():
            raise ValueError("sub missing or exp past")
        return claims


def closed_port_url() -> str:
    """A loopback URL nobody listens on (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
