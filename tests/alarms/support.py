"""Fakes for the alarm tests: channels that record what they were asked to send, and alarm personas."""

import threading
from dataclasses import dataclass, field

from alarms.channels.base import OutgoingMessage, SendResult


@dataclass
class FakeChannel:
    """A channel whose recipients are `<name>:<username>`; it records each send, or fails them all."""

    name: str
    fail: bool = False
    raises: type[Exception] | None = None
    sent: list[tuple[str, OutgoingMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def recipients_for_user(self, user) -> list[str]:
        return [f"{self.name}:{user.username}"]

    def send(self, *, recipient: str, message: OutgoingMessage, timeout: float) -> SendResult:
        if self.raises is not None:
            raise self.raises("provider down")
        with self.lock:
            self.sent.append((recipient, message))
        if self.fail:
            return SendResult(status="failed", provider_id="", detail="HTTP 502", latency_ms=1)
        return SendResult(status="sent", provider_id=f"{self.name}-{len(self.sent)}", detail="", latency_ms=1)

    def recipients(self) -> list[str]:
        return [recipient for recipient, _message in self.sent]


def use_channels(monkeypatch, *channels: FakeChannel) -> None:
    monkeypatch.setattr("alarms.channels.base.configured_channels", lambda: list(channels))


class PageSocket:
    """An open page's WebSocket to an ASGI app, as Channels' WebsocketCommunicator (whose package needs daphne)."""

    def __init__(self, application, path: str, *, user=None) -> None:
        import json
        from urllib.parse import unquote, urlparse

        from asgiref.testing import ApplicationCommunicator

        parsed = urlparse(path)
        scope = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode(),
            "headers": [],
            "subprotocols": [],
        }
        if user is not None:
            scope["user"] = user
        self._json = json
        self._communicator = ApplicationCommunicator(application, scope)

    async def connect(self, timeout: float = 2) -> tuple[bool, object]:
        await self._communicator.send_input({"type": "websocket.connect"})
        response = await self._communicator.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, None

    async def receive_json(self, timeout: float = 2) -> dict:
        response = await self._communicator.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return self._json.loads(response["text"])

    async def send_json(self, data: dict) -> None:
        await self._communicator.send_input({"type": "websocket.receive", "text": self._json.dumps(data)})

    async def receive_nothing(self, timeout: float = 0.3) -> bool:
        return await self._communicator.receive_nothing(timeout)

    async def disconnect(self) -> None:
        await self._communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await self._communicator.wait(2)


def asgi_application():
    """config/asgi.py's application with the static files served too (as WhiteNoise does behind `make run`)."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    return type(application)(
        {**application.application_mapping, "http": ASGIStaticFilesHandler(application.application_mapping["http"])}
    )


class AsgiServer:
    """uvicorn serving the ASGI application (pages and WebSockets) from a thread of this process, on a free port."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, ws="websockets-sansio", log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> "AsgiServer":
        import time

        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1) of `values`."""
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
