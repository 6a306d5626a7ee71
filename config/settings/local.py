"""Settings for `make run` on one machine: debug on, a fixed development key, no second factor."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
QORGAU_IIN_HASH_KEY = env("QORGAU_IIN_HASH_KEY", default="") or SECRET_KEY
# The demo's officers and administrators log in with a password alone; `QORGAU_2FA_REQUIRED=1 make run` tries the
# two-factor login.
QORGAU_2FA_REQUIRED = env.bool("QORGAU_2FA_REQUIRED", default=False)
