"""Server time and SQL queries of the officer's and the reporter's pages at national scale.

Runs against an existing, seeded database (`manage.py seed_demo --incidents 1000000`), not a test database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_stats .venv/bin/python scripts/bench_pages.py

It creates once (and reuses afterwards) three users without usable passwords: `bench-officer` at the busiest
police post, `bench-lead` of the busiest facility and `bench-reporter` with a few hundred reports of their own
(references `BENCH-…`, plus one report filed through the reporting service for the case page). Seeded rows
are only read. Every page is fetched with the Django test client (force_login): one warm-up, then the
median of N timings and the number of SQL queries of one request.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

PREFIX = "BENCH-"
MAINTAINED = ("incidents_incident", "incidents_victim", "incidents_casemessage", "legal_legalassessment")
ACCOUNT = "Benchmark report (scripts/bench_pages.py), no real person."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="timed requests per page (default 10)")
    parser.add_argument("--reports", type=int, default=300, help="reports of the bench reporter (default 300)")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up request (for very slow pages)")
    args = parser.parse_args()

    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from config.celery_app import app

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the seeded PostgreSQL database (see the docstring).")
    # The case page's report queues its notice on commit: to a broker nobody reads, as in bench_submit.
    app.conf.update(task_always_eager=False, broker_url="memory://")
    setup_test_environment()  # the test client's host, a local e-mail outbox
    print(f"database: {connection.settings_dict['NAME']}, incidents: {incident_count()}")
    maintain()
    people = prepare(reports=args.reports)
    rows = measure(people, repeat=args.n, only=args.only, warmup=not args.no_warmup)
    print()
    print("| page | median ms | queries | rows |")
    print("|---|---:|---:|---:|")
    for label, median, queries, shown in rows:
        print(f"| {label} | {median:.0f} | {queries} | {shown} |")


def incident_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:  # the planner's estimate: COUNT(*) of a million rows is slow
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'incidents_incident'")
        return cursor.fetchone()[0]


def maintain() -> None:
    """Vacuum and analyse tables autovacuum never reached (it is off on some machines), as production would.

    Without statistics the planner guesses, and without a visibility map index-only scans read the table.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND last_analyze IS NULL"
            " AND last_autoanalyze IS NULL AND n_live_tup > 0",
            [list(MAINTAINED)],
        )
        for (table,) in cursor.fetchall():
            print(f"VACUUM (ANALYZE) {table}: never analysed")
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')


def _user(username: str, roles: list[str], **fields):
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": "Bench",
            "last_name": username.split("-")[1].title(),
            "email": f"{username}@example.com",
            **fields,
        },
    )
    if created or user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def prepare(*, reports: int) -> dict:
    from django.db.models import Count

    from accounts.models import FacilityMembership, PostAssignment, Profession, Role
    from facilities.models import PolicePost
    from incidents.models import Incident

    busiest = (
        Incident.objects.exclude(police_post=None).values("police_post").annotate(n=Count("pk")).order_by("-n").first()
    )
    post = PolicePost.objects.select_related("facility").get(pk=busiest["police_post"])
    facility = post.facility
    print(f"busiest post: {post} ({busiest['n']} cases), its facility: {facility}")

    officer = _user("bench-officer", [Role.POLICE_OFFICER])
    PostAssignment.objects.get_or_create(user=officer, post=post)
    lead = _user("bench-lead", [Role.REPORTER, Role.FACILITY_LEAD], profession=Profession.DOCTOR)
    FacilityMembership.objects.update_or_create(user=lead, facility=facility, defaults={"is_lead": True})
    reporter = _user("bench-reporter", [Role.REPORTER], profession=Profession.NURSE)
    FacilityMembership.objects.get_or_create(user=reporter, facility=facility)

    case = Incident.objects.filter(reporter=reporter).exclude(reference__startswith=PREFIX).first()
    if case is None:
        case = _case_for_page(reporter=reporter, officer=officer, facility=facility)
    _bulk_reports(reporter=reporter, officer=officer, post=post, count=reports)
    return {"officer": officer, "lead": lead, "reporter": reporter, "facility": facility, "case": case}


