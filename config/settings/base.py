"""Settings shared by every environment. Each variable is documented in README.md."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from common.logging import configure_structlog, logging_config
from common.sentry import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Every variable may instead be read from a file named by VARIABLE_FILE (DJANGO_SECRET_KEY_FILE=/run/secrets/key):
# secrets stay out of the environment, as systemd credentials and Docker secrets hand them over.
env = environ.FileAwareEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Checks an installation knowingly silences, e.g. `qorgau.E003` for a test run on loopback (scripts/topology.sh).
# drf-spectacular's W001 is about the names it gives the schema's enums (two forms' fields share one choice set, such
# as YesNoUnknown): the schema is correct, and `check --deploy --fail-level WARNING` must stay clean.
SILENCED_SYSTEM_CHECKS = ["drf_spectacular.W001", *env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])]
# Production processes run the deployment checks at start and refuse to start on an error (config/startup.py).
QORGAU_STARTUP_CHECKS = False

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
    "django_structlog",
    "auditlog",  # every grant of a role or a membership (AUDITLOG_INCLUDE_TRACKING_MODELS below)
    "common",  # shared pieces: template filters (`{% load numbers %}`) and the e-mail outbox
    "accounts",
    "facilities",
    "notifications",  # outside channels (Telegram, SMS, Web Push, e-mail) and the case notifications sent by them
    "legal",
    "incidents",
    "alarms",  # SOS, panic buttons and badges: the live channel, the outside channels, the ladder
    "analytics",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files: the docs open with no network
    "api",  # the REST API under /api/v1/ (devices, police systems, the Ministry)
    "config",  # the top layer: `manage.py deploy`
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Binds the request id (nginx's X-Request-ID) and the user's id to every log line of the request.
    "django_structlog.middlewares.RequestMiddleware",
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
    "legal.mcivalue",  # an MCI value an administrator added: who and when (issue 19)
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
                "config.pwa.app",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.web_push",
            ],
        },
    },
]

# Widgets: the common ones rendered in Python, to the same HTML as Django's templates (common/renderers.py).
FORM_RENDERER = "common.renderers.PythonWidgetRenderer"

# Database: PostgreSQL in production and CI, SQLite in the project folder otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
# A kept connection that died between two requests (a database restart, a connection killed) is replaced before
# the request uses it, instead of failing that request (and, with SESSION_SAVE_EVERY_REQUEST, answering 400).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation on PostgreSQL: the planner's cost of the inbox's counts over a busy post's cases passes
# jit_above_cost, and compiling them took 376 of 480 ms of the page, on every request (issue 14). A page's queries
# are short; QORGAU_DB_JIT=on gives it back (a reporting database, say).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool("QORGAU_DB_JIT", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
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
# The one home of date and number formats (config/formats/{ru,kk,en}): Russian and Kazakh write 22.11.2026 19:05
# and 21,5 as in Kazakhstan (Django has no Kazakh formats); English one format, 22 Nov 2026, 19:05. Templates and
# PDFs name a format (SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT), never a pattern.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence, notices and reports: the MEDIA_ROOT folder, or S3-compatible object storage (MinIO, Ceph, an S3 service
# in the country) shared by every web and worker node, with QORGAU_MEDIA_STORAGE=s3 (django-storages).
MEDIA_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env("QORGAU_MEDIA_STORAGE", default="filesystem") == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("QORGAU_S3_BUCKET"),
            "endpoint_url": env("QORGAU_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("QORGAU_S3_REGION", default="") or None,
            "access_key": env("QORGAU_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("QORGAU_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("QORGAU_S3_PREFIX", default="media"),
            # Private objects, never overwritten; files are served only through Django's access-checked views.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence and PDFs live here; never served directly, only through access-checked views.
MEDIA_ROOT = Path(env("QORGAU_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Behind nginx, downloads may be handed to it after Django's access check: the `internal` location that maps to
# MEDIA_ROOT (deploy/nginx/qorgau.conf). Empty: Django streams the file itself.
QORGAU_X_ACCEL_REDIRECT_PREFIX = env("QORGAU_X_ACCEL_REDIRECT_PREFIX", default="")
# Evidence and notices are readable by the service's user and group only (the web server's group, for X-Accel).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

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
# A FAILED e-mail (the mail server refused or was down through every retry) is sent again by the sweep this many
# times, after 15, 30, 60 … minutes, before it waits for an administrator's "send again".
QORGAU_EMAIL_AUTO_RERUNS = env.int("QORGAU_EMAIL_AUTO_RERUNS", default=3)
QORGAU_EMAIL_AUTO_RERUN_AFTER_SECONDS = env.int("QORGAU_EMAIL_AUTO_RERUN_AFTER_SECONDS", default=900)

# Outside channels (notifications/channels/, README "Notifications and alarm channels"): each is on once its
# settings are filled in, and talks only to the URL given here. Every send waits at most
# QORGAU_CHANNEL_TIMEOUT_SECONDS for the provider, then counts as failed (and is tried again by the sweep).
QORGAU_CHANNEL_TIMEOUT_SECONDS = env.float("QORGAU_CHANNEL_TIMEOUT_SECONDS", default=3.0)
# Telegram Bot API: sendMessage at {TELEGRAM_API_URL}/bot{TELEGRAM_BOT_TOKEN}/sendMessage.
TELEGRAM_API_URL = env("TELEGRAM_API_URL", default="https://api.telegram.org").rstrip("/")
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN", default="")
# An HTTP SMS gateway: POST {SMS_GATEWAY_URL} with a JSON body (README); a bearer token, or a user and password.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_USERNAME = env("SMS_GATEWAY_USERNAME", default="")
SMS_GATEWAY_PASSWORD = env("SMS_GATEWAY_PASSWORD", default="")
SMS_SENDER = env("SMS_SENDER", default="Qorgau")
# Web Push: the VAPID key pair (`manage.py vapid_keys` makes one), and the contact the push services may write to.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:qorgau@localhost")
# The push services a browser's subscription may point at (a host, or *.domain): Qorgau posts to no other host, so a
# subscription cannot make the server call an address of the user's choosing. Over https only, but on loopback.
QORGAU_WEBPUSH_ALLOWED_HOSTS = env.list(
    "QORGAU_WEBPUSH_ALLOWED_HOSTS",
    default=[
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "*.push.apple.com",
        "*.notify.windows.com",
    ],
)
# At most this many browsers per user receive Web Push; a new one replaces the oldest.
QORGAU_WEBPUSH_MAX_SUBSCRIPTIONS = env.int("QORGAU_WEBPUSH_MAX_SUBSCRIPTIONS", default=10)
# How long a push service keeps a notification for a phone that is off.
QORGAU_WEBPUSH_TTL_SECONDS = env.int("QORGAU_WEBPUSH_TTL_SECONDS", default=24 * 60 * 60)
# E-mail as a channel (through the e-mail pipeline above); off with QORGAU_EMAIL_CHANNEL=0.
QORGAU_EMAIL_CHANNEL = env.bool("QORGAU_EMAIL_CHANNEL", default=True)
# A notification whose send failed is tried again by the sweep this many times, after 30 s, 1, 2, 4 … minutes.
QORGAU_NOTIFICATION_MAX_ATTEMPTS = env.int("QORGAU_NOTIFICATION_MAX_ATTEMPTS", default=5)
QORGAU_NOTIFICATION_RETRY_BACKOFF_SECONDS = env.int("QORGAU_NOTIFICATION_RETRY_BACKOFF_SECONDS", default=30)

# Celery: with no REDIS_URL, tasks run in-process (eagerly) so one machine needs nothing else.
REDIS_URL = env("REDIS_URL", default="")
# The broker: Redis by default; CELERY_BROKER_URL=amqp://user:password@rabbitmq:5672/qorgau for RabbitMQ.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("QORGAU_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("QORGAU_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A pool process is replaced after this many tasks, or after a task that left it above this resident size (KiB):
# the backstop for memory that a library keeps (README, "Reliability").
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("QORGAU_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("QORGAU_WORKER_MAX_MEMORY_PER_CHILD_KIB", default=300_000)
# Queues, each with its own worker (the command lines are in README.md, "Reliability", and Procfile): PDF renders
# never wait behind the beat's periodic tasks nor these behind a backlog of renders, and alarms have a slot that
# nothing else takes. Everything else (e-mails, statistics reports) goes to the default queue, "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
QORGAU_QUEUE_NOTICES = "notices"
# Case files are rendered by the same workers as notices, from their own queue: the sweep compares the rows waiting
# for a task with the messages the queue holds (common/leases.py), which needs one kind of row per queue.
QORGAU_QUEUE_CASEFILES = "casefiles"
QORGAU_QUEUE_PERIODIC = "periodic"
QORGAU_QUEUE_ALARMS = "alarms"
# Declared, so that a worker started without --queues consumes them all rather than the default one alone.
CELERY_TASK_QUEUES = [
    Queue(name)
    for name in (
        CELERY_TASK_DEFAULT_QUEUE,
        QORGAU_QUEUE_NOTICES,
        QORGAU_QUEUE_CASEFILES,
        QORGAU_QUEUE_PERIODIC,
        QORGAU_QUEUE_ALARMS,
    )
]
CELERY_TASK_ROUTES = {
    "incidents.notice_render_task": {"queue": QORGAU_QUEUE_NOTICES},
    "incidents.casefile_render_task": {"queue": QORGAU_QUEUE_CASEFILES},
    "alarms.*": {"queue": QORGAU_QUEUE_ALARMS},
    # and every task of CELERY_BEAT_SCHEDULE (below) on the periodic queue.
}
# A submit must not wait for a broker that is down or hung: one try, with a connect and a socket timeout of a few
# tens of milliseconds on the publishing side (common/broker.py); the sweeps publish what could not be. Workers
# read their own, longer timeouts (CELERY_BROKER_TRANSPORT_OPTIONS) for consuming.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY = False
QORGAU_PUBLISH_TIMEOUT_SECONDS = env.float("QORGAU_PUBLISH_TIMEOUT_SECONDS", default=0.05)
# After a failed publish, further publishes from this process are not even tried for this long (the row stays
# pending for the sweep): a broker outage costs one request one timeout, not every request.
QORGAU_PUBLISH_PAUSE_SECONDS = env.float("QORGAU_PUBLISH_PAUSE_SECONDS", default=5.0)

# Probes call the health endpoints over plain HTTP, from the machine or the load balancer, when HTTPS is enforced.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Beat writes each run to its table at once: /readyz reads the sweep's last run there.
CELERY_BEAT_SYNC_EVERY = 1

# /readyz (config/health.py) fails when the statistics snapshot or beat's last sweep is older than these.
QORGAU_READYZ_SNAPSHOT_MAX_AGE = env.int("QORGAU_READYZ_SNAPSHOT_MAX_AGE_SECONDS", default=30 * 60)
QORGAU_READYZ_BEAT_MAX_AGE = env.int("QORGAU_READYZ_BEAT_MAX_AGE_SECONDS", default=10 * 60)

# Police cases and PDF notices (incidents/services/cases.py, notices.py).
QORGAU_NOTICE_MAX_RETRIES = env.int("QORGAU_NOTICE_MAX_RETRIES", default=4)
QORGAU_NOTICE_RETRY_BACKOFF = env.int("QORGAU_NOTICE_RETRY_BACKOFF_SECONDS", default=10)  # doubles per try
QORGAU_NOTICE_SWEEP_AFTER_SECONDS = env.int("QORGAU_NOTICE_SWEEP_AFTER_SECONDS", default=10)
QORGAU_NOTICE_SWEEP_BATCH = env.int("QORGAU_NOTICE_SWEEP_BATCH", default=500)
# A render holds its notice by a lease of this many seconds, renewed while it renders: a render whose worker died
# is taken up again by the sweep (every QORGAU_NOTICE_SWEEP_SECONDS) once its lease has run out.
QORGAU_NOTICE_LEASE_SECONDS = env.int("QORGAU_NOTICE_LEASE_SECONDS", default=15)
QORGAU_NOTICE_SWEEP_SECONDS = env.int("QORGAU_NOTICE_SWEEP_SECONDS", default=10)
# A FAILED notice is rendered again by the sweep this many times (after 5, 10, 20 … minutes) before it waits for
# an administrator.
QORGAU_NOTICE_AUTO_RERUNS = env.int("QORGAU_NOTICE_AUTO_RERUNS", default=3)
QORGAU_NOTICE_AUTO_RERUN_AFTER_SECONDS = env.int("QORGAU_NOTICE_AUTO_RERUN_AFTER_SECONDS", default=300)
# How long a case may stay in a status before it is overdue (the post and the facility lead are told).
QORGAU_ACK_DEADLINE_MINUTES = env.int("QORGAU_ACK_DEADLINE_MINUTES", default=60)
QORGAU_REGISTER_DEADLINE_HOURS = env.int("QORGAU_REGISTER_DEADLINE_HOURS", default=24)
QORGAU_INBOX_POLL_SECONDS = env.int("QORGAU_INBOX_POLL_SECONDS", default=20)
# Unsent drafts (and reports kept through an expired session) are deleted after this many days untouched.
QORGAU_DRAFT_RETENTION_DAYS = env.int("QORGAU_DRAFT_RETENTION_DAYS", default=30)

# Alarms (alarms/services.py; README, "Alarms"). The ladder: nobody having acknowledged, all officers of the post
# and the facility lead are called this many seconds after the alarm, and the district's duty unit after the second.
QORGAU_ALARM_STEP2_SECONDS = env.int("QORGAU_ALARM_STEP2_SECONDS", default=60)
QORGAU_ALARM_STEP3_SECONDS = env.int("QORGAU_ALARM_STEP3_SECONDS", default=180)
# One delivery (a channel to a recipient): tries, the wait between them (times the try), and each send's timeout.
QORGAU_ALARM_DELIVERY_ATTEMPTS = env.int("QORGAU_ALARM_DELIVERY_ATTEMPTS", default=3)
QORGAU_ALARM_RETRY_BACKOFF_SECONDS = env.int("QORGAU_ALARM_RETRY_BACKOFF_SECONDS", default=5)
QORGAU_ALARM_SEND_TIMEOUT_SECONDS = env.float("QORGAU_ALARM_SEND_TIMEOUT_SECONDS", default=10.0)
# A send holds its row this long past its timeout; a worker that died mid-send leaves it to the sweep after that.
QORGAU_ALARM_CLAIM_SLACK_SECONDS = env.int("QORGAU_ALARM_CLAIM_SLACK_SECONDS", default=10)
QORGAU_ALARM_TASK_TIME_LIMIT = env.int("QORGAU_ALARM_TASK_TIME_LIMIT", default=60)
# With the broker down, the request sends itself: this timeout per send, this many sends at once.
QORGAU_ALARM_DIRECT_TIMEOUT_SECONDS = env.float("QORGAU_ALARM_DIRECT_TIMEOUT_SECONDS", default=2.0)
QORGAU_ALARM_DIRECT_THREADS = env.int("QORGAU_ALARM_DIRECT_THREADS", default=8)
# The live channel (Django Channels) never holds an alarm up longer than this.
QORGAU_ALARM_LIVE_TIMEOUT_SECONDS = env.float("QORGAU_ALARM_LIVE_TIMEOUT_SECONDS", default=1.0)
# The sweep (every QORGAU_ALARM_SWEEP_SECONDS) publishes deliveries left pending this long, at most a batch a run.
QORGAU_ALARM_SWEEP_SECONDS = env.int("QORGAU_ALARM_SWEEP_SECONDS", default=5)
QORGAU_ALARM_SWEEP_AFTER_SECONDS = env.int("QORGAU_ALARM_SWEEP_AFTER_SECONDS", default=5)
QORGAU_ALARM_SWEEP_BATCH = env.int("QORGAU_ALARM_SWEEP_BATCH", default=500)
# Django Channels: pages of one post's officers share a group across server processes through Redis; with no
# REDIS_URL (one `make run` process) an in-memory layer does.
CHANNEL_LAYERS = {
    "default": (
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py's default read timeout (5 s) is the layer's own blocking wait (5 s): under load the read
                # timed out first and dropped every page's connection. The read waits longer than the wait.
                "hosts": [{"address": env("QORGAU_CHANNELS_REDIS_URL", default=REDIS_URL), "socket_timeout": 30}],
                "prefix": "qorgau-live",
            },
        }
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}

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
# The installed app (config/pwa.py, README "On the phone"). A new release name makes every phone's service worker
# update and drop its old caches even when no shell file changed.
QORGAU_PWA_RELEASE = env("QORGAU_PWA_RELEASE", default="")
# Reports sent with no connection wait on the phone (IndexedDB, encrypted) within these sizes: one report with its
# files, and all of them together. Past them the form says so and keeps what was typed on the page.
QORGAU_OUTBOX_REPORT_MAX_BYTES = env.int("QORGAU_OUTBOX_REPORT_MAX_BYTES", default=50 * 1024 * 1024)
QORGAU_OUTBOX_MAX_BYTES = env.int("QORGAU_OUTBOX_MAX_BYTES", default=150 * 1024 * 1024)
# Reports posted after the session expired are kept only for the user whose form it was (a signed value in the
# page), and within these limits, so the logged-out path cannot be used to fill the disk.
QORGAU_KEPT_PER_USER = env.int("QORGAU_KEPT_PER_USER", default=5)
QORGAU_KEPT_PER_ADDRESS_PER_HOUR = env.int("QORGAU_KEPT_PER_ADDRESS_PER_HOUR", default=30)
QORGAU_KEPT_PENDING_MAX_REPORTS = env.int("QORGAU_KEPT_PENDING_MAX_REPORTS", default=1000)
QORGAU_KEPT_PENDING_MAX_BYTES = env.int("QORGAU_KEPT_PENDING_MAX_BYTES", default=2 * 1024 * 1024 * 1024)

# Key for the keyed hash that matches a suspect's IIN across reports without storing it in clear
# for matching. Defaults to SECRET_KEY; set it separately to rotate one without the other.
QORGAU_IIN_HASH_KEY = env("QORGAU_IIN_HASH_KEY", default="") or SECRET_KEY


def _mci_by_year(text: str) -> dict[int, int]:
    """`2027=4500,2028=4700`: MCI values (tenge) of years the statute data does not have yet."""
    values: dict[int, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        year, _sep, value = item.partition("=")
        try:
            values[int(year)] = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"QORGAU_MCI_BY_YEAR: {item!r} is not year=tenge") from None
        if not (2000 <= int(year) <= 2100 and 0 < int(value) < 1_000_000):
            raise ImproperlyConfigured(f"QORGAU_MCI_BY_YEAR: {item!r} is out of range")
    return values


# Next year's MCI before a code release (legal.mci; an administrator can also add it in admin, audited).
QORGAU_MCI_BY_YEAR = _mci_by_year(env("QORGAU_MCI_BY_YEAR", default=""))

# Ministry statistics: cells below this count are shown as "<N" everywhere (dashboard, PDF, CSV, XLSX).
QORGAU_STATS_MIN_CELL = env.int("QORGAU_STATS_MIN_CELL", default=3)
# Addresses the monthly statistics PDF is e-mailed to (comma-separated).
QORGAU_MINISTRY_EMAILS = env.list("QORGAU_MINISTRY_EMAILS", default=[])
# The statistics snapshot is rebuilt when older than this (and every 10 minutes by beat).
QORGAU_STATS_REFRESH_SECONDS = env.int("QORGAU_STATS_REFRESH_SECONDS", default=600)


# Every periodic task, in one place: `celery beat` (with a worker, or alone running them in-process when there is
# no REDIS_URL) writes these entries to django-celery-beat's tables at every start, so a change belongs here;
# admin shows them and can pause one. Crontab times are Almaty's (CELERY_TIMEZONE).
# Each runs on the periodic queue (CELERY_TASK_ROUTES); one that waited longer than its own period (its worker was
# down) is dropped rather than run late in a pile: the next one comes anyway.
def _periodic(task: str, schedule: float | crontab, *, expire_seconds: int | None = None) -> dict[str, object]:
    if expire_seconds is None and isinstance(schedule, float):
        expire_seconds = int(schedule)
    return {"task": task, "schedule": schedule, "options": {"expire_seconds": expire_seconds}}


CELERY_BEAT_SCHEDULE = {
    "incidents-notice-sweep": _periodic("incidents.notice_sweep_task", float(QORGAU_NOTICE_SWEEP_SECONDS)),
    "incidents-casefile-sweep": _periodic("incidents.casefile_sweep_task", 60.0),
    "emails-sweep": _periodic("common.email_sweep_task", 60.0),
    "notifications-sweep": _periodic("notifications.delivery_sweep_task", 30.0),
    "incidents-overdue-cases": _periodic("incidents.case_overdue_notify_task", 300.0),
    "incidents-drafts-purge": _periodic("incidents.drafts_purge_task", 24 * 60 * 60.0),
    # Takes each due step of an alarm's ladder and sends what the broker could not take (alarms/services.py).
    "alarms-sweep": _periodic("alarms.alarm_sweep_task", float(QORGAU_ALARM_SWEEP_SECONDS)),
    "analytics-snapshot-refresh": _periodic("analytics.snapshot_refresh_task", 10 * 60.0),
    # 07:00 on the 1st: last month is over, and the report is in the Ministry's inbox before work starts.
    "analytics-monthly-statistics-report": _periodic(
        "analytics.monthly_statistics_report_task",
        crontab(minute="0", hour="7", day_of_month="1"),
        expire_seconds=12 * 3600,
    ),
}

CELERY_TASK_ROUTES.update({entry["task"]: {"queue": QORGAU_QUEUE_PERIODIC} for entry in CELERY_BEAT_SCHEDULE.values()})
# The alarm sweep is periodic but must not wait behind the other periodic tasks: it has the alarms worker.
CELERY_TASK_ROUTES["alarms.alarm_sweep_task"] = {"queue": QORGAU_QUEUE_ALARMS}

# Logs (common/logging.py): JSON lines in production with the request id; plain lines on a console.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# nginx's $request_id (X-Request-ID, deploy/nginx/proxy_params.conf) is the request's id in every log line.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
configure_structlog()
LOGGING = logging_config(
    json=env("QORGAU_LOG_FORMAT", default="plain") == "json", level=env("DJANGO_LOG_LEVEL", default="INFO")
)

# Optional error tracking (common/sentry.py), scrubbed of personal data before anything leaves.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))


# The REST API (api/, README "API"): JSON only, problem+json errors (RFC 9457), devices by API key, users by their
# session (CSRF checked) or a short-lived token. Every view names its own access; nothing is open by default.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.APIKeyAuthentication",
        "api.authentication.SignedTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.Denied"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.KeyOrUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("QORGAU_API_RATE", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
    "NUM_PROXIES": None,
}
# A JSON body larger than this is refused (413) before it is parsed.
QORGAU_API_JSON_MAX_BYTES = env.int("QORGAU_API_JSON_MAX_BYTES", default=256 * 1024)
# A badge's recording (POST /api/v1/alarms/{id}/recordings/): at most this many bytes in all, sent whole or in
# Content-Range parts of at most QORGAU_RECORDING_CHUNK_MAX_BYTES each (a part is read into memory, then kept in
# the media storage until the last one is in).
QORGAU_RECORDING_MAX_BYTES = env.int("QORGAU_RECORDING_MAX_BYTES", default=500 * 1024 * 1024)
QORGAU_RECORDING_CHUNK_MAX_BYTES = env.int("QORGAU_RECORDING_CHUNK_MAX_BYTES", default=QORGAU_UPLOAD_MAX_BYTES)
# Short-lived tokens for users (POST /api/v1/auth/token/ with the session): valid this many seconds.
QORGAU_API_TOKEN_SECONDS = env.int("QORGAU_API_TOKEN_SECONDS", default=15 * 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Qorgau API",
    "DESCRIPTION": "Reports of violence against medical workers in Almaty: alarms, recordings, cases, statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {},
}
