"""One rate per caller: per API key, per user, or (before authentication) per address."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.security import client_ip
from api.permissions import api_key_of


class KeyOrUserRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request: Request, view: Any) -> str:
        key = api_key_of(request)
        if key is not None:
            ident = f"key:{key.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            # X-Forwarded-For only as far as our own proxies wrote it (DRF's get_ident would believe any client).
            ident = f"addr:{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
