"""Server time and SQL queries of the officer's and the reporter's pages at national scale.

Runs against an existing, seeded database (`manage.py seed_demo --incidents 1000000`), not a test database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_stats .venv/bin/python scripts/bench_pages.py

It creates once (and reuses afterwards) three users without usable passwords: `bench-officer` at the busiest
police post, `bench-lead` of the busiest facility and `bench-reporter` with a few hundred reports of their own
(references `BENCH-…`, plus one report filed through the reporting service for the case page). For the
officer's search it names the seeded people once (seed_demo leaves them nameless): every victim gets a
synthetic name, every other incident a named suspect and every tenth suspect an IIN, from small pools of
common Kazakh and Russian names (no real person). Otherwise seeded rows are only read. Every page is fetched
with the Django test client (force_login): one warm-up, then the median of N timings and the number of SQL
queries of one request. Each search is also recorded in the search audit log, as in production.
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
MAINTAINED = (
    "incidents_incident",
    "incidents_victim",
    "incidents_attacker",
    "incidents_casemessage",
    "legal_legalassessment",
)
SURNAMES = (
    "Ахметов Ахметова Иванов Иванова Қасымов Қасымова Нұрланов Сейтқали Жұмабаев Ким Цой Пак Ли Смагулов "
    "Смагулова Омаров Омарова Әбдірахманов Серікбаев Петров Петрова Семёнов Семёнова Кузнецов Попова "
    "Байжанов Төлеуов Есенова Мұратов Оспанов Оспанова Бекова Ғабитов Шәріпов Юсупов Юсупова Федоров "
    "Алиев Алиева Ермеков"
).split()
GIVEN_NAMES = (
    "Ерлан Айгүл Жанар Сергей Ольга Нұрлан Әлібек Дина Асхат Юлия Пётр Айдана Бауыржан Елена Дмитрий "
    "Гүлнар Азамат Наталья Қайрат Мадина Ильяс Светлана Тимур Әсел Виктор Жандос Алия Максим Сәуле Арман"
).split()
IIN_POOL = 2000
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
    name_seeded_people()
    maintain()
    people = prepare(reports=args.reports)
    rows = measure(people, repeat=args.n, only=args.only, warmup=not args.no_warmup)
    print()
    print("| page | median ms | queries | rows |")
    print("|---|---:|---:|---:|")
    for label, median, queries, shown in rows:
        print(f"| {label} | {median:.0f} | {queries} | {shown} |")
    inbox = next((median for label, median, _q, _s in rows if label == "inbox, first page"), None)
    searches = [(label, median) for label, median, _q, _s in rows if label.startswith("search")]
    if inbox and searches:
        slowest = max(searches, key=lambda row: row[1])
        print(f"\nslowest search / inbox first page: {slowest[1] / inbox:.2f} ({slowest[0]}; target ≤ 3)")


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
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND n_live_tup > 0 AND"
            " (COALESCE(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > n_live_tup / 5)",
            [list(MAINTAINED)],
        )
        for (table,) in cursor.fetchall():
            print(f"VACUUM (ANALYZE) {table}: never analysed, or changed much since")
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')


def _iins(count: int) -> list[str]:
    """`count` valid IINs (check digit and birth date), the same every run."""
    from legal.iin import iin_check_digit

    iins: list[str] = []
    serial = 0
    while len(iins) < count:
        serial += 1
        first = f"{70 + serial % 30:02d}{1 + serial % 12:02d}{1 + serial % 28:02d}{3 + serial % 2}{serial:04d}"
        check = iin_check_digit(first)
        if check is not None:
            iins.append(first + str(check))
    return iins


def name_seeded_people() -> None:
    """Synthetic names for the seeded victims, and named suspects (some with an IIN), once: seed_demo has none."""
    from django.db import connection, transaction

    from common.names import name_key
    from legal.iin import iin_digest

    names = [f"{surname} {given}" for surname in SURNAMES for given in GIVEN_NAMES]
    keys = [name_key(name) for name in names]
    iins = _iins(IIN_POOL)
    digests = [iin_digest(iin) for iin in iins]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_victim SET full_name = (%s::text[])[1 + id %% %s], name_key = (%s::text[])[1 + id %% %s]"
            " WHERE full_name = ''",
            [names, len(names), keys, len(keys)],
        )
        victims = cursor.rowcount
        # Every other incident without an attacker gets a suspect; every tenth of those an IIN from the pool.
        cursor.execute(
            "INSERT INTO incidents_attacker (incident_id, relation, description, full_name, name_key, iin, iin_digest,"
            " minor, intoxicated, identified_by_police)"
            " SELECT i.id, 'patient', '', (%s::text[])[1 + (i.id * 7) %% %s], (%s::text[])[1 + (i.id * 7) %% %s],"
            " CASE WHEN i.id %% 20 = 0 THEN (%s::text[])[1 + (i.id / 20) %% %s] ELSE '' END,"
            " CASE WHEN i.id %% 20 = 0 THEN (%s::text[])[1 + (i.id / 20) %% %s] ELSE '' END,"
            " 'unknown', false, false FROM incidents_incident i"
            " WHERE i.id %% 2 = 0 AND NOT EXISTS (SELECT 1 FROM incidents_attacker a WHERE a.incident_id = i.id)",
            [names, len(names), keys, len(keys), iins, len(iins), digests, len(digests)],
        )
        attackers = cursor.rowcount
    if victims or attackers:
        took = time.perf_counter() - started
        print(f"named {victims} victims and added {attackers} named suspects in {took:.1f} s")


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
    return {"officer": officer, "lead": lead, "reporter": reporter, "facility": facility, "case": case, "post": post}


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


def _search_samples(post) -> dict[str, str]:
    """What the officer searches for: a surname, a full name in Latin, an IIN and an ERDR number of their post."""
    from incidents.models import Attacker, Incident

    suspect = (
        Attacker.objects.filter(incident__police_post=post)
        .exclude(iin="")
        .exclude(full_name="")
        .order_by("-incident__submitted_at")
        .values("full_name", "iin")
        .first()
    )
    erdr = (
        Incident.objects.filter(police_post=post)
        .exclude(erdr_number="")
        .order_by("-submitted_at")
        .values_list("erdr_number", flat=True)
        .first()
    )
    reference = (
        Incident.objects.filter(police_post=post, reference__startswith="SEED-")
        .order_by("-submitted_at")
        .values_list("reference", flat=True)
        .first()
    )
    if suspect is None or erdr is None or reference is None:
        sys.exit("The busiest post has no suspect with an IIN or no ERDR number: seed more incidents.")
    surname = suspect["full_name"].split()[0]
    return {
        "surname": surname,
        "full_name": "Akhmetov Yerlan",
        "iin": suspect["iin"],
        "erdr": erdr[-8:],
        "reference_part": reference[:-2],  # a hundred references in the country share it
    }


def _shown(response) -> int:
    context = response.context or {}
    if "page" in context:
        return len(context["page"].object_list)
    if context.get("results") is not None:
        return len(context["results"].cases)
    return 0


def measure(people: dict, *, repeat: int, only: str = "", warmup: bool = True) -> list[tuple[str, float, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    inbox = reverse("incidents:case_inbox")
    search = reverse("incidents:case_search")
    samples = _search_samples(people["post"])
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
        ("officer", f"search, surname ({samples['surname']})", search, {"q": samples["surname"]}),
        ("officer", "search, full name in Latin (Akhmetov Yerlan)", search, {"q": samples["full_name"]}),
        ("officer", "search, a two-letter surname (Ли)", search, {"q": "Ли"}),
        ("officer", "search, IIN", search, {"q": samples["iin"]}),
        ("officer", "search, reference", search, {"q": people["case"].reference}),
        (
            "officer",
            f"search, part of a reference ({samples['reference_part']})",
            search,
            {"q": samples["reference_part"]},
        ),
        ("officer", "search, a part every reference has (SEED-0)", search, {"q": "SEED-0"}),
        ("officer", "search, ERDR number (last 8 digits)", search, {"q": samples["erdr"], "kind": "erdr"}),
        ("officer", "search, a name nobody has (Zzyzx)", search, {"q": "Zzyzx"}),
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
        shown = _shown(response)
        rows.append((label, statistics.median(timings), queries.count, shown))
        print(f"{label}: median {statistics.median(timings):.0f} ms, {queries.count} queries, {shown} rows", flush=True)
    return rows


if __name__ == "__main__":
    main()
