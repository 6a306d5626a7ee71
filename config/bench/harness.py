"""The benchmark: each page against a floor of the same stack, in the same run, as ratios (`make bench`).

Machines differ and this one is shared, so no absolute time is a target: every page is timed right after (or
right before: the order alternates) its floor, round after round, and the ratio of the two is what is judged.
The floors are views of config/bench/views.py (`ok`, the empty `base.html` page for the same user, the raw-SQL
insert of a submit's rows, a DRF view for the API's rows), WeasyPrint alone on the notice's own HTML, and a plain
GROUP BY over all incidents.

The snapshot refresh is measured as production runs it: every QORGAU_STATS_REFRESH_SECONDS, after the writes of one
interval (`IntervalWrites`). Before each round (untimed) the incidents that the data set's own history wrote in one
past interval (submitted in it, or with a case event in it: an upper bound, since a "viewed" event changes no count)
are written again, so the change triggers log their (month, facility) groups; then the refresh recounts those
groups. Each round takes another interval, picked at random among the last 30 days of the data. The row's label
names how many groups that is (median over the rounds, of all the groups the snapshot holds). The run's own submits
add theirs. The full rebuild (every group, as the first refresh) is a row of its own, timed, not judged.

The table: page, target, floor, ratio min/median/max over the rounds, the page's median time, its SQL statements
and the rows they returned (or wrote) in one request; the last line `targets met: N/M`. A page meets its target
when its median ratio is at most the target and, where a statement budget is set, it sends no more statements.
The API's rows (labels starting "API") also get their p50 and p95 in ms, on a line after the table.
"""

import datetime as dt
import math
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import FacilityMembership, PostAssignment, Profession, Role, User
from alarms.models import Alarm
from analytics.changes import groups_counted
from analytics.expressions import LocalMonth
from analytics.snapshot import current_snapshot, snapshot_refresh
from api.models import PlaceAPIKey
from api.services import apikey_create
from facilities.models import Facility, PolicePost
from incidents.models import CaseMessage, Incident, IncidentEvent, ReportDraft, Status
from incidents.pdf import render_notice_html, render_notice_pdf

ROUNDS = 30
SLOW_ROUNDS = 10  # the snapshot refresh: seconds a round at national scale
PREFIX = "SEED-"


@dataclass
class Outcome:
    queries: int = 0
    rows: int = 0


@dataclass
class Measure:
    label: str
    target: float | None  # the ratio the page must stay under; None: measured, not judged
    floor: str
    page: Callable[[], Outcome]
    floor_run: Callable[[], Outcome]
    max_queries: int | None = None
    slow: bool = False
    prepare: Callable[[], None] | None = None  # run before each timing of the page, untimed


@dataclass
class Row:
    measure: Measure
    ratios: list[float] = field(default_factory=list)
    page_ms: list[float] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    def page_ms_at(self, percent: int) -> float:
        """The page's time at this percentile of the rounds (nearest rank: p95 of 15 rounds is the slowest)."""
        ordered = sorted(self.page_ms)
        return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]

    @property
    def met(self) -> bool | None:
        if self.measure.target is None and self.measure.max_queries is None:
            return None
        ratio_ok = self.measure.target is None or self.median <= self.measure.target
        queries_ok = self.measure.max_queries is None or self.outcome.queries <= self.measure.max_queries
        return ratio_ok and queries_ok


class Counter:
    """Counts the SQL statements of a request and the rows they returned or wrote."""

    def __init__(self) -> None:
        self.outcome = Outcome()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        result = execute(sql, params, many, context)
        self.outcome.queries += 1
        rowcount = getattr(context["cursor"], "rowcount", -1)
        self.outcome.rows += max(rowcount, 0)
        return result


def counted(run: Callable[[], None]) -> Callable[[], Outcome]:
    def wrapped() -> Outcome:
        counter = Counter()
        with connection.execute_wrapper(counter):
            run()
        return counter.outcome

    return wrapped


def _get(client: Client, url: str, params: dict[str, Any] | None = None, status: int = 200) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url, params or {})
        if response.status_code != status:
            raise RuntimeError(f"GET {url} {params or ''}: HTTP {response.status_code}, expected {status}")
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[arg-type]

    return run


# --- The data set ---------------------------------------------------------------------------------------


def seeded_count() -> int:

    return Incident.objects.filter(reference__startswith=PREFIX).count()


