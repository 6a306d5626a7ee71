"""Django's model backend, reading a user's permissions in one query instead of two.

Every page asks for them (the role gate, the access helpers, the navigation). Django reads a user's own
permissions and their groups' in two queries; this reads both in one UNION, cached on the user object for the
request exactly as Django caches it.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

FIELDS = ("content_type__app_label", "codename")


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            own = Permission.objects.filter(user=user_obj).values_list(*FIELDS).order_by()
            of_groups = Permission.objects.filter(group__user=user_obj).values_list(*FIELDS).order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in own.union(of_groups)}
        return user_obj._perm_cache
