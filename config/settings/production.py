"""Production: no defaults for secrets, HTTPS everywhere, PostgreSQL and Redis required."""

from django.core.exceptions import ImproperlyConfigured

from common.cache import cache_config
from common.logging import logging_config

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, MEDIA_STORAGE, env

DEBUG = False
QORGAU_STARTUP_CHECKS = True
if not env("DJANGO_SECRET_KEY", default=""):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE): these are the production settings "
        "(DJANGO_SETTINGS_MODULE=config.settings.production). On a development machine use `make run` or "
        "DJANGO_SETTINGS_MODULE=config.settings.local."
    )
SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
QORGAU_IIN_HASH_KEY = env("QORGAU_IIN_HASH_KEY", default="") or SECRET_KEY
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# No default: the links in notices' QR codes and e-mails must name the public address (common/checks.py).
SITE_URL = env("QORGAU_SITE_URL", default="").rstrip("/")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL.")
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# One JSON object per log line (QORGAU_LOG_FORMAT=plain for a person reading the console).
LOGGING = logging_config(
    json=env("QORGAU_LOG_FORMAT", default="json") == "json", level=env("DJANGO_LOG_LEVEL", default="INFO")
)
# REDIS_URL may name Redis Sentinels (sentinel://host1:26379/0;sentinel://host2:26379/0): the cache and the broker
# then follow the master REDIS_SENTINEL_MASTER names.
REDIS_SENTINEL_MASTER = env("REDIS_SENTINEL_MASTER", default="mymaster")
CACHES = {"default": cache_config(REDIS_URL, master_name=REDIS_SENTINEL_MASTER)}
if CELERY_BROKER_URL.startswith("sentinel://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "master_name": REDIS_SENTINEL_MASTER}
ADMINS = [("Qorgau administrators", a) for a in env.list("DJANGO_ADMIN_EMAILS", default=[])]