def seed(incidents: int, out: TextIO) -> dict[str, Any]:
    """Seed (or top up to) `incidents` demo incidents with their case work; return what it took."""

    took: dict[str, Any] = {}
    have = seeded_count()
    if not Facility.objects.filter(is_active=True).exists():
        call_command("load_demo", "--no-accounts", stdout=out)
    if have < incidents:
        started = time.perf_counter()
        call_command("seed_demo", incidents=incidents - have, append=have > 0, stdout=out)
        took["seed_demo"] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("seed_casework", stdout=out)
    took["seed_casework"] = time.perf_counter() - started
    if current_snapshot() is None:
        snapshot_refresh()
    return took


# --- Who and what is measured ---------------------------------------------------------------------------


def _user(username: str, roles: list[str], **fields: Any) -> Any:

    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": username.title(), **fields}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


@dataclass
class Cast:
    post: Any
    post_cases: int
    officer: Any
    analyst: Any
    reporter: Any
    facility: Any  # the reporter's (not the busiest post's: a submit each round would change that post's counts)
    case: Any
    api_key: Any = None  # a panic button's key for the busiest post (a new one each run, dropped by `cleanup`)
    api_key_raw: str = ""


def cast() -> Cast:

    busiest = (
        Incident.objects.exclude(police_post=None).values("police_post").annotate(n=Count("pk")).order_by("-n").first()
    )
    if busiest is None:
        raise RuntimeError("No incident is routed to a police post: seed first.")
    post = PolicePost.objects.select_related("facility").get(pk=busiest["police_post"])
    officer = _user("bench-officer", [Role.POLICE_OFFICER])
    PostAssignment.objects.get_or_create(user=officer, post=post)
    analyst = _user("bench-analyst", [Role.MINISTRY_ANALYST])
    reporter = _user("bench-reporter", [Role.REPORTER], profession=Profession.NURSE)
    other = (
        PolicePost.objects.filter(status=PolicePost.Status.ACTIVE)
        .exclude(pk=post.pk)
        .exclude(facility=post.facility)
        .select_related("facility")
        .order_by("pk")
        .first()
    )
    facility = other.facility if other is not None else post.facility
    FacilityMembership.objects.get_or_create(user=reporter, facility=facility)
    # A case with a full history: registered, asked about and answered, opened before.
    questioned = CaseMessage.objects.filter(incident=OuterRef("pk"), kind=CaseMessage.Kind.QUESTION)
    case = (
        Incident.objects.filter(police_post=post, status=Status.REGISTERED)
        .filter(Exists(questioned))
        .order_by("-submitted_at")
        .first()
    ) or Incident.objects.filter(police_post=post).order_by("-submitted_at").first()
    api_key, api_key_raw = apikey_create(name="bench: panic button", post_code=post.code)
    return Cast(post, busiest["n"], officer, analyst, reporter, facility, case, api_key, api_key_raw)


def report_data(facility: Any) -> dict[str, str]:
    """The report form's quick path as a nurse sends it (act, time, place, a few words), with a new key."""
    data = {
        "draft_key": str(uuid.uuid4()),
        "act": "violence",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "facility": str(facility.pk),
        "department": "",
        "place": "admission",
        "district": str(facility.district_id),
        "address": "",
        "reporter_hurt": "on",
        "reporter_role": "nurse",
        "reporter_duty_link": "performing",
        "account": "Родственник пациента ударил меня в приёмном покое (benchmark).",
        "injury": "visible",
        "attackers_count": "1",
        "attackers_agreed": "unknown",
        "wants_prosecution": "unknown",
        "victims-0-full_name": "",
        "victims-0-role": "",
        "victims-0-duty_link": "performing",
        "attackers-0-relation": "patient",
        "attackers-0-description": "",
        "attackers-0-full_name": "",
        "attackers-0-iin": "",
        "attackers-0-minor": "unknown",
    }
    for prefix in ("victims", "attackers"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "20",
            }
        )
    return data


def _post(client: Client, url: str, facility: Any) -> Callable[[], None]:
    def run() -> None:
        response = client.post(url, report_data(facility))
        if response.status_code != 302 or "/sent/" not in response["Location"]:
            raise RuntimeError(f"POST {url}: HTTP {response.status_code}, the report was not filed")

    return run


def _api_post(client: Client, url: str, body: dict[str, Any]) -> Callable[[], None]:
    """A device's POST: the JSON body, a new Idempotency-Key each time (each round raises a new alarm)."""

    def run() -> None:
        response = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        if response.status_code != 201:
            raise RuntimeError(f"POST {url}: HTTP {response.status_code}, expected 201")

    return run


