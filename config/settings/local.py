"""Settings for `make run` on one machine: a fixed development key, no second factor, the app's own error pages."""

from .base import *  # noqa: F403
from .base import env

# Off by default, so that whoever tries the demo sees the app's 404 and 500 pages, never Django's technical pages
# (the 404 one lists every URL pattern). `DJANGO_DEBUG=1 make run` turns them on while developing.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# WhiteNoise serves the static files under `make run` either way, straight from the apps' folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
QORGAU_IIN_HASH_KEY = env("QORGAU_IIN_HASH_KEY", default="") or SECRET_KEY
# The demo's officers and administrators log in with a password alone; `QORGAU_2FA_REQUIRED=1 make run` tries the
# two-factor login.
QORGAU_2FA_REQUIRED = env.bool("QORGAU_2FA_REQUIRED", default=False)
