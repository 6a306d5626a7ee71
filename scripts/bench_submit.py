"""Server time of a report submit: `incident_submit` (legal tagging included), median over N runs.

Runs against a throwaway test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set):

    .venv/bin/python scripts/bench_submit.py            # 100 submits through the service
    .venv/bin/python scripts/bench_submit.py --http     # and 100 POSTs of the form through the view
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench .venv/bin/python scripts/bench_submit.py

The notice render is queued on commit as in production (to an in-memory broker here), not rendered inline:
it runs in a Celery worker, after the nurse has her reference number.
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
    parser.add_argument("-n", type=int, default=100, help="number of submits (default 100)")
    parser.add_argument("--http", action="store_true", help="also time POSTs of the form through the view")
    parser.add_argument("--photo", action="store_true", help="attach a small JPEG to every report")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from config.celery_app import app

    # As in production: the notice is published to a broker on commit, a worker renders it later.
    app.conf.update(task_always_eager=False, broker_url="memory://")
    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / "var" / "bench-media"

    with throwaway_database():
        print(f"database: {connection.vendor}, settings: {os.environ['DJANGO_SETTINGS_MODULE']}")
        run(args)


def run(args) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from incidents.models import Act, AttackerRelation, Incident, Injury, Place
    from incidents.services.evidence import upload_check
    from incidents.services.reporting import AttackerInput, ReportInput, VictimInput, incident_submit
    from tests import factories
    from tests.incidents.reporting_support import jpeg_bytes, minimal_post

    facility = factories.PolicePostFactory(code="POST-BENCH").facility
    nurse = factories.make_reporter(facility, username="bench-nurse")
    report = ReportInput(
        act=Act.VIOLENCE,
        occurred_at=timezone.now(),
        facility=facility,
        place=Place.ADMISSION,
        account="Пациент ударил медсестру в приёмном покое.",
        injury=Injury.VISIBLE,
    )
    victims = [VictimInput(role=nurse.profession, is_reporter=True, full_name=str(nurse))]
    attackers = [AttackerInput(relation=AttackerRelation.PATIENT, full_name="Иван Петров", iin="900101300017")]
    photo = jpeg_bytes((640, 480))

    timings = []
    for _ in range(3):  # warm-up: imports, caches, first counter row
        incident_submit(
            reporter=nurse, report=report, victims=victims, attackers=attackers, idempotency_key=uuid.uuid4()
        )
    for _ in range(args.n):
        uploads = [upload_check(SimpleUploadedFile("photo.jpg", photo))] if args.photo else []
        started = time.perf_counter()
        incident = incident_submit(
            reporter=nurse,
            report=report,
            victims=victims,
            attackers=attackers,
            idempotency_key=uuid.uuid4(),
            uploads=uploads,
        )
        timings.append(time.perf_counter() - started)
    if incident.legal_part is None:
        raise SystemExit("the legal tag was not computed")
    print(summary("incident_submit (with legal tagging)", [t * 1000 for t in timings]))

    if args.http:
        client = Client()
        client.force_login(nurse)
        url = reverse("incidents:report")
        timings = []
        for _ in range(args.n):
            data = minimal_post(facility, act="violence", injury="visible")
            if args.photo:
                data["evidence"] = SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg")
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append(time.perf_counter() - started)
            if response.status_code != 302:
                raise SystemExit(f"the form was not accepted: HTTP {response.status_code}")
        print(summary("POST /incidents/report/ (form, draft, submit, redirect)", [t * 1000 for t in timings]))
    print(f"reports filed: {Incident.objects.count()}")


if __name__ == "__main__":
    main()
