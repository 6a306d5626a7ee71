"""Logs (common/logging.py): JSON lines with nginx's request id, carried into the Celery tasks a request queues;
no client address or browser; WeasyPrint's chatter off."""

import io
import json
import logging
import logging.config

import pytest
import structlog
from django.test import Client

from common.logging import QUIET_LOGGERS, logging_config
from common.tasks import email_sweep_task
from config.celery_app import app as celery_app


@pytest.fixture
def json_lines():
    """The production formatter on the root logger, writing to a buffer; gives the parsed lines."""
    stream = io.StringIO()
    config = logging_config(json=True, level="INFO")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["structured"])
    )
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_logs_json_lines_with_nginxs_request_id_and_no_client_details(json_lines):
    Client().get("/accounts/login/", HTTP_X_REQUEST_ID="nginx-req-42", HTTP_USER_AGENT="Mozilla/5.0 (Nurse phone)")

    lines = [line for line in json_lines() if line.get("event") in ("request_started", "request_finished")]
    assert [line["event"] for line in lines] == ["request_started", "request_finished"]
    for line in lines:
        assert line["request_id"] == "nginx-req-42"
        assert line["level"] == "info" and line["timestamp"].endswith("Z")
        assert "ip" not in line and "user_agent" not in line
    assert "Nurse phone" not in json.dumps(json_lines())


def test_standard_library_records_get_the_request_id_too(json_lines):
    structlog.contextvars.bind_contextvars(request_id="nginx-req-7")
    try:
        logging.getLogger("incidents.services.notices").warning("notice %s retried", 12)
    finally:
        structlog.contextvars.clear_contextvars()

    line = json_lines()[-1]
    assert line["event"] == "notice 12 retried" and line["request_id"] == "nginx-req-7"
    assert line["logger"] == "incidents.services.notices"


def test_a_task_queued_during_a_request_carries_its_request_id(settings):
    celery_app.conf.task_always_eager = False
    structlog.contextvars.bind_contextvars(request_id="nginx-req-99")
    try:
        with celery_app.connection_for_write() as connection:
            # Sent to a queue of the test's own naming: what is checked is the message's headers, not its route.
            email_sweep_task.apply_async(connection=connection, queue="test-request-id")
            message = connection.SimpleQueue("test-request-id").get(timeout=1)
            message.ack()
    finally:
        structlog.contextvars.clear_contextvars()
        celery_app.conf.task_always_eager = True

    assert message.headers["__django_structlog__"]["request_id"] == "nginx-req-99"


def test_weasyprints_progress_messages_are_off():
    config = logging_config(json=True, level="INFO")

    for name in ("weasyprint", "fontTools"):
        assert name in QUIET_LOGGERS and config["loggers"][name]["level"] == "ERROR"
    assert logging.getLogger("weasyprint").getEffectiveLevel() == logging.ERROR