class IntervalWrites:
    """The incidents the data set's history wrote in one refresh interval, a different past interval each round:
    `write()` writes them again (the time of each moved by a microsecond and back, so the data stays as seeded),
    and the change triggers log their groups, as the real writes did."""

    DAYS = 30

    def __init__(self, rounds: int, *, seed: int = 14) -> None:
        self.seconds = settings.QORGAU_STATS_REFRESH_SECONDS
        # The seeded data's last report, not this run's own: the same intervals at every run of the same data.
        seeded = Incident.objects.filter(reference__startswith=PREFIX)
        latest = seeded.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
        if latest is None:
            raise RuntimeError("No incident: seed first.")
        earliest = latest - dt.timedelta(days=self.DAYS)
        span = (latest - earliest).total_seconds() - self.seconds
        picker = random.Random(seed)  # noqa: S311 - a benchmark's sample, not a secret
        self.batches: list[list[int]] = []
        for _number in range(rounds):
            start = earliest + dt.timedelta(seconds=picker.uniform(0, span))
            end = start + dt.timedelta(seconds=self.seconds)
            submitted = Incident.objects.filter(submitted_at__gte=start, submitted_at__lt=end).values_list("pk")
            worked = IncidentEvent.objects.filter(created_at__gte=start, created_at__lt=end).values_list("incident")
            self.batches.append(sorted({pk for (pk,) in submitted} | {pk for (pk,) in worked}))
        groups = [
            Incident.objects.filter(pk__in=batch)
            .annotate(m=LocalMonth("occurred_at"))
            .values("m", "facility")
            .distinct()
            .count()
            for batch in self.batches
        ]
        self.groups = statistics.median_low(groups)
        self.incidents = statistics.median_low([len(batch) for batch in self.batches])
        self.turn = 0

    def write(self) -> None:
        batch = self.batches[self.turn % len(self.batches)]
        self.turn += 1
        tick = dt.timedelta(microseconds=1)
        Incident.objects.filter(pk__in=batch).update(occurred_at=F("occurred_at") + tick)
        Incident.objects.filter(pk__in=batch).update(occurred_at=F("occurred_at") - tick)


