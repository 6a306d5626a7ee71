"""Issue 11: `make run` (config.settings.local) serves the app's own error pages: Django's technical 404, which
lists every URL pattern, never reaches a user trying the demo. Static files are still served."""

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_ACCEPT_LANGUAGE="en")
page = client.get("/no-such-page/")
print(page.status_code, b"URLconf" in page.content, b"Page not found" in page.content)
print(client.get("/static/css/qorgau.css").status_code)
"""


def run_as_make_run(**env) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split("\n")


def test_make_run_answers_an_unknown_address_with_the_apps_404_page():
    not_found, static = run_as_make_run()[:2]
    assert not_found == "404 False True"  # no URL patterns, the app's page
    assert static == "200"


def test_the_technical_page_is_there_only_when_asked_for():
    not_found, _static = run_as_make_run(DJANGO_DEBUG="1")[:2]
    assert not_found.startswith("404 True")
