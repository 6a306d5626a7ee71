"""REDIS_URL naming Redis Sentinels (sentinel://…): under the production settings the cache and the Celery broker
follow the master the sentinels name, and /readyz checks both. A real redis-server and a real sentinel on loopback."""

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from common.cache import SentinelRedisCache
from tests.conftest import skip_or_fail
from tests.integration.conftest import PrivateRedis
from tests.test_deploy import production_env

pytestmark = pytest.mark.integration

READ_THROUGH_PRODUCTION = """
import json
from django.core.cache import cache
from django.test import Client
from config.celery_app import app
cache.set("qorgau-sentinel-probe", "through the master", 60)
with app.connection_for_write() as connection:
    connection.ensure_connection(max_retries=1)
    transport = connection.transport_cls
checks = Client().get("/readyz", secure=True, HTTP_HOST="qorgau.example.kz").json()["checks"]
print(json.dumps({"cached": cache.get("qorgau-sentinel-probe"), "transport": transport,
                  "cache": checks["cache"], "broker": checks["broker"]}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sentinel(tmp_path):
    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        skip_or_fail("redis-server is not installed")
    master = PrivateRedis(tmp_path)
    master.start()
    port = free_port()
    config = tmp_path / "sentinel.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor qorgau 127.0.0.1 {master.port} 1\nsentinel down-after-milliseconds qorgau 1000\n"
    )
    process = subprocess.Popen(
        ["redis-server", str(config), "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = subprocess.run(
                ["redis-cli", "-p", str(port), "sentinel", "get-master-addr-by-name", "qorgau"],
                capture_output=True,
                text=True,
            ).stdout.split()
            if answer == ["127.0.0.1", str(master.port)]:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the sentinel does not know its master")
        yield master, f"sentinel://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        master.stop()


def master_get(master: PrivateRedis, key: str) -> str:
    return subprocess.run(
        ["redis-cli", "-p", str(master.port), "--raw", "get", key], capture_output=True, text=True
    ).stdout.strip()


def test_the_cache_follows_the_master_the_sentinels_name(sentinel):
    master, url = sentinel
    cache = SentinelRedisCache(url, {"OPTIONS": {"master_name": "qorgau"}})

    cache.set("probe", 41)
    assert cache.incr("probe") == 42
    assert cache.get("probe") == 42
    assert master_get(master, ":1:probe") == "42"


def test_production_settings_take_a_sentinel_url_for_the_cache_and_the_broker(sentinel, tmp_path):
    master, url = sentinel
    env = production_env(tmp_path, REDIS_URL=url, REDIS_SENTINEL_MASTER="qorgau")

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", READ_THROUGH_PRODUCTION],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["cached"] == "through the master"
    assert "sentinel" in answer["transport"].lower()
    assert answer["cache"]["status"] == "ok" and answer["broker"]["status"] == "ok", answer
    exists = ["redis-cli", "-p", str(master.port), "exists", ":1:qorgau-sentinel-probe"]
    assert subprocess.run(exists, capture_output=True, text=True).stdout.strip() == "1"
