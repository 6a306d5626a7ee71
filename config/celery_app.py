"""The Celery application. Workers: `celery -A config worker`; schedule: `celery -A config beat`."""

import sys
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init
from django.core.management.base import SystemCheckError
from django_structlog.celery.steps import DjangoStructLogInitStep

from config.settings import use_default_settings
from config.startup import refuse_misconfigured_start

use_default_settings()

app = Celery("qorgau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id of the request that queued a task is in the task's log lines (django-structlog).
app.steps["worker"].add(DjangoStructLogInitStep)


@worker_init.connect
@beat_init.connect
def _refuse_misconfigured_start(**kwargs: Any) -> None:
    # A worker or beat of a misconfigured production stops at start with the checks' messages, as the web does.
    # Celery logs and swallows a signal handler's exception, so the process is ended here.
    try:
        refuse_misconfigured_start()
    except SystemCheckError as error:
        sys.stderr.write(f"{error}\n")
        raise SystemExit(1) from error
