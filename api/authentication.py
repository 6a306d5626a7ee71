"""Who is calling: a device or system by its API key, a user by a short-lived token or by the site's session.

A key authenticates no user: `request.user` stays anonymous and `request.auth` is the key (api/permissions.py
tells them apart). A wrong, revoked or expired key is refused outright (401), never taken as anonymous.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from api.models import PlaceAPIKey

KEY_SCHEME = "Api-Key"
TOKEN_SCHEME = "Bearer"  # noqa: S105 (the scheme's name)
TOKEN_SALT = "api.token"  # noqa: S105 (a signing salt, not a secret)


def _credentials(request: Request, scheme: str) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    name, _sep, value = header.partition(" ")
    if name.lower() != scheme.lower():
        return None
    value = value.strip()
    if not value or " " in value or len(value) > 512 or not value.isascii():
        raise exceptions.AuthenticationFailed(_("The credentials are malformed."), code="malformed")
    return value


class APIKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <prefix>.<secret>`; only the key's hash is stored."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, PlaceAPIKey] | None:
        raw = _credentials(request, KEY_SCHEME)
        if raw is None:
            return None
        try:
            key = PlaceAPIKey.objects.get_from_key(raw)
        except PlaceAPIKey.DoesNotExist:
            key = None
        if key is None or key.has_expired:
            raise exceptions.AuthenticationFailed(_("The API key is wrong, revoked or expired."), code="bad_key")
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            PlaceAPIKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return f'{KEY_SCHEME} realm="api"'


def token_issue(*, user: User) -> str:
    """A token naming the user, signed and timed; a new password (or a deactivation) voids it at once."""
    return signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()[:16]}, salt=TOKEN_SALT, compress=True)


class SignedTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token/, valid QORGAU_API_TOKEN_SECONDS."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        raw = _credentials(request, TOKEN_SCHEME)
        if raw is None:
            return None
        try:
            claims: Any = signing.loads(raw, salt=TOKEN_SALT, max_age=settings.QORGAU_API_TOKEN_SECONDS)
            user = User.objects.get(pk=int(claims["u"]), is_active=True)
        except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
            user = None
        if user is None or user.get_session_auth_hash()[:16] != claims.get("h"):
            raise exceptions.AuthenticationFailed(_("The token is wrong or expired."), code="bad_token")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return f'{TOKEN_SCHEME} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's session, for pages' scripts on the same site: the CSRF token is checked on every write."""
