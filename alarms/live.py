"""The live channel: open pages of a post's officers (and of the nurse who raised an alarm) over Django Channels.

Pages join groups by who is looking (alarms/consumers.py); the services send a short notice to a group and each
page's consumer reads the alarm itself, under its own user's access and language. A layer that is down or slow
costs the caller at most `timeout`: the other channels do not wait for it.
"""

import asyncio
import concurrent.futures
import logging
import os
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)


class _Process:
    # Whether this process serves the pages (config/asgi.py says so): an in-memory layer (no Redis, `make run`)
    # reaches only the pages of its own process, so a command or a beat process must not count its sends as made.
    serves_pages = False


_process = _Process()


def serve_pages_here() -> None:
    """Called by the ASGI application: this process holds the pages' WebSockets."""
    _process.serves_pages = True


def reaches_pages(layer: Any) -> bool:
    return _process.serves_pages or not isinstance(layer, InMemoryChannelLayer)


POST_GROUP_PREFIX = "alarms-post-"


def post_group(post_id: int) -> str:
    return f"{POST_GROUP_PREFIX}{post_id}"


def user_group(user_id: int) -> str:
    return f"alarms-user-{user_id}"


def alarm_group(alarm_id: int) -> str:
    return f"alarms-alarm-{alarm_id}"


class _SendLoop:
    """This process's event loop for sends to a Redis layer, in a thread of its own, started at the first send.

    `async_to_sync` from a request or a task thread starts a new loop each time, and the Redis layer opens a new
    connection for each loop: about 1.3 ms a send, twice for each alarm raised. This loop keeps its connections.
    An in-memory layer (no Redis) is not sent to from here: its queues belong to the pages' own loop.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.pid = 0

    def get(self) -> asyncio.AbstractEventLoop:
        with self.lock:
            # A forked process (a worker's child) does not have its parent's thread: it starts its own.
            if self.loop is None or self.pid != os.getpid() or self.thread is None or not self.thread.is_alive():
                self.loop = asyncio.new_event_loop()
                self.thread = threading.Thread(target=self.loop.run_forever, name="alarms-live-send", daemon=True)
                self.thread.start()
                self.pid = os.getpid()
            return self.loop


_send_loop = _SendLoop()


def _run(layer: Any, send: Callable[[], Coroutine[Any, Any, None]], timeout: float) -> None:
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(send)()
        return
    future = asyncio.run_coroutine_threadsafe(send(), _send_loop.get())
    try:
        future.result(timeout + 1)  # `send` gives up after `timeout`; this only guards against a stuck loop
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise


def broadcast(*, groups: list[str], message: dict[str, Any], timeout: float) -> bool:
    """Send `message` to each group; False, logged and never raised, when the layer fails or takes too long."""
    layer = get_channel_layer()
    if layer is None or not groups:
        return False
    if not reaches_pages(layer):
        logger.info("alarm live channel: no Redis, and this process serves no pages: %s not sent", groups)
        return False

    async def send_all() -> None:
        await asyncio.wait_for(asyncio.gather(*(layer.group_send(group, message) for group in groups)), timeout)

    try:
        _run(layer, send_all, timeout)
    except Exception as exc:  # noqa: BLE001 - the live channel must never stop the alarm or the other channels
        logger.warning(
            "alarm live channel: %s to %s failed (%s: %s)", message.get("type"), groups, type(exc).__name__, exc
        )
        return False
    return True
