"""Settings for the test suite: fast hashing, local memory e-mail, real DATABASE_URL/REDIS_URL when set."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
QORGAU_IIN_HASH_KEY = "test-iin-hash-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# pytest gives each test its own folder (tests/conftest.py); scripts run under these settings may name one.
MEDIA_ROOT = Path(env("QORGAU_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media")))
# Unit tests run tasks eagerly; integration tests start a real worker against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TEST_REDIS_URL = env("REDIS_URL", default="")
# Two-factor login is tested where it is switched on (tests/security/test_two_factor.py).
QORGAU_2FA_REQUIRED = False
# Direct sends one at a time in the caller's thread: other threads' connections cannot see a test's rows.
QORGAU_ALARM_DIRECT_THREADS = 1
