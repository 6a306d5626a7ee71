"""Render time of PDF notices: one notice in-process, and N notices through one Celery worker.

Runs against a throwaway test database. The worker part needs a real broker and a database a worker
thread can share, so it runs only with both set:

    .venv/bin/python scripts/bench_notices.py                       # one notice, median of 20 renders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python scripts/bench_notices.py -n 100            # and 100 notices through one worker
"""

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchsupport import summary, throwaway_database  # noqa: E402 - beside this script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="notices through the worker (default 100)")
    parser.add_argument("--single", type=int, default=20, help="in-process renders of one notice (default 20)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / "var" / "bench-media"
    with throwaway_database():
        print(f"database: {connection.vendor}")
        run(args)


def make_incidents(count: int):
    from django.utils import timezone

    from accounts.models import Profession
    from incidents.models import Act, AttackerRelation, Injury, Place
    from incidents.services.reporting import AttackerInput, ReportInput, VictimInput, incident_submit
    from tests import factories

    facility = factories.PolicePostFactory(code=f"POST-{uuid.uuid4().hex[:6]}").facility
    nurse = factories.make_reporter(facility, username=f"nurse-{uuid.uuid4().hex[:6]}")
    report = ReportInput(
        act=Act.VIOLENCE,
        occurred_at=timezone.now(),
        facility=facility,
        place=Place.ADMISSION,
        account="Пациент ударил медсестру в приёмном покое. " * 8,
        injury=Injury.VISIBLE,
    )
    victims = [VictimInput(role=Profession.NURSE, is_reporter=True, full_name=str(nurse))]
    attackers = [AttackerInput(relation=AttackerRelation.PATIENT, full_name="Иван Петров", iin="900101300017")]
    return [
        incident_submit(
            reporter=nurse, report=report, victims=victims, attackers=attackers, idempotency_key=uuid.uuid4()
        )
        for _ in range(count)
    ]


def run(args) -> None:
    from config.celery_app import app

    # Submits publish to an in-memory broker nobody consumes: we render below, on our terms.
    app.conf.update(task_always_eager=False, broker_url="memory://")
    started = time.perf_counter()
    import weasyprint  # noqa: F401

    print(f"import weasyprint: {(time.perf_counter() - started) * 1000:.0f} ms (once per worker process)")

    from incidents.pdf import render_notice_pdf

    incident = make_incidents(1)[0]
    render_notice_pdf(incident=incident, language="ru-kk", version=incident.version)  # warm-up: fonts
    timings = []
    for _ in range(args.single):
        started = time.perf_counter()
        data = render_notice_pdf(incident=incident, language="ru-kk", version=incident.version)
        timings.append((time.perf_counter() - started) * 1000)
    print(summary("one notice (ru+kk, in-process)", timings, decimals=0) + f", {len(data) // 1024} KiB")

    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or connection_vendor() != "postgresql":
        print("worker run skipped: set REDIS_URL and a PostgreSQL DATABASE_URL")
        return
    run_worker(args.n, redis_url)


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def run_worker(count: int, redis_url: str) -> None:
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app
    from incidents.models import Notice
    from incidents.services.notices import notice_publish

    incidents = make_incidents(count)
    ids = list(Notice.objects.filter(incident__in=incidents).values_list("pk", flat=True))
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=None)
    app._pool = None
    app.amqp._producer_pool = None
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        started = time.perf_counter()
        for notice_id in ids:
            notice_publish(notice_id=notice_id)
        while Notice.objects.filter(pk__in=ids).exclude(status=Notice.Status.READY).exists():
            if Notice.objects.filter(pk__in=ids, status=Notice.Status.FAILED).exists():
                raise SystemExit("a notice failed")
            time.sleep(0.1)
        wall = time.perf_counter() - started
    render_ms = list(Notice.objects.filter(pk__in=ids).values_list("render_ms", flat=True))
    print(summary(f"{count} notices through one worker (render time per notice)", render_ms, decimals=0))
    print(
        f"{count} notices through one worker: {wall:.1f} s wall, {wall / count * 1000:.0f} ms per notice "
        f"(claim, render, store, event, e-mail task), {count / wall:.1f} notices/s"
    )


if __name__ == "__main__":
    main()
