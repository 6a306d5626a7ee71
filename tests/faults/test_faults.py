"""Faults on the real stack (issue 12): the broker killed and frozen, the worker and one pool process killed,
database connections terminated and the database stopped, under a load of 20 reporters with officers polling.

Each scenario asserts that every report attempted was acknowledged and stored once, that each report has one
notice rendered once (one READY event, one PDF file), that no user saw a 5xx outside a real outage, and that the
pipeline recovered within its target. Results go to var/faults.json; `make faults` prints them as a table
(tests/faults/report.py). Run: `make faults` (about 10 minutes, plus the memory curve).
"""

import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from tests.faults import load
from tests.faults.stack import PASSWORD, PY, ROOT

pytestmark = [pytest.mark.faults]

RESULTS = ROOT / "var" / "faults.json"
# A fault's recovery target: every notice is READY within this long after the fault ends (the lease, 15 s, the
# sweep, every 10 s, and a worker's start), plus the time reporters kept sending after it, plus the backlog's own
# render time (the notices rendered after the fault ended × their mean render time ÷ 2 pool processes) × 1.5 for
# what a render task does besides rendering (claim, store, history, the e-mail task on the same worker).
RECOVERY_TARGET_SECONDS = 30
SUBMIT_SLOWER_TARGET_MS = 100


@dataclass
class Result:
    scenario: str
    attempted: int = 0
    acknowledged: int = 0
    stored: int = 0
    notices: int = 0
    ready: int = 0
    ready_events: int = 0
    pdf_files: int = 0
    five_xx: int = 0  # outside a real outage
    outage_503: int = 0
    submit_median_base_ms: float = 0
    submit_median_fault_ms: float = 0
    officer_p95_ms: float = 0
    recovery_s: float = 0
    target_s: float = RECOVERY_TARGET_SECONDS
    drain_per_s: float = 0
    notes: list[str] = field(default_factory=list)
    within_target: bool = False


def save(result: Result) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[result.scenario] = asdict(result)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False))


@pytest.fixture(scope="module")
def users(stack):
    people = stack.people
    reporters = []
    for name in people["reporters"]:
        browser = load.Browser(stack.web_port)
        browser.login(name, PASSWORD)
        reporters.append(browser)
    officers = []
    for name in people["officers"]:
        browser = load.Browser(stack.web_port)
        browser.login(name, PASSWORD)
        officers.append(browser)
    if RESULTS.exists():
        RESULTS.unlink()
    return reporters, officers


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[max(int(len(values) * 0.95) - 1, 0)], 1) if values else 0.0


def counts(stack, tag: str) -> dict[str, int]:
    sql = f"""
    WITH i AS (SELECT id FROM incidents_incident WHERE account LIKE '%[{tag}]%')
    SELECT (SELECT count(*) FROM i),
      (SELECT count(*) FROM incidents_notice WHERE incident_id IN (SELECT id FROM i)),
      (SELECT count(*) FROM incidents_notice WHERE incident_id IN (SELECT id FROM i) AND status = 'ready'),
      (SELECT count(*) FROM incidents_incidentevent WHERE incident_id IN (SELECT id FROM i) AND kind = 'notice_ready'),
      (SELECT count(*) FROM incidents_notice WHERE incident_id IN (SELECT id FROM i) AND status = 'failed')
    """  # noqa: S608 - our own tag
    stored, notices, ready, events, failed = (int(v) for v in stack.pg.psql(sql).split("|"))
    return {"stored": stored, "notices": notices, "ready": ready, "events": events, "failed": failed}


def pdf_files(stack, incident_ids) -> int:
    media = Path(stack.env["QORGAU_MEDIA_ROOT"]) / "notices"
    return sum(len(list((media / str(pk)).glob("*.pdf"))) for pk in incident_ids)


def render_backlog(stack, tag: str, after: float) -> tuple[int, float]:
    """How many of the scenario's notices were rendered after `after` (epoch seconds), and their mean render time."""
    sql = f"""
    SELECT count(*), coalesce(avg(n.render_ms), 0) FROM incidents_notice n JOIN incidents_incident i
      ON i.id = n.incident_id WHERE i.account LIKE '%[{tag}]%' AND n.rendered_at > to_timestamp({after})
    """  # noqa: S608 - our own tag
    count, mean = stack.pg.psql(sql).split("|")
    return int(count), float(mean)


