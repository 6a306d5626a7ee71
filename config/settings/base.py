"""Settings shared by every environment. Each variable is documented in README.md."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Site address used in links outside a request (PDF QR codes, e-mails).
SITE_URL = env("QORGAU_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "auditlog",  # every grant of a role or a membership (AUDITLOG_INCLUDE_TRACKING_MODELS below)
    "common",  # shared pieces: template filters (`{% load numbers %}`) and the e-mail outbox
    "accounts",
    "facilities",
    "legal",
    "incidents",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells which one-time-password device verified this session (`user.is_verified()`), then sends officers and
    # administrators who have not given their second factor to give it (accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    # Names the administrator who made each change in the audit log of grants.
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    # After every other, so its 413 page is a normal page; before the CSRF check and the views read the body.
    "common.middleware.RequestSizeLimitMiddleware",
    # Also last, for the same reasons (common/middleware.py): methods no page serves, NUL characters in the
    # address, admin actions on ids that are not ids; each answered before any login redirect or role check.
    "common.middleware.MethodGuardMiddleware",
    "common.middleware.BadCharactersMiddleware",
    "common.middleware.AdminGuardMiddleware",
]

# The audit of grants (accounts/grants.py): every change of a user's roles, status and permissions, of a role's
# permissions, and of facility, police post and police department memberships, with who made it; read in admin
# (*Audit log*), which nobody can edit. Passwords and logins are left out.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "accounts.user",
        "m2m_fields": ["groups", "user_permissions"],
        "exclude_fields": ["password", "last_login"],
    },
    {"model": "auth.group", "m2m_fields": ["permissions"]},
    "accounts.facilitymembership",
    "accounts.postassignment",
    "accounts.policedepartmentassignment",
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, SQLite in the project folder otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.OneQueryModelBackend",
]
# Password guessing (accounts/security.py): after this many failures for one username from one address, that pair
# is locked out for a while, so one nurse's typos never lock out a whole hospital behind NAT. The address alone is
# locked after its own, higher limit of failures across usernames: one guess each for many accounts stops too.
AXES_FAILURE_LIMIT = env.int("QORGAU_LOGIN_FAILURE_LIMIT", default=5)
QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("QORGAU_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.security.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# The reverse proxies in front of Django (addresses or networks, e.g. nginx's `127.0.0.1`): X-Forwarded-For is read
# only on requests that come from one of them. Empty: the client is REMOTE_ADDR, whatever the header says.
QORGAU_TRUSTED_PROXIES = env.list("QORGAU_TRUSTED_PROXIES", default=[])
if "DJANGO_PROXY_COUNT" in env:
    raise ImproperlyConfigured(
        "DJANGO_PROXY_COUNT is replaced by QORGAU_TRUSTED_PROXIES: list your proxies' addresses (README.md)."
    )
# Password reset: at most so many e-mails per client address and per target address in this window; past that the
# page answers the same ("if the address is ours, a link is on its way") and sends nothing.
QORGAU_PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("QORGAU_PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
QORGAU_PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("QORGAU_PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
QORGAU_PASSWORD_RESET_WINDOW_MINUTES = env.int("QORGAU_PASSWORD_RESET_WINDOW_MINUTES", default=60)
# Two-factor login (TOTP, django-otp) for police officers, administrators, staff and superusers: on unless
# switched off; the local (`make run`) and test settings switch it off.
QORGAU_2FA_REQUIRED = env.bool("QORGAU_2FA_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Qorgau"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a shift of inactivity; a report typed meanwhile is kept as a draft.
SESSION_COOKIE_AGE = env.int("QORGAU_SESSION_AGE_SECONDS", default=12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content Security Policy: scripts only from our own static files, nothing from other hosts, no framing.
# Inline styles stay allowed: Bootstrap's components and the SVG charts set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django has no Kazakh formats; ours write 22.11.2026 19:05 and 21,5 as in Kazakhstan.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence and PDFs live here; never served directly, only through access-checked views.
MEDIA_ROOT = Path(env("QORGAU_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console unless SMTP is configured.
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="qorgau@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection waits for the server: a mail server that never answers cannot hang a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Every e-mail is an outbox row sent once by a Celery task (common/emails.py): its time limit (the hard one is
# 30 s later), its retries of transient errors with a backoff that doubles (at most 10 minutes), and the sweep
# that queues again an e-mail whose task could not be published (broker outage).
QORGAU_EMAIL_TIME_LIMIT = env.int("QORGAU_EMAIL_TIME_LIMIT", default=60)
QORGAU_EMAIL_MAX_RETRIES = env.int("QORGAU_EMAIL_MAX_RETRIES", default=5)
QORGAU_EMAIL_RETRY_BACKOFF = env.int("QORGAU_EMAIL_RETRY_BACKOFF_SECONDS", default=30)
QORGAU_EMAIL_SWEEP_AFTER_SECONDS = env.int("QORGAU_EMAIL_SWEEP_AFTER_SECONDS", default=60)

# Celery: with no REDIS_URL, tasks run in-process (eagerly) so one machine needs nothing else.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("QORGAU_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("QORGAU_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A broker that is down must not hang a nurse's submit: fail fast, the sweep re-queues later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY = False

# Police cases and PDF notices (incidents/services/cases.py, notices.py).
QORGAU_NOTICE_MAX_RETRIES = env.int("QORGAU_NOTICE_MAX_RETRIES", default=4)
QORGAU_NOTICE_RETRY_BACKOFF = env.int("QORGAU_NOTICE_RETRY_BACKOFF_SECONDS", default=10)  # doubles per try
QORGAU_NOTICE_SWEEP_AFTER_SECONDS = env.int("QORGAU_NOTICE_SWEEP_AFTER_SECONDS", default=60)
QORGAU_NOTICE_SWEEP_BATCH = env.int("QORGAU_NOTICE_SWEEP_BATCH", default=500)
# How long a case may stay in a status before it is overdue (the post and the facility lead are told).
QORGAU_ACK_DEADLINE_MINUTES = env.int("QORGAU_ACK_DEADLINE_MINUTES", default=60)
QORGAU_REGISTER_DEADLINE_HOURS = env.int("QORGAU_REGISTER_DEADLINE_HOURS", default=24)
QORGAU_INBOX_POLL_SECONDS = env.int("QORGAU_INBOX_POLL_SECONDS", default=20)
# Unsent drafts (and reports kept through an expired session) are deleted after this many days untouched.
QORGAU_DRAFT_RETENTION_DAYS = env.int("QORGAU_DRAFT_RETENTION_DAYS", default=30)

# Evidence uploads.
QORGAU_UPLOAD_MAX_BYTES = env.int("QORGAU_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
QORGAU_UPLOAD_MAX_FILES = env.int("QORGAU_UPLOAD_MAX_FILES", default=10)
# Pictures larger than this (width × height) are refused: a small PNG can unpack into gigabytes.
QORGAU_UPLOAD_MAX_PIXELS = env.int("QORGAU_UPLOAD_MAX_PIXELS", default=50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request body larger than this is answered 413 before it is read (Django caps only the non-file part):
# by default every file at its limit, plus the form's own fields.
QORGAU_REQUEST_MAX_BYTES = env.int(
    "QORGAU_REQUEST_MAX_BYTES", default=QORGAU_UPLOAD_MAX_BYTES * QORGAU_UPLOAD_MAX_FILES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# Reports posted after the session expired are kept only for the user whose form it was (a signed value in the
# page), and within these limits, so the logged-out path cannot be used to fill the disk.
QORGAU_KEPT_PER_USER = env.int("QORGAU_KEPT_PER_USER", default=5)
QORGAU_KEPT_PER_ADDRESS_PER_HOUR = env.int("QORGAU_KEPT_PER_ADDRESS_PER_HOUR", default=30)
QORGAU_KEPT_PENDING_MAX_REPORTS = env.int("QORGAU_KEPT_PENDING_MAX_REPORTS", default=1000)
QORGAU_KEPT_PENDING_MAX_BYTES = env.int("QORGAU_KEPT_PENDING_MAX_BYTES", default=2 * 1024 * 1024 * 1024)

# Key for the keyed hash that matches a suspect's IIN across reports without storing it in clear
# for matching. Defaults to SECRET_KEY; set it separately to rotate one without the other.
QORGAU_IIN_HASH_KEY = env("QORGAU_IIN_HASH_KEY", default="") or SECRET_KEY

# Ministry statistics: cells below this count are shown as "<N" everywhere (dashboard, PDF, CSV, XLSX).
QORGAU_STATS_MIN_CELL = env.int("QORGAU_STATS_MIN_CELL", default=3)
# Addresses the monthly statistics PDF is e-mailed to (comma-separated).
QORGAU_MINISTRY_EMAILS = env.list("QORGAU_MINISTRY_EMAILS", default=[])
# The statistics snapshot is rebuilt when older than this (and every 10 minutes by beat).
QORGAU_STATS_REFRESH_SECONDS = env.int("QORGAU_STATS_REFRESH_SECONDS", default=600)

# Every periodic task, in one place: `celery beat` (with a worker, or alone running them in-process when there is
# no REDIS_URL) writes these entries to django-celery-beat's tables at every start, so a change belongs here;
# admin shows them and can pause one. Crontab times are Almaty's (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    "incidents-notice-sweep": {"task": "incidents.notice_sweep_task", "schedule": 60.0},
    "emails-sweep": {"task": "common.email_sweep_task", "schedule": 60.0},
    "incidents-overdue-cases": {"task": "incidents.case_overdue_notify_task", "schedule": 300.0},
    "incidents-drafts-purge": {"task": "incidents.drafts_purge_task", "schedule": 24 * 60 * 60.0},
    "analytics-snapshot-refresh": {"task": "analytics.snapshot_refresh_task", "schedule": 10 * 60.0},
    # 07:00 on the 1st: last month is over, and the report is in the Ministry's inbox before work starts.
    "analytics-monthly-statistics-report": {
        "task": "analytics.monthly_statistics_report_task",
        "schedule": crontab(minute="0", hour="7", day_of_month="1"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
