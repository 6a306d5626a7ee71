"""The legal app's own reference data in admin: MCI values added before a code release (audited)."""

from django.contrib import admin
from django.http import HttpRequest

from legal.models import MciValue


@admin.register(MciValue)
class MciValueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["year", "value", "source", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    fields = ["year", "value", "source", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["year", "source"]

    def save_model(self, request: HttpRequest, obj: MciValue, form: object, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
