"""Settings modules: `base` (shared), `production`, `local` (`make run`), `test`, `build` (steps with no services).

Every entry point (manage.py, WSGI, ASGI, the Celery app) starts with the same module unless DJANGO_SETTINGS_MODULE
names another: production, which refuses to start without its secrets. A development machine says so
(`make run` sets `config.settings.local`).
"""

import os

DEFAULT_SETTINGS_MODULE = "config.settings.production"


def use_default_settings() -> None:
    """Point DJANGO_SETTINGS_MODULE at the one default unless the environment chose a module."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
