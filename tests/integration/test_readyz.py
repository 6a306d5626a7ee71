"""A real broker stopped: /readyz turns red with the reason, and green again when it is back."""

import pytest

from config.celery_app import app as celery_app

pytestmark = pytest.mark.integration


def broker_check(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    return response.status_code, response.json()["checks"]["broker"]


def test_stopping_the_broker_turns_readyz_red(client, private_redis, monkeypatch, transactional_db):
    monkeypatch.setattr(celery_app.conf, "broker_url", private_redis.url)
    assert broker_check(client)[1]["status"] == "ok"

    private_redis.stop()
    status, broker = broker_check(client)

    assert status == 503
    assert broker["status"] == "fail"
    assert f"127.0.0.1:{private_redis.port}" in broker["error"] and "refused" in broker["error"].lower()

    private_redis.start()
    assert broker_check(client)[1]["status"] == "ok"
