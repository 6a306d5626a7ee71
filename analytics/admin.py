from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import MonthlyCount, MonthlyDuration, Snapshot, SnapshotChange, StatisticsReport
from common.admin import ReadOnlyAdminMixin


@admin.register(StatisticsReport)
class StatisticsReportAdmin(admin.ModelAdmin):
    list_display = [
        "period",
        "district",
        "facility_kind",
        "status",
        "scheduled",
        "created_at",
        "render_ms",
        "emailed_at",
    ]
    list_filter = ["status", "scheduled", "facility_kind"]
    list_select_related = ["district"]
    readonly_fields = [
        "key",
        "requested_by",
        "scheduled",
        "period",
        "district",
        "facility_kind",
        "language",
        "status",
        "file",
        "error",
        "cutoff",
        "created_at",
        "rendered_at",
        "render_ms",
        "emailed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["cutoff", "refreshed_at", "duration_ms", "incidents"]
    readonly_fields = [*list_display, "rules"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SnapshotChange)
class SnapshotChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The change log the triggers write and the next refresh reads: to look at (how much the next refresh recounts).
    The time is shown to the day: which month's group is all it is kept for."""

    list_display = ["id", "facility_id", "day"]

    @admin.display(description=_("day"))
    def day(self, obj: SnapshotChange) -> str:
        return f"{timezone.localtime(obj.occurred_at):%Y-%m-%d}" if obj.occurred_at else "—"


class _SnapshotRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows of the statistics snapshot: rebuilt by the refresh task, so only to look at."""

    list_select_related = ["facility"]
    list_filter = ["month"]
    search_fields = ["facility__code", "facility__name_ru"]


@admin.register(MonthlyCount)
class MonthlyCountAdmin(_SnapshotRowAdmin):
    list_display = ["month", "facility", "dimension", "value", "count"]
    list_filter = ["month", "dimension"]


@admin.register(MonthlyDuration)
class MonthlyDurationAdmin(_SnapshotRowAdmin):
    list_display = ["month", "facility", "metric", "value", "count"]
    list_filter = ["month", "metric"]
