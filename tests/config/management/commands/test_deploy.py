"""`manage.py deploy` on several nodes at once, on a fresh PostgreSQL database: one migrates, the others wait for
the advisory lock, and every node ends with the same database and the first statistics snapshot."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.conftest import skip_or_fail

pytestmark = pytest.mark.integration


@pytest.fixture
def fresh_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        skip_or_fail("DATABASE_URL is not PostgreSQL: the deploy lock is PostgreSQL's advisory lock")
    base, _, _ = url.rpartition("/")
    name = f"qorgau_deploy_{secrets.token_hex(4)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def deploy(url: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "manage.py", "deploy", "--verbosity", "0"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_nodes_deploy_at_once_and_one_migrates(fresh_database):
    nodes = [deploy(fresh_database) for _ in range(3)]
    outputs = [node.communicate(timeout=600) for node in nodes]

    for node, (out, err) in zip(nodes, outputs, strict=True):
        assert node.returncode == 0, out + err
        assert "Deployed" in out
    assert sum("waiting for the deploy lock" in out for out, _ in outputs) >= 1
    assert sum("Built the first statistics snapshot" in out for out, _ in outputs) == 1
    with psycopg.connect(fresh_database) as connection:
        applied = connection.execute("SELECT app, name, count(*) FROM django_migrations GROUP BY 1, 2").fetchall()
        assert applied and all(count == 1 for _, _, count in applied)
        assert connection.execute("SELECT count(*) FROM analytics_snapshot").fetchone() == (1,)
