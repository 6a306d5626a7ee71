"""Production processes refuse to start misconfigured: the web server (WSGI, ASGI), the Celery worker and beat run
the deployment checks first (`manage.py check --deploy`: Django's own, `common/checks.py`,
`facilities/checks.py`) and stop with their messages on an error, as `manage.py deploy` does."""

from django.conf import settings
from django.core.management import call_command
from django.db import connections


def refuse_misconfigured_start() -> None:
    """Run the deployment checks when `QORGAU_STARTUP_CHECKS` is on (production); raise SystemCheckError on an error."""
    if settings.QORGAU_STARTUP_CHECKS:
        try:
            call_command("check", "--deploy", "--fail-level", "ERROR")
        finally:
            # gunicorn forks its workers after this (preload_app): none may inherit the checks' connection.
            connections.close_all()
