from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import GrantCheckedInline
from accounts.models import PostAssignment
from facilities.models import Department, District, Facility, PoliceDepartment, PolicePost

AUDIT_FIELDS = ("created_at", "updated_at")


@admin.display(description=_("sample"), ordering="is_sample")
def sample_flag(facility: Facility) -> str:
    if facility.is_sample:
        return format_html('<strong style="color:#b02a37">{}</strong>', _("SAMPLE"))
    return "—"


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_kk", "name_en", "facility_count")
    search_fields = ("code", "name_ru", "name_kk", "name_en")
    readonly_fields = AUDIT_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        return super().get_queryset(request).annotate(facility_count=Count("facilities"))

    @admin.display(description=_("facilities"), ordering="facility_count")
    def facility_count(self, district: District) -> int:
        return district.facility_count


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ("kind", "name")


class PolicePostInline(admin.TabularInline):
    model = PolicePost
    extra = 0
    fields = ("code", "police_department", "phone", "round_the_clock", "status", "opened_on")
    autocomplete_fields = ("police_department",)
    show_change_link = True


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name_ru", "code", "kind", "district", sample_flag, "is_active", "post_codes")
    list_filter = ("is_sample", "kind", "district", "is_active")
    list_select_related = ("district", "parent")
    search_fields = ("code", "name_ru", "name_kk", "name_en", "address")
    autocomplete_fields = ("district", "parent")
    readonly_fields = AUDIT_FIELDS
    inlines = (DepartmentInline, PolicePostInline)
    actions = ("mark_active", "mark_inactive")
    fieldsets = (
        (None, {"fields": ("code", "kind", "district", "parent", "is_active", "is_sample")}),
        (_("Names"), {"fields": ("name_ru", "name_kk", "name_en")}),
        (_("Location"), {"fields": ("address", ("latitude", "longitude"))}),
        (_("Audit"), {"fields": AUDIT_FIELDS, "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Facility]:
        return super().get_queryset(request).prefetch_related("police_posts")

    @admin.display(description=_("police posts"))
    def post_codes(self, facility: Facility) -> str:
        return ", ".join(post.code for post in facility.police_posts.all()) or "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        facility = self.get_object(request, object_id)
        if facility is not None and facility.is_sample and request.method == "GET":
            self.message_user(
                request, _("This is a sample entry: demo data, not taken from an official registry."), messages.WARNING
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Mark selected facilities active"), permissions=["change"])
    def mark_active(self, request: HttpRequest, queryset: QuerySet[Facility]) -> None:
        count = queryset.filter(is_active=False).update(is_active=True, updated_at=timezone.now())
        self.message_user(
            request, ngettext("%d facility marked active.", "%d facilities marked active.", count) % count
        )

    @admin.action(description=_("Mark selected facilities inactive"), permissions=["change"])
    def mark_inactive(self, request: HttpRequest, queryset: QuerySet[Facility]) -> None:
        count = queryset.filter(is_active=True).update(is_active=False, updated_at=timezone.now())
        self.message_user(
            request, ngettext("%d facility marked inactive.", "%d facilities marked inactive.", count) % count
        )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "facility")
    list_filter = ("kind", "facility__kind", "facility__is_sample")
    list_select_related = ("facility",)
    search_fields = ("name", "facility__code", "facility__name_ru", "facility__name_kk", "facility__name_en")
    autocomplete_fields = ("facility",)
    readonly_fields = AUDIT_FIELDS


@admin.register(PoliceDepartment)
class PoliceDepartmentAdmin(admin.ModelAdmin):
    list_display = ("name_ru", "code", "district", "phone", "email")
    list_select_related = ("district",)
    search_fields = ("code", "name_ru", "name_kk", "name_en", "phone", "email")
    autocomplete_fields = ("district",)
    readonly_fields = AUDIT_FIELDS


class PostAssignmentInline(GrantCheckedInline):
    model = PostAssignment
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
    verbose_name = _("assigned officer")
    verbose_name_plural = _("assigned officers")


@admin.register(PolicePost)
class PolicePostAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "facility",
        "facility_kind",
        "police_department",
        "status",
        "round_the_clock",
        "phone",
        "has_telegram_chat",
        "opened_on",
        "facility_sample",
    )
    list_filter = ("status", "round_the_clock", "facility__kind", "police_department", "facility__is_sample")
    list_select_related = ("facility", "police_department")
    search_fields = (
        "code",
        "phone",
        "email",
        "telegram_chat_id",
        "facility__code",
        "facility__name_ru",
        "facility__name_kk",
        "facility__name_en",
    )
    autocomplete_fields = ("facility", "police_department")
    readonly_fields = AUDIT_FIELDS
    date_hierarchy = "opened_on"
    inlines = (PostAssignmentInline,)
    actions = ("activate", "mark_planned")

    @admin.display(description=_("Telegram chat"), boolean=True, ordering="telegram_chat_id")
    def has_telegram_chat(self, post: PolicePost) -> bool:
        return bool(post.telegram_chat_id)

    @admin.display(description=_("kind"), ordering="facility__kind")
    def facility_kind(self, post: PolicePost) -> str:
        return post.facility.get_kind_display()

    @admin.display(description=_("sample"), ordering="facility__is_sample")
    def facility_sample(self, post: PolicePost) -> str:
        return sample_flag(post.facility)

    @admin.action(description=_("Activate selected posts (opened today unless a date is set)"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[PolicePost]) -> None:
        today = timezone.localdate()
        now = timezone.now()
        planned = queryset.filter(status=PolicePost.Status.PLANNED)
        planned.filter(opened_on__isnull=True).update(opened_on=today, updated_at=now)
        count = planned.update(status=PolicePost.Status.ACTIVE, updated_at=now)
        self.message_user(request, ngettext("%d post activated.", "%d posts activated.", count) % count)

    @admin.action(description=_("Mark selected posts planned"), permissions=["change"])
    def mark_planned(self, request: HttpRequest, queryset: QuerySet[PolicePost]) -> None:
        count = queryset.filter(status=PolicePost.Status.ACTIVE).update(
            status=PolicePost.Status.PLANNED, updated_at=timezone.now()
        )
        self.message_user(request, ngettext("%d post marked planned.", "%d posts marked planned.", count) % count)
