"""`check --deploy` is clean under production settings when the required variables are set."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "QORGAU_")) and key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="qorgau.example.kz",
        DATABASE_URL="postgres://qorgau:secret@db.example.kz:5432/qorgau",
        REDIS_URL="redis://redis.example.kz:6379/0",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_short_secret_key():
    result = manage("check", "--deploy", env=production_env(DJANGO_SECRET_KEY="too-short"))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", "--deploy", env=production_env(DATABASE_URL="sqlite:////tmp/qorgau.sqlite3"))

    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_needs_redis():
    env = production_env()
    del env["REDIS_URL"]

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
