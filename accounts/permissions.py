"""The one role gate: a page's permission, checked with `user.has_perm`, and the one 403/404 policy.

A role is a Django group; what it may open is the permissions the group holds (`accounts/roles.py`, the
permissions themselves defined in the models' `Meta.permissions`). Function views say which permission a
page needs with `@role_required("incidents.work_case")`, class-based views with `RoleRequiredMixin`; the
navigation and the home page read the same permissions in templates (`perms.incidents.work_case`).

Policy:

- Anonymous users are sent to the login page.
- A logged-in user whose roles lack the permission of a kind of page gets 403: the report form and my
  reports (`report_incident`), facility reports (`view_facility_incidents`), the case inbox (`work_case`),
  statistics (`view_statistics`), the facility pages (`facilities.view_facility`). These pages are no
  secret; the navigation only leaves them out.
- A page about one case (its URL names a case, its notice or its evidence) answers 404 to everyone who may
  not see that case, whatever their role: not even a case's existence is told. These pages take no 403
  gate; their access helper in `incidents/access.py` decides, and it also turns away anyone without the
  permission of that side (an analyst or an administrator opening a case URL gets 404).
- Administrators work in admin (Django's `is_staff` and model permissions). Of the page permissions they
  hold only statistics and the facility pages. A superuser is an administrator here: `User.has_perm`
  grants a superuser every permission but those of reporting and case work, which come only with the
  roles that do them.
- Endpoints that answer a script in JSON give the same status in JSON (the report form's autosave).
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured

from accounts.roles import PAGE_PERMISSIONS


def _known(perm: str) -> str:
    # A misspelt permission would close the page to everyone without a word: refuse it when the view loads.
    if perm not in PAGE_PERMISSIONS:
        raise ImproperlyConfigured(f"{perm!r} is not a permission any role holds (accounts/roles.py).")
    return perm


def role_required(perm: str) -> Callable:
    """Login first; then 403 unless the user's roles grant `perm`."""
    _known(perm)

    def decorator(view: Callable) -> Callable:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator


class RoleRequiredMixin(PermissionRequiredMixin):
    """`role_required` for class-based views: set `permission_required` to one page permission."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if isinstance(cls.permission_required, str):
            _known(cls.permission_required)
