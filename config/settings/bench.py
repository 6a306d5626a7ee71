"""The benchmark's settings (`make bench`, scripts/bench.py): production's stack, plus the floor views.

As production: DEBUG off, PostgreSQL (with the web's connection options), the cache on Redis, templates cached,
tasks published to a broker rather than run in the request. Unlike production: no HTTPS redirect (the test client
speaks plain HTTP), no second factor (the client logs in with force_login; every page, floors included, passes the
same middleware), a built-in secret, and a broker in memory (a notice queued by a submit is rendered by a worker in
production; the notice's render is measured on its own). ROOT_URLCONF adds the floors (config/bench/urls.py), so
they exist only under these settings.
"""

from django.core.exceptions import ImproperlyConfigured

from common.cache import cache_config
from common.logging import logging_config

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The benchmark measures production's stack: set DATABASE_URL to PostgreSQL.")
REDIS_URL = env("REDIS_URL")
CACHES = {"default": cache_config(REDIS_URL, master_name=env("REDIS_SENTINEL_MASTER", default="mymaster"))}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
QORGAU_2FA_REQUIRED = False
QORGAU_STARTUP_CHECKS = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = logging_config(json=False, level="WARNING")
ROOT_URLCONF = "config.bench.urls"
