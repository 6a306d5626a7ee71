"""Production start-up: `check --deploy` is clean when the required variables are set, and every entry point
(manage.py, WSGI, ASGI, Celery) starts with the same settings and refuses to start misconfigured, saying why."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("production-media")


def production_env(media_root: Path | None = None, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "QORGAU_", "SENTRY_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="qorgau.example.kz",
        DATABASE_URL="postgres://qorgau:secret@db.example.kz:5432/qorgau",
        REDIS_URL="redis://redis.example.kz:6379/0",
        QORGAU_SITE_URL="https://qorgau.example.kz",
        EMAIL_URL="smtp+tls://qorgau:secret@mail.example.kz:587",
        QORGAU_MEDIA_ROOT=str(media_root or BASE_DIR / "var" / "media"),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env=env)


def test_check_deploy_is_clean_under_production_settings(media_root):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(media_root))

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


def test_secrets_may_come_from_files(media_root, tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64))
    key_file.chmod(0o400)
    env = production_env(media_root, DJANGO_SECRET_KEY=None, DJANGO_SECRET_KEY_FILE=str(key_file))
    code = f"from django.conf import settings; print(settings.SECRET_KEY == open({str(key_file)!r}).read())"

    result = manage("shell", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


# The Celery app reads its configuration from the Django settings it chose.
CELERY_SETTINGS = """
from config.celery_app import app
from django.conf import settings
assert app.conf.broker_url == "redis://redis.example.kz:6379/0"
print(settings.SETTINGS_MODULE)
"""


@pytest.mark.parametrize(
    "command",
    [
        ["manage.py", "shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE)"],
        ["-c", "import config.wsgi; from django.conf import settings; print(settings.SETTINGS_MODULE)"],
        ["-c", "import config.asgi; from django.conf import settings; print(settings.SETTINGS_MODULE)"],
        ["-c", CELERY_SETTINGS],
    ],
    ids=["manage.py", "wsgi", "asgi", "celery"],
)
def test_every_entry_point_defaults_to_the_same_settings(media_root, command):
    # The same module for all four (the Celery app used to differ from WSGI); local, so that manage.py on a fresh
    # clone runs without production's secrets. Servers name production (deploy/bin/qorgau-start).
    result = run([sys.executable, *command], env=production_env(media_root, DJANGO_SETTINGS_MODULE=None))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "config.settings.local"


def test_production_without_its_secrets_refuses_and_says_what_to_set():
    env = production_env(DJANGO_SECRET_KEY=None)

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr and "config.settings.local" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"QORGAU_SITE_URL": None}, "QORGAU_SITE_URL is not set"),
        ({"QORGAU_SITE_URL": "http://127.0.0.1:8000"}, "is a loopback address"),
        ({"QORGAU_SITE_URL": "https://localhost"}, "is a loopback address"),
        ({"EMAIL_URL": None}, "E-mail goes to console"),
        ({"EMAIL_URL": "consolemail://"}, "E-mail goes to console"),
    ],
    ids=["no-site-url", "loopback-ip", "localhost", "no-email-url", "console-email"],
)
def test_production_start_up_fails_with_a_clear_message(media_root, overrides, message):
    env = production_env(media_root, **overrides)

    check = manage("check", "--deploy", env=env)
    wsgi = run([sys.executable, "-c", "import config.wsgi"], env=env)

    assert check.returncode != 0 and message in check.stderr
    assert wsgi.returncode != 0 and message in wsgi.stderr


def test_production_start_up_fails_when_the_media_root_is_not_writable(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")

    result = run(
        [sys.executable, "-c", "import config.asgi"], env=production_env(QORGAU_MEDIA_ROOT=str(not_a_folder / "media"))
    )

    assert result.returncode != 0
    assert "is not writable by this process" in result.stderr


def test_the_production_requirements_carry_no_test_tools():
    lines = (BASE_DIR / "requirements.txt").read_text().splitlines()
    names = {line.split("==")[0].split("[")[0].lower() for line in lines if line and not line.startswith("#")}

    assert names.isdisjoint({"pytest", "pytest-django", "playwright", "factory-boy", "hypothesis", "ruff", "mypy"})
    assert {"django", "gunicorn", "celery", "django-health-check"} <= names
