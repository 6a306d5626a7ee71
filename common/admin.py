"""Admin pieces shared by the apps, and the e-mail outbox."""

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.emails import email_rerun
from common.models import OutgoingEmail


class ReadOnlyAdminMixin:
    """For rows that change only through services or tasks (history, snapshots): admin shows, never edits."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    list_display = [
        "kind",
        "object_id",
        "status",
        "attempts",
        "auto_reruns",
        "recipients",
        "short_error",
        "created_at",
        "sent_at",
        "failed_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["=object_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "object_id",
        "task",
        "status",
        "attempts",
        "recipients",
        "error",
        "created_at",
        "claimed_at",
        "sent_at",
        "failed_at",
        "auto_reruns",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutgoingEmail | None = None) -> bool:
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj: OutgoingEmail) -> str:
        return obj.error[:80]

    @admin.action(description=_("Send the selected failed e-mails again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        rerun = sum(
            email_rerun(email=email)
            for email in queryset.filter(status__in=(OutgoingEmail.Status.FAILED, OutgoingEmail.Status.NO_ADDRESS))
        )
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", rerun) % {"count": rerun},
            messages.SUCCESS,
        )
