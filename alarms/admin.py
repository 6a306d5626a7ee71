"""Alarms in admin: devices and duty rosters are kept here; alarms, their deliveries and history are read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alarms.models import Alarm, AlarmDelivery, AlarmEvent, Device, DutyEntry
from incidents import access as case_access
from incidents.admin.masking import CaseContentAdmin, CaseContentInline, officer_scope_of
from incidents.models import Incident


def _officer_of_alarm_post(request: HttpRequest, alarm: Alarm | None) -> bool:
    """An alarm is case content (it becomes a report): read in admin only by an officer of its post (or of its
    report's post), masked for everyone else, as a case's rows are (incidents/admin/masking.py)."""
    if alarm is None:
        return False
    scope = officer_scope_of(request)
    if alarm.incident is not None:
        return case_access.can_read_in_admin(scope, alarm.incident)
    return alarm.post_id is not None and alarm.post_id in scope.post_ids


class AlarmDeliveryInline(CaseContentInline):
    model = AlarmDelivery
    # The recipient (a phone, a chat id, an address) is left out: the list shows channels and outcomes.
    fields = ("step", "channel", "status", "attempts", "latency_ms", "error", "sent_at")
    readonly_fields = fields

    def may_read(self, request: HttpRequest, obj: Alarm) -> bool:
        return _officer_of_alarm_post(request, obj)


class AlarmEventInline(CaseContentInline):
    model = AlarmEvent
    fields = ("created_at", "kind", "actor", "actor_key_name", "actor_key_prefix", "data")
    readonly_fields = fields
    masked_fields = ("actor",)

    def may_read(self, request: HttpRequest, obj: Alarm) -> bool:
        return _officer_of_alarm_post(request, obj)


@admin.register(Alarm)
class AlarmAdmin(CaseContentAdmin):
    """Read-only: an alarm is raised by SOS, a device or `manage.py alarm_drill`, and answered on its page."""

    list_display = ["pk", "raised_at", "facility", "post", "source", "drill", "status", "step", "acknowledged_by"]
    list_filter = ["status", "source", "drill", "step", "post"]
    list_select_related = ["facility", "post", "acknowledged_by", "incident"]
    search_fields = ["=pk", "facility__code", "facility__name_ru", "post__code", "device__device_id"]
    date_hierarchy = "raised_at"
    inlines = [AlarmDeliveryInline, AlarmEventInline]
    readonly_fields = [field.name for field in Alarm._meta.fields]
    masked_fields = ("raised_by", "acknowledged_by", "closed_by", "place", "false_alarm_reason", "draft")

    def case_of(self, obj: Alarm) -> Incident | None:
        return obj.incident

    def may_read(self, request: HttpRequest, obj: Alarm) -> bool:
        return _officer_of_alarm_post(request, obj)


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("device_id", "kind", "facility", "post", "department", "room", "is_active")
    list_filter = ("kind", "is_active", "facility__district")
    list_select_related = ("facility", "post", "department")
    search_fields = ("device_id", "room", "facility__code", "facility__name_ru")
    autocomplete_fields = ("facility", "post", "department")
    readonly_fields = ("created_at",)


@admin.register(DutyEntry)
class DutyEntryAdmin(admin.ModelAdmin):
    list_display = ("post", "officer", "on_duty", "is_senior", "changed_at", "changed_by")
    list_editable = ("on_duty", "is_senior")
    list_filter = ("on_duty", "is_senior", "post")
    list_select_related = ("post", "officer", "changed_by")
    search_fields = ("post__code", "officer__username", "officer__last_name", "officer__first_name")
    autocomplete_fields = ("post", "officer")
    readonly_fields = ("changed_at", "changed_by")
    actions = ("put_on_duty", "take_off_duty")

    def save_model(self, request: HttpRequest, obj: DutyEntry, form: object, change: bool) -> None:
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Put on duty"))
    def put_on_duty(self, request: HttpRequest, queryset: QuerySet[DutyEntry]) -> None:
        queryset.update(on_duty=True, changed_by=request.user, changed_at=timezone.now())

    @admin.action(description=_("Take off duty"))
    def take_off_duty(self, request: HttpRequest, queryset: QuerySet[DutyEntry]) -> None:
        queryset.update(on_duty=False, changed_by=request.user, changed_at=timezone.now())
