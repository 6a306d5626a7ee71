"""Administrators (group `administrator`, staff) manage users, their roles and memberships here."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.forms import MembershipGrantForm, UserChangeForm, UserCreationForm
from accounts.grants import ACCOUNT_OF_A_CASE_ROLE, holds_a_case_role
from accounts.models import (
    FacilityMembership,
    NotificationPreferences,
    PoliceDepartmentAssignment,
    PostAssignment,
    PushSubscription,
    Role,
    User,
)

# Only a superuser may hand out superuser status or per-user permissions; roles are the way to grant access.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


def granted_by(form_class, request: HttpRequest):
    """The admin's form class, told who submits it: grants are checked by `accounts.grants`."""
    return type(form_class.__name__, (form_class,), {"granter": request.user})


class GrantCheckedInline(admin.TabularInline):
    """A membership inline (of a user, or of a police post): nobody grants themselves one, and the memberships
    that open cases are a superuser's to grant (`accounts.grants`)."""

    form = MembershipGrantForm

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = granted_by(formset.form, request)
        return formset


class GrantCheckedAdmin(admin.ModelAdmin):
    form = MembershipGrantForm

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        return granted_by(super().get_form(request, obj, change=change, **kwargs), request)


class FacilityMembershipInline(GrantCheckedInline):
    model = FacilityMembership
    extra = 0
    fields = ("facility", "department", "is_lead", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("facility", "department")


class PostAssignmentInline(GrantCheckedInline):
    model = PostAssignment
    extra = 0
    fields = ("post", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("post",)


class PoliceDepartmentAssignmentInline(GrantCheckedInline):
    model = PoliceDepartmentAssignment
    extra = 0
    fields = ("police_department", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("police_department",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "full_name", "profession", "roles", "is_staff", "is_active", "last_login")
    list_filter = (RoleFilter, "profession", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "middle_name", "email", "phone")
    readonly_fields = ("last_login", "date_joined")
    inlines = (FacilityMembershipInline, PostAssignmentInline, PoliceDepartmentAssignmentInline)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {
                "fields": (
                    "last_name",
                    "first_name",
                    "middle_name",
                    "profession",
                    "email",
                    "phone",
                    "contact_only_through_qorgau",
                    "telegram_chat_id",
                )
            },
        ),
        (_("Roles and access"), {"fields": ("is_active", "groups", "is_staff", "is_superuser", "user_permissions")}),
        (_("Audit"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (
            _("Person"),
            {
                "classes": ("wide",),
                "fields": ("last_name", "first_name", "middle_name", "profession", "email", "phone"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        return granted_by(super().get_form(request, obj, change=change, **kwargs), request)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, *SUPERUSER_ONLY_FIELDS)
            if obj is not None and holds_a_case_role(obj):
                fields = (*fields, "email")  # a password reset goes to it
        return fields

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not request.user.is_superuser and holds_a_case_role(user):
            raise PermissionDenied(ACCOUNT_OF_A_CASE_ROLE)
        return super().user_change_password(request, id, form_url)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        labels = dict(Role.choices)
        return ", ".join(sorted(str(labels.get(group.name, group.name)) for group in user.groups.all())) or "—"


@admin.register(FacilityMembership)
class FacilityMembershipAdmin(GrantCheckedAdmin):
    list_display = ("user", "facility", "department", "is_lead", "created_at")
    list_filter = ("is_lead", "facility__kind", "facility__district")
    list_select_related = ("user", "facility", "department")
    search_fields = (
        "user__username",
        "user__last_name",
        "user__first_name",
        "facility__code",
        "facility__name_ru",
        "facility__name_kk",
        "facility__name_en",
    )
    autocomplete_fields = ("user", "facility", "department")
    readonly_fields = ("created_at",)


@admin.register(PostAssignment)
class PostAssignmentAdmin(GrantCheckedAdmin):
    list_display = ("user", "post", "created_at")
    list_filter = ("post__status", "post__police_department")
    list_select_related = ("user", "post", "post__facility")
    search_fields = ("user__username", "user__last_name", "user__first_name", "post__code", "post__facility__name_ru")
    autocomplete_fields = ("user", "post")
    readonly_fields = ("created_at",)


@admin.register(PoliceDepartmentAssignment)
class PoliceDepartmentAssignmentAdmin(GrantCheckedAdmin):
    list_display = ("user", "police_department", "created_at")
    list_filter = ("police_department",)
    list_select_related = ("user", "police_department")
    search_fields = (
        "user__username",
        "user__last_name",
        "user__first_name",
        "police_department__code",
        "police_department__name_ru",
    )
    autocomplete_fields = ("user", "police_department")
    readonly_fields = ("created_at",)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(DjangoGroupAdmin):
    """Roles are groups: changing a group's permissions grants them to every holder, the changer included, so
    only a superuser adds, changes or deletes one. Administrators see them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    """What each user chose on their notification settings page; an administrator may correct it."""

    list_display = ("user", "question", "outcome", "new_case", "overdue", "by_webpush", "by_telegram", "by_email")
    list_filter = ("by_webpush", "by_telegram", "by_email")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Browsers that receive Web Push. The endpoint and keys are not shown: whoever has them can push to the phone."""

    list_display = ("user", "user_agent", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__last_name")
    fields = ("user", "user_agent", "created_at")
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only a browser subscribes (POST /push/subscriptions/)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
