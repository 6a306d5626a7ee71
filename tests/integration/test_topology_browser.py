"""The production topology on loopback (scripts/topology.sh: nginx with TLS, gunicorn with the production settings,
PostgreSQL, Redis, a Celery worker and beat), driven through nginx by a real browser: a nurse files a report with
a 20 MB photo, the officer downloads the notice (nginx sends it after Django's check), and /readyz is green. Then
the broker is stopped for the web server: /readyz turns red with the reason."""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]
ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def photo_of_20_mb() -> bytes:
    """A real JPEG of a little over 20 MB (noise does not compress), under the 25 MiB limit."""
    width, height = 2600, 1950
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, format="JPEG", quality=100, subsampling=0
    )
    content = buffer.getvalue()
    assert 20_000_000 < len(content) < settings.QORGAU_UPLOAD_MAX_BYTES
    return content


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        skip_or_fail("the topology needs PostgreSQL (DATABASE_URL)")
    for tool in ("nginx", "openssl", "psql", "redis-server", "redis-cli"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} is not installed (make topology-system-packages)")
    directory = tmp_path_factory.mktemp("topology")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QORGAU_"))},
        "TOPOLOGY_DIR": str(directory),
        "TOPOLOGY_DATABASE_URL": f"{database_url.rpartition('/')[0]}/qorgau_topology_{secrets.token_hex(3)}",
        # Its own redis-server, which the last test stops.
        "TOPOLOGY_REDIS_PORT": str(free_port()),
        "TOPOLOGY_HTTPS_PORT": str(free_port()),
        "TOPOLOGY_HTTP_PORT": str(free_port()),
        "TOPOLOGY_WEB_PORT": str(free_port()),
        "TOPOLOGY_SMTP_PORT": str(free_port()),
    }
    started = time.monotonic()
    up = subprocess.run(["bash", "scripts/topology.sh", "up"], cwd=ROOT, env=env, capture_output=True, text=True)
    try:
        assert up.returncode == 0, up.stdout[-5000:] + up.stderr[-5000:]
        print(f"\ntopology healthy after {time.monotonic() - started:.1f} s (install included)")
        yield {
            "url": f"https://127.0.0.1:{env['TOPOLOGY_HTTPS_PORT']}",
            "dir": directory,
            "password": (directory / "demo-password").read_text().strip(),
            "env": env,
        }
    finally:
        subprocess.run(["bash", "scripts/topology.sh", "down"], cwd=ROOT, env=env, capture_output=True)
        name = env["TOPOLOGY_DATABASE_URL"].rpartition("/")[2]
        subprocess.run(
            [
                "psql",
                f"{database_url.rpartition('/')[0]}/postgres",
                "-qc",
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            ],
            capture_output=True,
        )


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def phone(browser, base_url: str):
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="ru", base_url=base_url, ignore_https_errors=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def test_a_report_with_a_20_mb_photo_through_nginx_and_the_officer_downloads_the_notice(browser, topology):
    photo = photo_of_20_mb()

    nurse_context, nurse = phone(browser, topology["url"])
    login(nurse, "nurse", topology["password"])
    nurse.goto("/incidents/report/")
    nurse.check("input[name=act][value=violence]")
    nurse.select_option("#id_place", "ward")
    nurse.fill("#id_account", "Родственник пациента толкнул меня и ударил по лицу в палате.")
    nurse.set_input_files("#id_evidence", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    nurse.click("button[data-send]")
    nurse.wait_for_url(re.compile(r"/incidents/reports/\d+/sent/$"), timeout=120_000)
    incident_pk = int(re.search(r"/reports/(\d+)/sent/", nurse.url).group(1))
    nurse_context.close()

    officer_context, police = phone(browser, topology["url"])
    login(police, "officer", topology["password"])
    deadline = time.monotonic() + 120
    while True:
        police.goto(f"/incidents/cases/{incident_pk}/")
        if police.locator("a.notice-download").count() or time.monotonic() > deadline:
            break
        time.sleep(1)
    with police.expect_download() as download:
        police.locator("a.notice-download").first.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    # nginx sent the files (X-Accel-Redirect after Django's check), whole and unaltered.
    notice = police.request.get(police.locator("a.notice-download").first.get_attribute("href"))
    assert notice.status == 200 and notice.headers["x-content-sha256"] == hashlib.sha256(notice.body()).hexdigest()
    assert hashlib.sha256(pdf).hexdigest() == notice.headers["x-content-sha256"]
    evidence = police.request.get(police.locator("a[href*='/evidence/']").first.get_attribute("href"))
    assert evidence.status == 200 and evidence.body() == photo
    assert evidence.headers["x-content-sha256"] == hashlib.sha256(photo).hexdigest()
    assert (
        evidence.headers["x-content-type-options"] == "nosniff"
        and "sandbox" in evidence.headers["content-security-policy"]
    )
    assert evidence.headers["content-disposition"].startswith("attachment")
    assert "x-accel-redirect" not in evidence.headers  # nginx consumed it

    ready = police.request.get("/readyz")
    assert ready.status == 200, ready.text()
    assert ready.json()["status"] == "ok", ready.json()
    officer_context.close()

    access_log = (topology["dir"] / "logs" / "web-1.log").read_text()
    assert re.search(r'"POST /incidents/report/ HTTP/1.1" 302 .* request_id=[0-9a-f]{32}', access_log)


def test_stopping_the_broker_turns_readyz_red_with_the_reason(topology):
    redis_pid = int((topology["dir"] / "pids" / "redis.pid").read_text())
    os.kill(redis_pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(redis_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)

    result = subprocess.run(
        ["curl", "-sk", "--max-time", "30", "-w", "\\n%{http_code}", f"{topology['url']}/readyz"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    body, _, status = result.stdout.rpartition("\n")

    assert status == "503", result.stdout
    broker = json.loads(body)["checks"]["broker"]
    port = topology["env"]["TOPOLOGY_REDIS_PORT"]
    assert broker["status"] == "fail" and f"127.0.0.1:{port}" in broker["error"], broker
    assert "refused" in broker["error"].lower()