def measures(who: Cast, *, snapshot: bool = True, slow_rounds: int = SLOW_ROUNDS) -> list[Measure]:

    officer, analyst, reporter = Client(), Client(), Client()
    officer.force_login(who.officer)
    analyst.force_login(who.analyst)
    reporter.force_login(who.reporter)
    ok_officer = counted(_get(officer, reverse("bench_ok")))
    empty_officer = counted(_get(officer, reverse("bench_empty")))
    ok_analyst = counted(_get(analyst, reverse("bench_ok")))
    inbox = reverse("incidents:case_inbox")
    today = timezone.localdate()
    pages = max(1, (who.post_cases + 24) // 25)
    filters: list[tuple[str, dict[str, Any]]] = [
        ("first page", {}),
        ("status=registered", {"status": Status.REGISTERED}),
        ("part=2", {"part": "2"}),
        ("facility", {"facility": who.post.facility_id}),
        ("last 30 days", {"period_from": (today - dt.timedelta(days=30)).isoformat(), "period_to": today.isoformat()}),
        ("overdue", {"overdue": "on"}),
        ("reference", {"q": who.case.reference}),
        ("page 50", {"page": min(50, pages)}),
    ]
    result = [
        Measure(f"inbox, {label}", 3.0, "empty page", counted(_get(officer, inbox, params)), empty_officer)
        for label, params in filters
    ]
    latest = Incident.objects.filter(police_post=who.post).order_by("-submitted_at", "-pk").values("pk").first()
    since = {"since": latest["pk"]} if latest else {}
    result += [
        Measure(
            "inbox poll", 2.0, "ok", counted(_get(officer, reverse("incidents:case_inbox_poll"), since)), ok_officer
        ),
        Measure(
            "case page",
            3.0,
            "empty page",
            counted(_get(officer, reverse("incidents:case_detail", args=[who.case.pk]))),
            empty_officer,
        ),
        Measure(
            "search, surname",
            3.0,
            "empty page",
            counted(_get(officer, reverse("incidents:case_search"), {"q": "Ахметов"})),
            empty_officer,
        ),
    ]
    # The API: the officer's case list (the session, as the pages) and a panic button's alarm (its key), each
    # against a DRF view that answers with nothing behind it, asked by the same caller the same way.
    device = Client(HTTP_AUTHORIZATION=f"Api-Key {who.api_key_raw}")
    alarm = {"place": "admission, room 3 (benchmark)", "kind": "button"}
    result += [
        Measure(
            "API case list",
            3.0,
            "DRF ok",
            counted(_get(officer, reverse("api:cases"))),
            counted(_get(officer, reverse("bench_api_ok"))),
        ),
        Measure(
            "API alarm POST",
            3.0,
            "DRF ok (POST)",
            counted(_api_post(device, reverse("api:alarms"), alarm)),
            counted(_api_post(device, reverse("bench_api_ok"), alarm)),
        ),
    ]
    # The submit: the form's POST against the same rows inserted as raw SQL (the first submit is their model).
    report_url = reverse("incidents:report")
    _post(reporter, report_url, who.facility)()
    template = Incident.objects.filter(reporter=who.reporter).order_by("-pk").values_list("pk", flat=True).first()
    result.append(
        Measure(
            "report submit",
            1.5,
            "raw-SQL insert",
            counted(_post(reporter, report_url, who.facility)),
            counted(_post(reporter, reverse("bench_submit", args=[template]), who.facility)),
            max_queries=25,
        )
    )
    result += [
        Measure("dashboard", 5.0, "ok", counted(_get(analyst, reverse("analytics:dashboard"))), ok_analyst),
        Measure("CSV export", None, "ok", counted(_get(analyst, reverse("analytics:export_csv"))), ok_analyst),
    ]
    # The notice: the whole render (reads, HTML, PDF) against WeasyPrint alone on the same HTML.
    incident = Incident.objects.get(pk=template)
    html = render_notice_html(incident=incident, language="ru-kk", version=incident.version)

    def weasyprint_alone() -> None:
        import weasyprint

        weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf()

    result.append(
        Measure(
            "notice PDF",
            1.0,
            "WeasyPrint alone",
            counted(lambda: render_notice_pdf(incident=incident, language="ru-kk", version=incident.version)),
            counted(weasyprint_alone),
        )
    )
    if snapshot:

        def group_by() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT facility_id, date_trunc('month', occurred_at), act, status, legal_part, count(*)"
                    " FROM incidents_incident GROUP BY 1, 2, 3, 4, 5"
                )
                cursor.fetchall()

        writes = IntervalWrites(slow_rounds + 1)  # and the warm-up
        result += [
            Measure(
                f"snapshot refresh after one {writes.seconds} s interval's writes (median {writes.incidents} incidents,"
                f" {writes.groups} of {groups_counted():,} groups)",
                3.0,
                "GROUP BY",
                counted(lambda: snapshot_refresh()),
                counted(group_by),
                slow=True,
                prepare=writes.write,
            ),
            Measure(
                "snapshot full rebuild (every group)",
                None,
                "GROUP BY",
                counted(lambda: snapshot_refresh(full=True)),
                counted(group_by),
                slow=True,
            ),
        ]
    return result


# --- The run --------------------------------------------------------------------------------------------


def _timed(run: Callable[[], Outcome]) -> tuple[float, Outcome]:
    started = time.perf_counter()
    outcome = run()
    return (time.perf_counter() - started) * 1000, outcome


def run(items: list[Measure], *, rounds: int = ROUNDS, slow_rounds: int = SLOW_ROUNDS, out: TextIO) -> list[Row]:
    """Warm each page and floor up once, then time them in turn for `rounds` rounds (slow ones `slow_rounds`)."""
    rows = [Row(item) for item in items]
    for row in rows:
        row.measure.floor_run()
        if row.measure.prepare is not None:
            row.measure.prepare()
        row.measure.page()
    for number in range(max(rounds, slow_rounds)):
        for row in rows:
            if number >= (slow_rounds if row.measure.slow else rounds):
                continue
            if number % 2:  # the order alternates, so that neither side always runs on a warmer machine
                if row.measure.prepare is not None:
                    row.measure.prepare()
                page_ms, outcome = _timed(row.measure.page)
                floor_ms, _ = _timed(row.measure.floor_run)
            else:
                floor_ms, _ = _timed(row.measure.floor_run)
                if row.measure.prepare is not None:
                    row.measure.prepare()
                page_ms, outcome = _timed(row.measure.page)
            row.ratios.append(page_ms / floor_ms)
            row.page_ms.append(page_ms)
            row.outcome = outcome
        out.write(f"  round {number + 1} done\n")
        out.flush()
    return rows