def wait_all_ready(stack, tag: str, expected: int, timeout: float = 300) -> float | None:
    """Seconds (monotonic clock) when every notice of the scenario was READY; None if not within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = counts(stack, tag)
        except subprocess.CalledProcessError:
            found = {"ready": -1, "notices": -1}
        if found["ready"] >= expected and found["notices"] == found["ready"]:
            return time.monotonic()
        time.sleep(0.5)
    return None


def scenario(
    stack,
    users,
    name: str,
    *,
    inject=None,
    clear=None,
    fault_seconds: float = 8,
    reports: int = 3,
    pause: float = 3.0,
    lead_in: float = 4.0,
    real_outage: bool = False,
    before_load=None,
    after_sends=None,
    target_s: float = RECOVERY_TARGET_SECONDS,
) -> Result:
    reporters, officers = users
    tag = f"{name}-{uuid.uuid4().hex[:6]}"
    record = load.Record()
    stop = threading.Event()
    result = Result(scenario=name, target_s=target_s)
    if before_load:
        before_load()
    polling = [threading.Thread(target=load.officer, args=(b, record, stop), daemon=True) for b in officers]
    people = stack.people
    sending = [
        threading.Thread(
            target=load.reporter,
            args=(browser, record),
            kwargs={
                "facility": people["facility"],
                "district": people["district"],
                "tag": tag,
                "reports": reports,
                "pause": pause,
            },
            daemon=True,
        )
        for browser in reporters
    ]
    started = time.monotonic()
    for thread in polling + sending:
        thread.start()
    fault_start = fault_end = None
    fault_end_wall = time.time()
    if inject:
        time.sleep(lead_in)
        fault_start = time.monotonic()
        inject(record)
        time.sleep(fault_seconds)
        clear()
        fault_end = time.monotonic()
        fault_end_wall = time.time()
    for thread in sending:
        thread.join(timeout=400)
    last_ack = time.monotonic()
    if after_sends:
        after_sends()
        fault_end = time.monotonic()  # the drain starts now: recovery counts from here
        fault_end_wall = time.time()
    incident_ids = sorted(record.acknowledged.values())
    ready_at = wait_all_ready(stack, tag, len(incident_ids))
    stop.set()
    for thread in polling:
        thread.join(timeout=30)

    found = counts(stack, tag)
    result.attempted, result.acknowledged = len(record.attempted), len(record.acknowledged)
    result.stored, result.notices, result.ready = found["stored"], found["notices"], found["ready"]
    result.ready_events = found["events"]
    result.pdf_files = pdf_files(stack, incident_ids)
    outage = (fault_start, (fault_end or 0) + 5) if real_outage and fault_start else None
    errors: Counter[str] = Counter()
    for hit in record.hits:
        if hit.status >= 500 or hit.status == 0:
            if outage and hit.at <= outage[1] and hit.at + hit.ms / 1000 >= outage[0]:  # overlaps the outage
                result.outage_503 += hit.status == 503
                if hit.status not in (503, 0):
                    result.five_xx += 1  # even in an outage, only our 503 page
                    errors[f"{hit.who} {hit.status} in the outage"] += 1
            else:
                result.five_xx += 1
                when = "before" if fault_start and hit.at < fault_start else "after" if fault_end else "during"
                if fault_start and fault_end and fault_start <= hit.at <= fault_end:
                    when = "during"
                errors[f"{hit.who} {hit.status or hit.error} {when} the fault"] += 1
    if errors:
        result.notes.append("5xx: " + ", ".join(f"{n} × {what}" for what, n in errors.items()))
    submits = [h for h in record.hits if h.who == "reporter" and h.status == 302]
    base = [h.ms for h in submits if fault_start is None or h.at < fault_start]
    during = [h.ms for h in submits if fault_start is not None and fault_start <= h.at <= (fault_end or 0)]
    result.submit_median_base_ms, result.submit_median_fault_ms = median(base), median(during)
    result.officer_p95_ms = p95([h.ms for h in record.hits if h.who == "officer" and h.status == 200])
    since = fault_end or last_ack
    backlog, render_ms = render_backlog(stack, tag, fault_end_wall)
    sending_after = max(0.0, last_ack - since)
    result.target_s = round(target_s + sending_after + 1.5 * backlog * render_ms / 1000 / 2, 1)
    result.notes.append(
        f"target {target_s:.0f} s + {sending_after:.0f} s of sending after the fault + 1.5 × {backlog} notices × "
        f"{render_ms:.0f} ms ÷ 2 processes"
    )
    if ready_at is None:
        result.recovery_s = -1
        result.notes.append(f"not all READY: {found}")
    else:
        result.recovery_s = round(ready_at - since, 1)
    result.notes.append(f"{len(submits)} sends acknowledged in {last_ack - started:.0f} s")
    within = (
        result.attempted == result.acknowledged == result.stored
        and result.notices == result.ready == result.ready_events == result.pdf_files == result.stored
        and result.five_xx == 0
        and 0 <= result.recovery_s <= result.target_s
    )
    if ready_at is not None and after_sends:
        drain = ready_at - fault_end
        result.notes.append(
            f"drain: {result.ready} notices in {drain:.1f} s = {result.ready / drain:.2f} notices/s, "
            f"{result.ready / drain / 2:.2f} per worker process (concurrency 2)"
        )
        result.drain_per_s = round(result.ready / drain, 2)
    if fault_start is not None and not real_outage and during:
        slower = result.submit_median_fault_ms - result.submit_median_base_ms
        within = within and slower <= SUBMIT_SLOWER_TARGET_MS
    result.within_target = bool(within)
    save(result)
    return result


def check(result: Result) -> None:
    assert result.attempted == result.acknowledged == result.stored, asdict(result)
    assert result.notices == result.ready == result.ready_events == result.pdf_files == result.stored, asdict(result)
    assert result.five_xx == 0, asdict(result)
    assert 0 <= result.recovery_s <= result.target_s, asdict(result)
    assert result.within_target, asdict(result)


def test_load_of_20_reporters_with_officers_polling(stack, users):
    check(scenario(stack, users, "load", reports=3, pause=2.0))


def test_backlog_drains_at_the_render_rate(stack, users):
    # The notices worker is down while 100 reports come in; then it starts and drains the backlog.
    result = scenario(
        stack,
        users,
        "backlog",
        reports=5,
        pause=0.2,
        before_load=stack.worker.stop,
        after_sends=stack.worker.start,
    )
    check(result)


def test_broker_killed(stack, users):
    check(scenario(stack, users, "broker killed", inject=lambda record: stack.redis.kill(), clear=stack.redis.start))


def test_broker_frozen(stack, users):
    result = scenario(
        stack,
        users,
        "broker frozen",
        inject=lambda record: stack.redis.signal(signal.SIGSTOP),
        clear=lambda: stack.redis.signal(signal.SIGCONT),
    )
    check(result)


def test_worker_killed(stack, users):
    check(
        scenario(stack, users, "worker killed -9", inject=lambda record: stack.worker.kill(), clear=stack.worker.start)
    )


def test_one_pool_process_killed(stack, users):
    def kill_a_busy_pool_process(record):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            busy = stack.pg.psql("SELECT count(*) FROM incidents_notice WHERE status = 'rendering'")
            if int(busy or 0) > 0:
                break
            time.sleep(0.1)
        children = stack.worker.children()
        if children:
            os.kill(children[0], signal.SIGKILL)

    check(
        scenario(
            stack, users, "pool process killed -9", inject=kill_a_busy_pool_process, clear=lambda: None, fault_seconds=1
        )
    )


def test_database_connections_terminated(stack, users):
    # The connections the web and worker processes keep between requests and tasks (CONN_MAX_AGE) die, as in a
    # database restart or a proxy's idle timeout: the next request must not fail on them (CONN_HEALTH_CHECKS).
    # (A query running at that instant fails: that request gets the 503 page, and the nurse's resend succeeds.)
    def terminate():
        pids = stack.pg.psql(
            "SELECT string_agg(pid::text, ',') FROM pg_stat_activity "
            "WHERE datname = 'qorgau' AND pid <> pg_backend_pid() AND state = 'idle'"
        )
        stack.pg.psql(f"SELECT pg_terminate_backend(pid) FROM unnest('{{{pids}}}'::int[]) AS pid")  # noqa: S608 - pids read from PostgreSQL
        # A backend ends some milliseconds after it is told to: only then are its connections dead.
        deadline = time.monotonic() + 10
        while pids and time.monotonic() < deadline:
            if stack.pg.psql(f"SELECT count(*) FROM pg_stat_activity WHERE pid = ANY('{{{pids}}}'::int[])") == "0":  # noqa: S608
                break
            time.sleep(0.05)

    def terminate_twice(record):
        for _ in range(2):
            record.quiet()  # between requests: none in flight
            terminate()
            record.gate.set()
            time.sleep(3)

    check(
        scenario(stack, users, "DB connections terminated", inject=terminate_twice, clear=lambda: None, fault_seconds=1)
    )


def test_database_stopped(stack, users):
    result = scenario(
        stack,
        users,
        "DB stopped 10 s",
        inject=lambda record: stack.pg.stop(),
        clear=stack.pg.start,
        fault_seconds=10,
        real_outage=True,
    )
    check(result)


def test_memory_curve_of_a_rendering_process():
    renders = int(os.environ.get("QORGAU_FAULTS_MEMORY_RENDERS", "2000"))
    if renders <= 0:
        pytest.skip("QORGAU_FAULTS_MEMORY_RENDERS=0")
    output = subprocess.run(  # noqa: S603 - our own script
        [PY, "scripts/bench_memory.py", "-n", str(renders), "--every", "100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DJANGO_LOG_LEVEL": "WARNING"},
    ).stdout
    last = output.strip().splitlines()[-1]
    points = [(int(m.group(1)), float(m.group(2))) for m in re.finditer(r"(\d+) renders  rss +([\d.]+) MiB", output)]
    # A pool process renders at most this many notices before it is replaced (each notice is two tasks: its render
    # and its e-mail): the growth that a worker sees is the curve up to there.
    from config.settings.base import CELERY_WORKER_MAX_TASKS_PER_CHILD

    lifetime = CELERY_WORKER_MAX_TASKS_PER_CHILD // 2
    base = points[0][1]
    within_lifetime = max(rss for renders, rss in points if renders <= max(lifetime, 100))
    growth = (within_lifetime - base) / base * 100
    result = Result(scenario=f"memory, {renders} renders", target_s=0, recovery_s=0)
    result.notes = [
        f"{last}; a pool process (recycled after {lifetime} notices) grows {growth:+.1f} %",
        *[line for line in output.splitlines() if "renders  rss" in line],
    ]
    result.within_target = growth <= 15
    save(result)
    assert growth <= 15, result.notes[0]
