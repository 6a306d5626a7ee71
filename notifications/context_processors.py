from django.conf import settings
from django.http import HttpRequest


def web_push(request: HttpRequest) -> dict[str, str]:
    """The VAPID public key for base.html's <meta name="vapid-public-key">, read by the subscribe script."""
    return {"VAPID_PUBLIC_KEY": settings.VAPID_PUBLIC_KEY}
