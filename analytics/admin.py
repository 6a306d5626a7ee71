from django.contrib import admin

from analytics.models import Snapshot, StatisticsReport


@admin.register(StatisticsReport)
class StatisticsReportAdmin(admin.ModelAdmin):
    list_display = ["period", "district", "facility_kind", "status", "scheduled", "created_at", "render_ms",
                    "emailed_at"]
    list_filter = ["status", "scheduled", "facility_kind"]
    list_select_related = ["district"]
    readonly_fields = ["key", "requested_by", "scheduled", "period", "district", "facility_kind", "language",
                       "status", "file", "error", "cutoff", "created_at", "rendered_at", "render_ms", "emailed_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["cutoff", "refreshed_at", "duration_ms", "incidents"]
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:
        return False
