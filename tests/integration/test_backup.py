"""The backup round trip on the real stack (scripts/backup.sh, scripts/restore.sh, `manage.py verify_media`): a
database with a report and its rendered notice is backed up, dropped with its media, restored; the migrations
check passes, every file matches its SHA-256, and the officer downloads the notice with the same hash."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.conftest import skip_or_fail

pytestmark = pytest.mark.integration
ROOT = Path(settings.BASE_DIR)

POPULATE = """
import hashlib, json
from tests import factories
from tests.incidents.reporting_support import submit
post = factories.PolicePostFactory(code="ALA-PP-RT")
reporter = factories.make_reporter(post.facility, username="rt-nurse")
officer = factories.make_officer(post, username="rt-officer")
incident = submit(reporter, post.facility)
notice = incident.notices.get(status="ready")
print(json.dumps({"incident": incident.pk, "notice": notice.pk, "sha256": notice.sha256,
                  "file_sha256": hashlib.sha256(notice.file.read()).hexdigest()}))
"""

DOWNLOAD = """
import hashlib, json, os
from django.test import Client
from django.urls import reverse
from accounts.models import User
ids = json.loads(os.environ["QORGAU_TEST_IDS"])
client = Client()
client.force_login(User.objects.get(username="rt-officer"))
response = client.get(reverse("incidents:case_notice_download", args=[ids["incident"], ids["notice"]]))
assert response.status_code == 200, response.status_code
print(hashlib.sha256(b"".join(response.streaming_content)).hexdigest())
"""


@pytest.fixture
def stack(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        skip_or_fail("DATABASE_URL is not PostgreSQL: the backup is pg_dump's")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} is not installed")
    server = url.rpartition("/")[0]
    name = f"qorgau_backup_{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"{server}/{name}",
        "QORGAU_MEDIA_ROOT": str(tmp_path / "media"),
        "QORGAU_BACKUP_DIR": str(tmp_path / "backups"),
    }
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield env, server, name
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], env: dict) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_backup_drop_restore_round_trip(stack, tmp_path):
    env, server, name = stack
    run([sys.executable, "manage.py", "migrate", "-v0"], env)
    ids = json.loads(run([sys.executable, "manage.py", "shell", "-c", POPULATE], env).strip().splitlines()[-1])
    assert ids["sha256"] == ids["file_sha256"]
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "qorgau-20200101T000000Z.tar"
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 40 * 86400, time.time() - 40 * 86400))

    out = run(["bash", "scripts/backup.sh"], {**env, "QORGAU_BACKUP_KEEP_MIN": "1"})
    archive = Path(out.split("Backup: ")[1].split(" (")[0])
    assert archive.exists() and f"Removed (older than 14 days): {old}" in out and not old.exists()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    shutil.rmtree(env["QORGAU_MEDIA_ROOT"])

    out = run(["bash", "scripts/restore.sh", str(archive)], env)
    assert "All 1 stored files match their SHA-256." in out  # the notice (the report had no evidence)
    assert "No migrations to apply" not in out
    downloaded = run(
        [sys.executable, "manage.py", "shell", "-c", DOWNLOAD],
        {**env, "QORGAU_TEST_IDS": json.dumps(ids), "DJANGO_ALLOWED_HOSTS": "testserver"},
    )
    assert downloaded.strip().splitlines()[-1] == ids["sha256"]


def test_restore_refuses_a_damaged_archive(stack, tmp_path):
    env, _, _ = stack
    run([sys.executable, "manage.py", "migrate", "-v0"], env)
    out = run(["bash", "scripts/backup.sh"], env)
    archive = Path(out.split("Backup: ")[1].split(" (")[0])
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    subprocess.run(["tar", "-C", str(unpacked), "-xf", str(archive)], check=True)
    with open(unpacked / "media.tar", "ab") as file:
        file.write(b"\0" * 512)
    damaged = tmp_path / "damaged.tar"
    subprocess.run(["tar", "-C", str(unpacked), "-cf", str(damaged), "."], check=True)

    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(damaged)], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 1 and "SHA-256 mismatch" in result.stderr
