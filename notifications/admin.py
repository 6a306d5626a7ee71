from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import MaskedReadOnlyAdminMixin
from notifications.models import Delivery
from notifications.services import delivery_rerun


@admin.register(Delivery)
class DeliveryAdmin(MaskedReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable
    """Case notifications through the outside channels. The recipient (a chat id, a phone, an address) is hidden."""

    masked_fields = ("recipient",)
    list_display = [
        "kind",
        "object_id",
        "channel",
        "recipient",
        "status",
        "attempts",
        "latency_ms",
        "detail",
        "due_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=object_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "object_id",
        "channel",
        "recipient",
        "text",
        "link",
        "status",
        "attempts",
        "due_at",
        "claimed_at",
        "sent_at",
        "provider_id",
        "detail",
        "latency_ms",
        "created_at",
    ]
    fields = tuple(readonly_fields)
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed notifications again"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = sum(delivery_rerun(delivery=delivery) for delivery in queryset.filter(status=Delivery.Status.FAILED))
        self.message_user(
            request,
            ngettext("%d notification queued again.", "%d notifications queued again.", count) % count,
            messages.SUCCESS,
        )
