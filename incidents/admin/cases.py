"""Incidents, their people, history, messages, evidence, notices and drafts in admin (read-only, masked)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ReadOnlyAdminMixin
from incidents import events
from incidents.admin.masking import CaseContentAdmin, CaseContentInline
from incidents.models import (
    Attacker,
    CaseFile,
    CaseMessage,
    CaseSearch,
    DraftUpload,
    Evidence,
    Incident,
    IncidentEvent,
    Notice,
    ReferenceCounter,
    ReportDraft,
    Victim,
    VictimCompensation,
)
from incidents.selectors.search import search_query_parse
from incidents.services.notices import notice_rerun
from incidents.services.search import search_query_digest


@admin.display(description=_("details"))
def event_details(event: IncidentEvent) -> str:
    """The payload in words (`events.describe`), never the raw JSON."""
    return events.describe(event)


class IncidentEventInline(CaseContentInline):
    model = IncidentEvent
    fields = ["created_at", "kind", "actor", event_details]
    readonly_fields = fields
    masked_fields = ("actor", "data")


class NoticeInline(CaseContentInline):
    model = Notice
    fields = ["version", "language", "status", "attempts", "error", "sha256", "rendered_at", "emailed_at"]
    readonly_fields = fields


class CaseFileInline(CaseContentInline):
    # Failures show here with their error; an officer asks for a new case file from the case page.
    model = CaseFile
    fields = ["created_at", "requested_by", "language", "status", "attempts", "error", "sha256", "rendered_at"]
    readonly_fields = fields
    masked_fields = ("requested_by",)


class VictimInline(CaseContentInline):
    model = Victim
    fields = ["role", "duty_link", "is_reporter", "full_name", "user"]
    readonly_fields = fields
    masked_fields = ("full_name", "user")


class AttackerInline(CaseContentInline):
    model = Attacker
    fields = ["relation", "minor", "intoxicated", "identified_by_police", "full_name", "iin", "description"]
    readonly_fields = fields
    masked_fields = ("full_name", "iin", "description")


@admin.register(Incident)
class IncidentAdmin(CaseContentAdmin):
    list_display = ["reference", "status", "act", "facility", "police_post", "legal_part", "submitted_at"]
    list_filter = ["status", "act", "legal_part", "outcome"]
    list_select_related = ["facility", "police_post"]
    search_fields = ["reference", "erdr_number"]
    date_hierarchy = "submitted_at"
    inlines = [VictimInline, AttackerInline, NoticeInline, CaseFileInline, IncidentEventInline]
    masked_fields = ("reporter", "address", "account", "witnesses", "acknowledged_by", "outcome_reason")

    def case_of(self, obj: Incident) -> Incident:
        return obj


@admin.register(Notice)
class NoticeAdmin(CaseContentAdmin):
    list_display = [
        "incident",
        "version",
        "language",
        "status",
        "attempts",
        "auto_reruns",
        "short_error",
        "render_ms",
        "created_at",
        "rendered_at",
        "failed_at",
        "emailed_at",
    ]
    list_filter = ["status", "language", "auto_reruns"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "sha256"]
    date_hierarchy = "created_at"
    fields = [
        "incident",
        "version",
        "language",
        "status",
        "file",
        "sha256",
        "attempts",
        "claimed_at",
        "queued_at",
        "lease_expires_at",
        "error",
        "failed_at",
        "auto_reruns",
        "created_at",
        "rendered_at",
        "render_ms",
        "emailed_at",
    ]
    readonly_fields = fields
    masked_fields = ("file",)  # the notice itself: the whole case
    actions = ["rerun_notices"]

    @admin.display(description=_("error"))
    def short_error(self, obj: Notice) -> str:
        return obj.error[:80]

    @admin.action(description=_("Render the selected failed notices again"))
    def rerun_notices(self, request, queryset):
        rerun = sum(
            notice_rerun(notice=notice, actor=request.user) for notice in queryset.filter(status=Notice.Status.FAILED)
        )
        self.message_user(
            request,
            ngettext("%(count)d notice queued again.", "%(count)d notices queued again.", rerun) % {"count": rerun},
            messages.SUCCESS,
        )


@admin.register(VictimCompensation)
class VictimCompensationAdmin(CaseContentAdmin):
    """Which claims are recorded; the claim, sick leave, disability and amounts stay on the case page, and even the
    claim's status is the victim's own, shown only to the case's post."""

    list_display = ["incident_reference", "claim_status", "updated_at"]
    list_select_related = ["victim__incident"]
    search_fields = ["victim__incident__reference"]
    fields = ["claim_status", "claim_filed_on", "version", "updated_at"]
    readonly_fields = fields
    masked_fields = ("claim_status", "claim_filed_on")

    def case_of(self, obj: VictimCompensation) -> Incident:
        return obj.victim.incident

    @admin.display(description=_("incident"), ordering="victim__incident__reference")
    def incident_reference(self, obj: VictimCompensation) -> str:
        return obj.victim.incident.reference


