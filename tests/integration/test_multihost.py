"""Several machines, on loopback: two web "hosts" (gunicorn on 127.0.0.2 and 127.0.0.3) behind nginx and two worker
"hosts", sharing PostgreSQL and the broker (scripts/topology.sh). Under load, one web host and one worker host are
killed with SIGKILL. A nurse's phone sends each report again after an error, with the same form (its draft key):
every accepted report is in the database exactly once, and every notice is rendered exactly once."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
import urllib3
from django.conf import settings

from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(settings.BASE_DIR)
REPORTS = 40
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        skip_or_fail("the multi-host test needs PostgreSQL (DATABASE_URL)")
    for tool in ("nginx", "openssl", "psql", "redis-server", "redis-cli"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} is not installed (make topology-system-packages)")
    directory = tmp_path_factory.mktemp("cluster")
    web_port = free_port()
    server = database_url.rpartition("/")[0]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QORGAU_"))},
        "TOPOLOGY_DIR": str(directory),
        "TOPOLOGY_SKIP_INSTALL": os.environ.get("TOPOLOGY_SKIP_INSTALL", "0"),
        "TOPOLOGY_DATABASE_URL": f"{server}/qorgau_cluster_{secrets.token_hex(3)}",
        "TOPOLOGY_REDIS_PORT": str(free_port()),
        "TOPOLOGY_HTTPS_PORT": str(free_port()),
        "TOPOLOGY_HTTP_PORT": str(free_port()),
        "TOPOLOGY_SMTP_PORT": str(free_port()),
        "TOPOLOGY_WEB_NODES": f"127.0.0.2:{web_port} 127.0.0.3:{web_port}",
        "TOPOLOGY_GUNICORN_WORKERS": "2",
        "TOPOLOGY_WORKERS": "2",
        # A killed worker's notice is claimed again within seconds, not the default minutes.
        "TOPOLOGY_EXTRA_ENV": "QORGAU_TASK_TIME_LIMIT=30\nQORGAU_TASK_SOFT_TIME_LIMIT=20\n"
        "QORGAU_NOTICE_SWEEP_AFTER_SECONDS=5\nQORGAU_NOTICE_RETRY_BACKOFF_SECONDS=1",
    }
    up = subprocess.run(["bash", "scripts/topology.sh", "up"], cwd=ROOT, env=env, capture_output=True, text=True)
    try:
        assert up.returncode == 0, up.stdout[-5000:] + up.stderr[-5000:]
        yield {
            "url": f"https://127.0.0.1:{env['TOPOLOGY_HTTPS_PORT']}",
            "dir": directory,
            "password": (directory / "demo-password").read_text().strip(),
            "database_url": env["TOPOLOGY_DATABASE_URL"],
        }
    finally:
        subprocess.run(["bash", "scripts/topology.sh", "down"], cwd=ROOT, env=env, capture_output=True)
        name = env["TOPOLOGY_DATABASE_URL"].rpartition("/")[2]
        subprocess.run(["psql", f"{server}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def nurse_session(base_url: str, password: str) -> requests.Session:
    session = requests.Session()
    session.verify = False
    session.trust_env = False  # a CA bundle named in the environment would override verify=False
    # The topology is up when nginx's /readyz answers, which one web host is enough for: the other may still be
    # booting its workers on a loaded machine (nginx answers 502 while both of its tries fail). Nothing is killed yet.
    deadline = time.monotonic() + 90
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    while page.status_code in (502, 503, 504) and time.monotonic() < deadline:
        time.sleep(1)
        page = session.get(f"{base_url}/accounts/login/", timeout=30)
    form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert form, f"no login form: HTTP {page.status_code} {page.text[:500]}"
    token = form.group(1)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "nurse", "password": password},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def report_form(session: requests.Session, base_url: str) -> dict:
    page = session.get(f"{base_url}/incidents/report/", timeout=30)
    html = page.text
    district = re.search(r'<select name="district"[\s\S]*?<option value="(\d+)" selected', html)
    facility = re.search(r'name="facility" value="(\d+)"', html)
    assert facility, f"no report form: HTTP {page.status_code} {html[:500]}"
    return {
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "facility": facility.group(1),
        "district": district.group(1) if district else "",
    }


def test_killing_a_web_host_and_a_worker_host_loses_and_duplicates_nothing(cluster):
    from tests.incidents.reporting_support import minimal_post

    base = cluster["url"]
    sessions = [nurse_session(base, cluster["password"]) for _ in range(4)]
    forms = [report_form(session, base) for session in sessions]
    accepted: dict[str, int] = {}
    errors_seen: list[str] = []
    done = threading.Event()

    def file_report(index: int) -> None:
        session, form = sessions[index % 4], forms[index % 4]

        class Facility:
            pk = form["facility"]
            district_id = form["district"]

        key = str(uuid.uuid4())
        data = minimal_post(Facility, draft_key=key, account=f"Угроза в приёмном покое, отчёт {index}.")
        data["csrfmiddlewaretoken"] = form["csrfmiddlewaretoken"]
        for _attempt in range(30):  # the phone sends the same form again after an error
            try:
                response = session.post(
                    f"{base}/incidents/report/",
                    data=data,
                    headers={"Referer": f"{base}/incidents/report/"},
                    allow_redirects=False,
                    timeout=60,
                )
            except requests.RequestException as exc:
                errors_seen.append(type(exc).__name__)
                time.sleep(0.5)
                continue
            if response.status_code == 302 and "/sent/" in response.headers["Location"]:
                accepted[key] = int(re.search(r"/reports/(\d+)/sent/", response.headers["Location"]).group(1))
                return
            errors_seen.append(str(response.status_code))
            time.sleep(0.5)

    def kill_hosts() -> None:
        while len(accepted) < REPORTS // 4 and not done.is_set():
            time.sleep(0.05)
        for host in ("web-1", "worker-1"):
            pid = int((cluster["dir"] / "pids" / f"{host}.pid").read_text())
            os.killpg(pid, signal.SIGKILL)  # the host's whole process group: master and its workers

    killer = threading.Thread(target=kill_hosts)
    killer.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(file_report, range(REPORTS)))
    done.set()
    killer.join()

    assert len(accepted) == REPORTS, f"accepted {len(accepted)} of {REPORTS}; errors: {errors_seen}"
    with psycopg.connect(cluster["database_url"], autocommit=True) as db:
        rows = db.execute("SELECT idempotency_key::text, count(*) FROM incidents_incident GROUP BY 1").fetchall()
        assert sorted(key for key, _ in rows) == sorted(accepted)
        assert all(count == 1 for _, count in rows)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            ready = db.execute(
                "SELECT count(DISTINCT incident_id) FROM incidents_notice WHERE status = 'ready'"
            ).fetchone()[0]
            if ready == REPORTS:
                break
            time.sleep(2)
        per_incident = db.execute(
            "SELECT incident_id, version, language, count(*) FROM incidents_notice GROUP BY 1, 2, 3"
        ).fetchall()
        renders = db.execute(
            "SELECT incident_id, count(*) FROM incidents_incidentevent WHERE kind = 'notice_ready' GROUP BY 1"
        ).fetchall()
    assert ready == REPORTS, f"{ready} of {REPORTS} incidents have their notice"
    assert len(per_incident) == REPORTS and all(count == 1 for *_, count in per_incident)
    assert len(renders) == REPORTS and all(count == 1 for _, count in renders)
    print(f"\n{REPORTS} reports accepted once each, {REPORTS} notices rendered once each; errors seen: {errors_seen}")
