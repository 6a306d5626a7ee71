"""Admin pieces shared by the apps, and the e-mail outbox."""

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.emails import email_rerun
from common.models import OutgoingEmail

Display = Callable[[Any], Any]
EMAIL_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


class ReadOnlyAdminMixin:
    """For rows that change only through services or tasks (history, snapshots): admin shows, never edits."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class MaskedReadOnlyAdminMixin(ReadOnlyAdminMixin):
    """Read-only rows some of whose fields (`masked_fields`) only some users may read: to the others, their list
    columns and page fields read `masked_text`. Who may read a row says `may_read(request, obj)` (False here);
    on an inline, `obj` is the parent row. A masked field is never a search field either (a search is a read)."""

    masked_fields: Sequence[str] = ()
    masked_text: str | Promise = _("hidden")

    def may_read(self, request: HttpRequest, obj: Any) -> bool:
        return False

    def _masked(self, name: str, shown: Callable[[Any], bool]) -> Display:
        model_admin: Any = self  # a ModelAdmin or an inline, with its model
        label = str(label_for_field(name, model_admin.model, model_admin, return_attr=False))
        field = getattr(self, name, None)

        def masked(obj: Any) -> Any:
            if not shown(obj):
                return self.masked_text
            return field(obj) if callable(field) else getattr(obj, name)

        masked.__name__ = name  # the page's CSS class, as the field's would be
        return admin.display(description=label)(masked)

    def _mask_columns(self, names: Sequence[Any], shown: Callable[[Any], bool]) -> list[Any]:
        return [self._masked(name, shown) if name in self.masked_fields else name for name in names]

    def _mask_page(self, names: Sequence[Any]) -> list[Any]:
        # The same function each time for a field: a page's form and its read-only fields compare them.
        cache = self.__dict__.setdefault("_masked_on_page", {})
        return [
            self._mask_page(name)
            if isinstance(name, list | tuple)
            else cache.setdefault(name, self._masked(name, self._hidden))
            if name in self.masked_fields
            else name
            for name in names
        ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]  # from ModelAdmin or an inline
        if obj is not None and self.may_read(request, obj):
            return list(fieldsets)
        return [(title, {**options, "fields": self._mask_page(options["fields"])}) for title, options in fieldsets]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if obj is not None and self.may_read(request, obj):
            return fields
        return self._mask_page(fields)

    def get_list_display(self, request: HttpRequest) -> Any:
        def shown(obj: Any) -> bool:
            return self.may_read(request, obj)

        return self._mask_columns(list(super().get_list_display(request)), shown)  # type: ignore[misc]

    def get_search_fields(self, request: HttpRequest) -> Any:
        fields = super().get_search_fields(request)  # type: ignore[misc]
        return [name for name in fields if name.lstrip("=^@").split("__")[0] not in self.masked_fields]

    @staticmethod
    def _hidden(obj: Any) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(MaskedReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable
    """The outbox. Recipients may be personal data (a reporter's address): hidden unless `may_read` says the user
    may read the row they are about (the apps that send e-mails say it). Errors are shown without addresses."""

    masked_fields = ("recipients",)
    list_display = ["kind", "object_id", "status", "attempts", "recipients", "short_error", "created_at", "sent_at"]
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
        "error_text",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    fields = tuple(readonly_fields)  # these only: the raw error quotes addresses
    actions = ["send_again"]

    @admin.display(description=_("error"))
    def error_text(self, obj: OutgoingEmail) -> str:
        # What went wrong is for every administrator; the addresses a mail server quotes back are not.
        return EMAIL_ADDRESS.sub("•••@•••", obj.error)

    @admin.display(description=_("error"))
    def short_error(self, obj: OutgoingEmail) -> str:
        return self.error_text(obj)[:80]

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
