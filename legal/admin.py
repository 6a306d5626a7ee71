"""Admin: assessments are read-only history; overrides are visible and audited (set them through the case page)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin
from legal.models import LegalAssessment, PartOverride


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # one base for two models
    pass


@admin.register(LegalAssessment)
class LegalAssessmentAdmin(ReadOnlyAdmin):
    list_display = [
        "incident",
        "sequence",
        "applicable",
        "part",
        "provisional",
        "trigger",
        "rules_version",
        "created_by",
        "created_at",
    ]
    list_filter = ["applicable", "part", "provisional", "trigger", "rules_version"]
    list_select_related = ["incident", "created_by"]
    search_fields = ["incident__reference"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "incident",
        "sequence",
        "rules_version",
        "trigger",
        "applicable",
        "part",
        "provisional",
        "changed_facts",
        "facts",
        "result",
        "reasons_list",
        "warnings_list",
        "created_by",
        "created_at",
    ]

    @admin.display(description=_("reasons"))
    def reasons_list(self, obj: LegalAssessment) -> str:
        return "\n".join(obj.reasons_text)

    @admin.display(description=_("warnings"))
    def warnings_list(self, obj: LegalAssessment) -> str:
        return "\n".join(obj.warnings_text)


@admin.register(PartOverride)
class PartOverrideAdmin(ReadOnlyAdmin):
    """Overrides are made by `legal.services.part_override_set` (permission check, audit event), never here."""

    list_display = ["incident", "part", "is_active", "created_by", "created_at"]
    list_filter = ["is_active", "part"]
    list_select_related = ["incident", "created_by"]
    search_fields = ["incident__reference", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = ["incident", "part", "reason", "assessment", "is_active", "created_by", "created_at"]