def _case_for_page(*, reporter, officer, facility):
    """A report filed through the service (legal assessment, events, notice), acknowledged and asked about."""
    from django.utils import timezone

    from accounts.models import Profession
    from incidents.models import Act, AttackerRelation, Injury, Place
    from incidents.services import cases
    from incidents.services.reporting import AttackerInput, ReportInput, VictimInput, incident_submit

    report = ReportInput(
        act=Act.VIOLENCE,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        facility=facility,
        place=Place.ADMISSION,
        account=ACCOUNT,
        injury=Injury.VISIBLE,
        sick_leave_days=5,
    )
    incident = incident_submit(
        reporter=reporter,
        report=report,
        idempotency_key=uuid.uuid4(),
        victims=[
            VictimInput(role=Profession.NURSE, is_reporter=True, full_name=str(reporter)),
            VictimInput(role=Profession.DOCTOR, full_name="Bench Doctor"),
        ],
        attackers=[
            AttackerInput(relation=AttackerRelation.PATIENT, description="tall, grey coat"),
            AttackerInput(relation=AttackerRelation.RELATIVE, description="short"),
        ],
    )
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    for number in range(3):
        cases.case_question_ask(incident=incident, actor=officer, body=f"Benchmark question {number + 1}?")
    return incident


def _bulk_reports(*, reporter, officer, post, count: int) -> None:
    """Bare report rows (one victim each; every tenth with a police question) up to `count`."""
    from django.utils import timezone

    from incidents.models import Act, CaseMessage, Incident, Place, Status, Victim
    from incidents.services.deadlines import deadline_of

    have = Incident.objects.filter(reporter=reporter, reference__startswith=PREFIX).count()
    if have >= count:
        return
    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED, Status.CLOSED]
    rows = [
        Incident(
            reference=f"{PREFIX}{number:06d}",
            reporter=reporter,
            act=Act.THREAT if number % 3 else Act.VIOLENCE,
            occurred_at=now - dt.timedelta(days=number, hours=1),
            facility=post.facility,
            place=Place.WARD,
            account=ACCOUNT,
            police_post=post,
            police_department=post.police_department,
            status=statuses[number % 4],
            legal_applicable=True,
            legal_part=1 + number % 3,
            submitted_at=now - dt.timedelta(days=number),
        )
        for number in range(have + 1, count + 1)
    ]
    for row in rows:  # the stored deadline, as the case services keep it
        row.procedure, row.due_at = deadline_of(incident=row, assessment=None)
    new = Incident.objects.bulk_create(rows)
    Victim.objects.bulk_create(
        [
            Victim(
                incident=incident, user=reporter, is_reporter=True, full_name=str(reporter), role=reporter.profession
            )
            for incident in new
        ]
    )
    CaseMessage.objects.bulk_create(
        [
            CaseMessage(incident=incident, kind=CaseMessage.Kind.QUESTION, author=officer, body="Benchmark question?")
            for incident in new[::10]
        ]
    )
    print(f"created {len(new)} reports of {reporter}")


class QueryCounter:
    """Counts the SQL statements of one request (unlike CaptureQueriesContext, without a cap of 9000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(people: dict, *, repeat: int, only: str = "", warmup: bool = True) -> list[tuple[str, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    inbox = reverse("incidents:case_inbox")
    pages = [
        ("officer", "inbox, first page", inbox, {}),
        ("officer", "inbox, status=registered", inbox, {"status": "registered"}),
        ("officer", "inbox, part=2", inbox, {"part": "2"}),
        ("officer", "inbox, facility", inbox, {"facility": people["facility"].pk}),
        (
            "officer",
            "inbox, period (30 days)",
            inbox,
            {"period_from": (today - dt.timedelta(days=30)).isoformat(), "period_to": today.isoformat()},
        ),
        ("officer", "inbox, overdue", inbox, {"overdue": "on"}),
        ("officer", "inbox, search by reference", inbox, {"q": people["case"].reference}),
        ("officer", "inbox, page 50", inbox, {"page": 50}),
        ("officer", "inbox poll", reverse("incidents:case_inbox_poll"), {}),
        ("officer", "case page", reverse("incidents:case_detail", args=[people["case"].pk]), {}),
        ("lead", "facility list", reverse("incidents:facility_reports"), {}),
        ("lead", "facility list, page 50", reverse("incidents:facility_reports"), {"page": 50}),
        ("reporter", "my reports", reverse("incidents:my_reports"), {}),
    ]
    clients = {}
    for role in ("officer", "lead", "reporter"):
        clients[role] = Client()
        clients[role].force_login(people[role])
    rows = []
    for role, label, url, params in pages:
        if only not in label:
            continue
        client = clients[role]
        if warmup:
            client.get(url, params)
        timings = []
        for _ in range(repeat):
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{label}: HTTP {response.status_code}")
        page = response.context["page"] if response.context and "page" in response.context else None
        shown = len(page.object_list) if page is not None else 0
        rows.append((label, statistics.median(timings), queries.count, shown))
        print(f"{label}: median {statistics.median(timings):.0f} ms, {queries.count} queries, {shown} rows", flush=True)
    return rows


if __name__ == "__main__":
    main()
