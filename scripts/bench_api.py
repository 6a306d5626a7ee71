"""Server time of the API's busiest calls at national scale, as ratios to a trivial DRF view of the same run.

Runs against an existing, seeded PostgreSQL database (`manage.py seed_demo --incidents 1000000`, then `migrate`), as
scripts/bench_pages.py does, and with the same harness: the Django test client in-process (every middleware, the
authentication, throttling and problem handling of a real request), one warm-up, then N timed requests:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_1m .venv/bin/python scripts/bench_api.py -n 50

It reuses bench_pages' `bench-officer` at the busiest post (made if missing) and makes one API key of that post
(`bench api key`) once. Each measured alarm is a real alarm of that post (marked drill, so nobody is called).
"""

import argparse
import logging
import os
import statistics
import sys
import time
import types
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "bench-api-key"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(round(len(ordered) * fraction)) - 1, 0)]


def trivial_urlconf():
    """The site's URLs plus one DRF view that does nothing: no authentication, permission or throttle."""
    from django.urls import path
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    import config.urls

    class Trivial(APIView):
        authentication_classes: list = []
        permission_classes = [AllowAny]
        throttle_classes: list = []

        def get(self, request):
            return Response({"ok": True})

    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [path("api/v1/trivial/", Trivial.as_view()), *config.urls.urlpatterns]
    sys.modules["bench_api_urls"] = module
    return "bench_api_urls"


def prepare():
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from accounts.models import PostAssignment, Role, User
    from api.models import PlaceAPIKey
    from api.services import apikey_create
    from facilities.models import PolicePost
    from incidents.models import Incident

    busiest = (
        Incident.objects.exclude(police_post=None).values("police_post").annotate(n=Count("pk")).order_by("-n").first()
    )
    post = PolicePost.objects.select_related("facility").get(pk=busiest["police_post"])
    print(f"busiest post: {post.code} ({busiest['n']} cases)")
    officer, _created = User.objects.get_or_create(username="bench-officer", defaults={"first_name": "Bench"})
    officer.groups.add(*Group.objects.filter(name=Role.POLICE_OFFICER))
    PostAssignment.objects.get_or_create(user=officer, post=post)
    raw = KEY_FILE.read_text().strip() if KEY_FILE.exists() else ""
    if not raw or not PlaceAPIKey.objects.is_valid(raw):
        _row, raw = apikey_create(name="bench api key", post_code=post.code)
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(raw + "\n")
    return officer, raw


def timed(call, repeat: int) -> list[float]:
    call()  # warm-up
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        found.append((time.perf_counter() - start) * 1000)
        if response.status_code >= 300:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="timed requests per call (default 50)")
    args = parser.parse_args()

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from api.authentication import token_issue
    from api.throttling import KeyOrUserRateThrottle
    from config.celery_app import app
    from incidents.models import Incident

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the seeded PostgreSQL database (see the docstring).")
    app.conf.update(task_always_eager=False, broker_url="memory://")
    setup_test_environment()
    KeyOrUserRateThrottle.THROTTLE_RATES = {"api": "1000000/minute"}  # measured, not throttled
    print(f"database: {connection.settings_dict['NAME']}, incidents: {Incident.objects.count()}")
    officer, key = prepare()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = f"Bearer {token_issue(user=officer)}"

    def alarm():
        return client.post(
            "/api/v1/alarms/",
            data={"place": "bench", "drill": True},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Api-Key {key}",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )

    calls = {
        "trivial DRF view (floor)": lambda: client.get("/api/v1/trivial/"),
        "POST /api/v1/alarms/ (key)": alarm,
        "GET /api/v1/cases/ (officer, first page)": lambda: client.get("/api/v1/cases/", HTTP_AUTHORIZATION=token),
        "GET /api/v1/cases/?status=submitted": lambda: client.get(
            "/api/v1/cases/", {"status": "submitted"}, HTTP_AUTHORIZATION=token
        ),
    }
    rows = []
    with override_settings(ROOT_URLCONF=trivial_urlconf(), DEBUG=False):
        for label, call in calls.items():
            ms = timed(call, args.n)
            rows.append((label, statistics.median(ms), percentile(ms, 0.95)))
    floor = rows[0][1]
    print(f"\nn={args.n} per call, {settings.DATABASES['default']['NAME']}")
    print("| call | p50 ms | p95 ms | p50 / floor |")
    print("|---|---:|---:|---:|")
    for label, p50, p95 in rows:
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p50 / floor:.1f}× |")


if __name__ == "__main__":
    main()
