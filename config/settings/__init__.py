"""Settings modules: `base` (shared), `production`, `local` (`make run`), `test`, `build` (steps with no services).

Every entry point (manage.py, WSGI, ASGI, the Celery app) starts with the same module unless DJANGO_SETTINGS_MODULE
names another: `local`, so that `manage.py` on a fresh clone (makemigrations, check, shell) needs no secrets. A
server says production: deploy/bin/qorgau-start sets `config.settings.production` unless told otherwise, and the
deploy kit's environment file names it; production refuses to start without its secrets.
"""

import os

DEFAULT_SETTINGS_MODULE = "config.settings.local"


def use_default_settings() -> None:
    """Point DJANGO_SETTINGS_MODULE at the one default unless the environment chose a module."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
