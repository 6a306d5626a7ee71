"""What a caller may do, on top of authentication: each view names its own; the default is to refuse.

Users: the role gate's permissions (`user.has_perm`, accounts/permissions.py) and, for a case, the access
helpers of incidents/access.py (outsiders get 404). Keys: only the device's endpoints, in their own place.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.models import PlaceAPIKey


def api_key_of(request: Request) -> PlaceAPIKey | None:
    return request.auth if isinstance(request.auth, PlaceAPIKey) else None


class Denied(BasePermission):
    """The default: a view that forgot to say who may call it is closed."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return False


class IsKeyOrUser(BasePermission):
    """Any valid key or logged-in user (reference data)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return api_key_of(request) is not None or bool(request.user and request.user.is_authenticated)


class IsDeviceOrUser(IsKeyOrUser):
    """Alarms and recordings: a device by its key, or a logged-in user (the app's button)."""


class IsUser(BasePermission):
    """A logged-in user, not a key: views that then load through an access helper of incidents/access.py."""

    message = _("This needs a user's session or token, not an API key.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return api_key_of(request) is None and bool(request.user and request.user.is_authenticated)


class HasRole(BasePermission):
    """A logged-in user (not a key) whose roles grant the view's `required_permission`; 403 otherwise (the role
    gate's policy for a kind of page)."""

    message = _("Your roles do not allow this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if api_key_of(request) is not None or not (user and user.is_authenticated):
            return False
        return bool(user.has_perm(view.required_permission))
