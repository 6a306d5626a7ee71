"""The case-content rule in Django admin, from `incidents.access.can_read_in_admin`: administrators manage
reference data and users, not cases. A case's rows are read-only for everyone; their personal data (names, IINs,
the account, who did what, free text, file names, addresses) is shown only to a user who also works the case as
an officer of its post, and masked for everyone else, superusers included. Every opening of a case row's page is
recorded in the case history (`incidents.services.reads.admin_case_view`)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from common.admin import MaskedReadOnlyAdminMixin
from incidents import access
from incidents.models import Incident
from incidents.services.reads import admin_case_view

MASKED = _("hidden (police post only)")


def officer_scope_of(request: HttpRequest) -> access.OfficerScope:
    """The user's officer scope, read once per request: a list asks it of every row."""
    scope = getattr(request, "_qorgau_officer_scope", None)
    if scope is None:
        scope = access.officer_scope(request.user)
        request._qorgau_officer_scope = scope  # type: ignore[attr-defined]
    return scope


class CaseContentMixin(MaskedReadOnlyAdminMixin):
    """Rows of a case: `case_of` finds the case (for an inline, of the parent row); `masked_fields` are its
    personal data."""

    masked_text = MASKED

    def case_of(self, obj: Any) -> Incident | None:
        return obj.incident

    def may_read(self, request: HttpRequest, obj: Any) -> bool:
        scope = officer_scope_of(request)
        if scope == access.OfficerScope():
            return False  # not an officer of anything: no need to look the case up
        return access.can_read_in_admin(scope, self.case_of(obj))


class CaseContentAdmin(CaseContentMixin, admin.ModelAdmin):
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            incident = self.case_of(obj) if obj is not None else None
            if incident is not None:
                admin_case_view(
                    incident=incident,
                    actor=request.user,
                    model=obj._meta.label_lower,
                    object_id=obj.pk,
                    masked=not self.may_read(request, obj),
                )
        return response


class CaseContentInline(CaseContentMixin, admin.TabularInline):
    extra = 0

    def case_of(self, obj: Any) -> Incident | None:
        return obj  # the parent row: the incident itself
