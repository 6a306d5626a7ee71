"""Admin of incidents: cases and their history are read-only here (they change through services only);
notices show their errors and can be rendered again."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import ReadOnlyAdminMixin
from incidents.models import (
    Attacker,
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
)
from incidents.selectors.search import search_query_parse
from incidents.services.notices import notice_rerun
from incidents.services.search import search_query_digest


class IncidentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IncidentEvent
    fields = ["created_at", "kind", "actor", "data"]
    readonly_fields = fields
    extra = 0


class NoticeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Notice
    fields = ["version", "language", "status", "attempts", "error", "sha256", "rendered_at", "emailed_at"]
    readonly_fields = fields
    extra = 0


class VictimInline(ReadOnlyAdminMixin, admin.TabularInline):
    # Roles and links to duty only: names stay on the access-checked case page.
    model = Victim
    fields = ["role", "duty_link", "is_reporter"]
    readonly_fields = fields
    extra = 0


class AttackerInline(ReadOnlyAdminMixin, admin.TabularInline):
    # No names or IINs here: those are for the police post, on the case page.
    model = Attacker
    fields = ["relation", "minor", "intoxicated", "identified_by_police"]
    readonly_fields = fields
    extra = 0


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "status", "act", "facility", "police_post", "legal_part", "submitted_at"]
    list_filter = ["status", "act", "legal_part", "outcome"]
    list_select_related = ["facility", "police_post"]
    search_fields = ["reference", "erdr_number"]
    date_hierarchy = "submitted_at"
    inlines = [VictimInline, AttackerInline, NoticeInline, IncidentEventInline]
    # The account and personal data stay on the access-checked case page, not in admin lists.
    exclude = ["account", "witnesses"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = [
        "incident",
        "version",
        "language",
        "status",
        "attempts",
        "short_error",
        "render_ms",
        "created_at",
        "rendered_at",
        "emailed_at",
    ]
    list_filter = ["status", "language"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "sha256"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "incident",
        "version",
        "language",
        "status",
        "file",
        "sha256",
        "attempts",
        "claimed_at",
        "error",
        "created_at",
        "rendered_at",
        "render_ms",
        "emailed_at",
    ]
    actions = ["rerun_notices"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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


@admin.register(IncidentEvent)
class IncidentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["incident", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "actor"]
    search_fields = ["incident__reference"]
    date_hierarchy = "created_at"


@admin.register(CaseMessage)
class CaseMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["incident", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["incident", "author"]
    search_fields = ["incident__reference"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["incident", "original_name", "kind", "size", "sha256", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "sha256"]
    exclude = ["file"]  # downloads go through the access-checked views


class DraftUploadInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DraftUpload
    fields = ["original_name", "kind", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    """Drafts are the reporter's own: administrators see when they were saved and may delete abandoned ones
    (`manage.py purge_drafts` does it on a schedule), but not what was typed."""

    list_display = ["key", "owner", "created_at", "updated_at", "submitted_incident"]
    list_filter = [("submitted_incident", admin.EmptyFieldListFilter)]
    list_select_related = ["owner", "submitted_incident"]
    search_fields = ["owner__username", "submitted_incident__reference"]
    date_hierarchy = "updated_at"
    fields = ["key", "owner", "created_at", "updated_at", "submitted_incident"]
    readonly_fields = fields
    inlines = [DraftUploadInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