def _ratio(value: float) -> str:
    return f"{value:.2f}"


def table(rows: list[Row]) -> str:
    lines = [
        "| page | target | floor | ratio min | ratio median | ratio max | median ms | queries | rows | met |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        target = []
        if row.measure.target is not None:
            target.append(f"≤ {row.measure.target:g}×")
        if row.measure.max_queries is not None:
            target.append(f"≤ {row.measure.max_queries} statements")
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        lines.append(
            f"| {row.measure.label} | {', '.join(target) or '—'} | {row.measure.floor} | {_ratio(min(row.ratios))}"
            f" | {_ratio(row.median)} | {_ratio(max(row.ratios))} | {statistics.median(row.page_ms):.1f}"
            f" | {row.outcome.queries} | {row.outcome.rows} | {met} |"
        )
    judged = [row for row in rows if row.met is not None]
    lines.append("")
    api = [row for row in rows if row.measure.label.startswith("API")]
    if api:
        figures = "; ".join(f"{row.measure.label} {row.page_ms_at(50):.1f} / {row.page_ms_at(95):.1f}" for row in api)
        lines.append(f"API server time, p50 / p95 ms over {len(api[0].page_ms)} rounds: {figures}")
    lines.append(f"targets met: {sum(1 for row in judged if row.met)}/{len(judged)}")
    return "\n".join(lines)


def machine() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores (load average {load}: shared with other work),"
        f" {platform.system()} {platform.release()}, Python {platform.python_version()}, PostgreSQL {server}"
        f" (jit={jit}), {dt.date.today().isoformat()}"  # noqa: DTZ011
    )


def cleanup(who: Cast) -> None:
    """Remove the reports the run filed (real and floor ones) and the alarms its key raised (and the key), so the
    data set stays as seeded."""

    Incident.objects.filter(reporter=who.reporter).delete()
    ReportDraft.objects.filter(owner=who.reporter).delete()
    if who.api_key is not None:
        Alarm.objects.filter(events__actor_key_prefix=who.api_key.prefix).delete()
        PlaceAPIKey.objects.filter(pk=who.api_key.pk).delete()


README_START = "<!-- bench:start (scripts/bench.py --readme writes from here to bench:end) -->"
README_END = "<!-- bench:end -->"


def readme_section(rows: list[Row], *, data: str, header: str, rounds: int, slow_rounds: int) -> str:
    """The README's block: the machine and date, the data set, the table, and the command that made it."""
    return "\n".join(
        [
            README_START,
            "",
            f"Measured by `make bench` on {header}; {data}. Median of {rounds} rounds (the snapshot refresh"
            f" {slow_rounds}), each page timed beside its floor in the same round.",
            "",
            table(rows),
            "",
            README_END,
        ]
    )


def readme_write(path: str, section: str) -> None:
    """Replace the block between the bench markers of the README with `section`."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text[:start] + section + text[end:])


def bench(
    *,
    incidents: int,
    rounds: int = ROUNDS,
    slow_rounds: int = SLOW_ROUNDS,
    seed_data: bool = True,
    out: TextIO,
    readme: str = "",
    only: str = "",
) -> list[Row]:
    """Seed or reuse the data set, measure every page against its floor, print the table; return the rows.

    `only`: measure just the pages whose label contains it (while working on one page); never with `readme`."""
    if only and readme:
        raise ValueError("the README's table is written from every page, not a part")
    if seed_data:
        took = seed(incidents, out)
        for step, seconds in took.items():
            out.write(f"{step}: {seconds:.1f} s\n")
    who = cast()
    data = (
        f"{seeded_count():,} seeded incidents, the busiest post with {who.post_cases:,} cases"
        f" (case page: {who.case.reference})"
    )
    out.write(f"data: {data}\n")
    try:
        items = [
            item for item in measures(who, snapshot=slow_rounds > 0, slow_rounds=slow_rounds) if only in item.label
        ]
        rows = run(items, rounds=rounds, slow_rounds=slow_rounds, out=out)
    finally:
        cleanup(who)
    header = machine()
    out.write(f"\n{header}; median of {rounds} rounds (snapshot refresh {slow_rounds}), floor interleaved\n\n")
    out.write(table(rows) + "\n")
    if readme:
        readme_write(readme, readme_section(rows, data=data, header=header, rounds=rounds, slow_rounds=slow_rounds))
        out.write(f"{readme}: performance table rewritten\n")
    return rows
