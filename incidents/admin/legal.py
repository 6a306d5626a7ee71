"""Legal assessments and part overrides in admin: read-only history (overrides are set through the case page by
`legal.services.part_override_set`), masked as every case row is. They are registered here, not in `legal/`,
because the rule of who reads a case lives in `incidents.access` and `legal/` imports no other app."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.admin.masking import CaseContentAdmin
from incidents.models import EpisodeLink
from legal.models import LegalAssessment, PartOverride


@admin.register(LegalAssessment)
class LegalAssessmentAdmin(CaseContentAdmin):
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
    fields = [
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
    readonly_fields = fields
    # The facts and reasons name earlier cases of the same suspect (the repeat): the post's alone.
    masked_fields = ("changed_facts", "facts", "result", "reasons_list", "warnings_list", "created_by")

    @admin.display(description=_("reasons"))
    def reasons_list(self, obj: LegalAssessment) -> str:
        return "\n".join(obj.reasons_text)

    @admin.display(description=_("warnings"))
    def warnings_list(self, obj: LegalAssessment) -> str:
        return "\n".join(obj.warnings_text)


@admin.register(PartOverride)
class PartOverrideAdmin(CaseContentAdmin):
    list_display = ["incident", "part", "is_active", "created_by", "created_at"]
    list_filter = ["is_active", "part"]
    list_select_related = ["incident", "created_by"]
    search_fields = ["incident__reference"]
    date_hierarchy = "created_at"
    fields = ["incident", "part", "reason", "assessment", "is_active", "created_by", "created_at"]
    readonly_fields = fields
    masked_fields = ("reason", "created_by")


@admin.register(EpisodeLink)
class EpisodeLinkAdmin(CaseContentAdmin):
    """Reports an officer linked as one continuing episode (CC 12 p.3); set and removed on the case page."""

    list_display = ["incident", "earlier", "created_by", "created_at"]
    list_select_related = ["incident", "earlier", "created_by"]
    search_fields = ["incident__reference"]
    fields = ["incident", "earlier", "created_by", "created_at"]
    readonly_fields = fields
    # The earlier report is another case of the same suspect: the post's alone, as a repeat's references are.
    masked_fields = ("earlier", "created_by")
