"""Settings for build steps that need no service and no secret: `compilemessages` and `collectstatic` (the Makefile's
`install-prod`, the Dockerfile). Static files are collected as production serves them (hashed and compressed)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "build-only-key-never-serves-requests-0123456789-abcdefghijklmnop"  # noqa: S105
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
