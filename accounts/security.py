"""Login protection helpers."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as our own proxies saw it.

    X-Forwarded-For can be forged by the client, except for the entries our proxies appended: with N trusted
    proxies, the N-th address from the right is the one the outermost proxy received the request from.
    """
    proxies = settings.QORGAU_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
