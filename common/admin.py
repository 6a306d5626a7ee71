"""Admin pieces shared by the apps."""

from django.db.models import Model
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For rows that change only through services or tasks (history, snapshots): admin shows, never edits."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