@admin.register(IncidentEvent)
class IncidentEventAdmin(CaseContentAdmin):
    list_display = ["incident", "kind", event_details, "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "actor"]
    search_fields = ["incident__reference"]
    date_hierarchy = "created_at"
    # The payload in words, not the JSON (no free text in it: `events.describe`); the actor masked.
    fields = ["incident", "kind", "actor", event_details, "visible_to_reporter", "created_at"]
    readonly_fields = fields
    masked_fields = ("actor", "data")


@admin.register(CaseMessage)
class CaseMessageAdmin(CaseContentAdmin):
    list_display = ["incident", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "author"]
    search_fields = ["incident__reference"]
    fields = ["incident", "kind", "author", "body", "in_reply_to", "created_at"]
    readonly_fields = fields
    masked_fields = ("author", "body")


@admin.register(Evidence)
class EvidenceAdmin(CaseContentAdmin):
    list_display = ["incident", "original_name", "kind", "size", "sha256", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "sha256"]
    # No file: downloads go through the access-checked views, which record them.
    fields = ["incident", "kind", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    masked_fields = ("original_name", "uploaded_by")


class DraftUploadInline(CaseContentInline):
    model = DraftUpload
    fields = ["original_name", "kind", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    masked_fields = ("original_name",)

    def case_of(self, obj: ReportDraft) -> Incident | None:
        return obj.submitted_incident


@admin.register(ReportDraft)
class ReportDraftAdmin(CaseContentAdmin):
    """Drafts are the reporter's own: administrators see when they were saved, never what was typed, nor whose
    they are unless they work the post of the report it became. Abandoned drafts go by `manage.py purge_drafts`."""

    list_display = ["key", "owner", "created_at", "updated_at", "submitted_incident"]
    list_filter = [("submitted_incident", admin.EmptyFieldListFilter)]
    list_select_related = ["owner", "submitted_incident"]
    search_fields = ["submitted_incident__reference"]
    date_hierarchy = "updated_at"
    fields = ["key", "owner", "kept_for", "created_at", "updated_at", "submitted_incident"]
    readonly_fields = fields
    masked_fields = ("owner", "kept_for")
    inlines = [DraftUploadInline]

    def case_of(self, obj: ReportDraft) -> Incident | None:
        return obj.submitted_incident


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "last"]


@admin.register(CaseSearch)
class CaseSearchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The officers' searches, read-only. Searching for a name or an IIN here finds who searched for it: the term
    is hashed as the search did, since neither is kept in clear."""

    list_display = ["searched_at", "user", "kind", "query", "results"]
    list_select_related = ["user"]
    list_filter = ["kind", "searched_at"]
    search_fields = ["user__username", "user__last_name", "query"]
    search_help_text = _("A username, a reference or ERDR number, or a name or IIN someone searched for.")
    date_hierarchy = "searched_at"
    fields = ["searched_at", "user", "kind", "query", "query_digest", "results"]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digests = set()
        for kind in (CaseSearch.Kind.NAME, CaseSearch.Kind.IIN):
            try:
                digests.add(search_query_digest(search_query_parse(search_term, kind)))
            except ValidationError:
                continue
        if digests - {""}:
            found |= queryset.filter(query_digest__in=digests - {""})
        return found, may_have_duplicates
