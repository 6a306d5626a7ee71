"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """For rows that change only through services or tasks (history, snapshots): admin shows, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
