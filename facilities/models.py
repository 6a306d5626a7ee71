"""Almaty's districts, medical facilities, and the police that protects them."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.messengers import TelegramChatIdField


class TimestampedModel(models.Model):
    """Audit fields shown read-only in admin."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedNameMixin(TimestampedModel):
    """Reference data named in Russian, Kazakh and English; `name` follows the active language."""

    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "ru")[:2]
        return getattr(self, f"name_{language}", "") or self.name_ru


class District(TranslatedNameMixin):
    code = models.SlugField(_("code"), max_length=32, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class FacilityKind(models.TextChoices):
    MULTI_PROFILE = "multi_profile", _("multi-profile hospital")
    CHILDREN = "children", _("children's hospital")
    PERINATAL = "perinatal", _("perinatal centre")
    MATERNITY = "maternity", _("maternity hospital")
    AMBULANCE = "ambulance", _("ambulance station")
    POLYCLINIC = "polyclinic", _("polyclinic")
    OTHER = "other", _("other")


class Facility(TranslatedNameMixin):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKind.choices, db_index=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("district")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent facility"),
        help_text=_("For an ambulance substation: its station."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_sample = models.BooleanField(
        _("sample entry"),
        default=False,
        help_text=_("Demo data, not taken from an official registry."),
    )

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def active_post(self) -> "PolicePost | None":
        # With its department: routing a report reads both (one query, not two).
        return (
            self.police_posts.filter(status=PolicePost.Status.ACTIVE)
            .select_related("police_department")
            .order_by("pk")
            .first()
        )


class DepartmentKind(models.TextChoices):
    EMERGENCY = "emergency", _("emergency / admission")
    WARD = "ward", _("ward")
    ICU = "icu", _("intensive care")
    SURGERY = "surgery", _("surgery")
    OUTPATIENT = "outpatient", _("outpatient")
    AMBULANCE_CREW = "ambulance_crew", _("ambulance crew")
    OTHER = "other", _("other")


class Department(TimestampedModel):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="departments", verbose_name=_("facility")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    name = models.CharField(
        _("name"), max_length=255, blank=True, help_text=_("Leave blank to use the kind as the name.")
    )

    class Meta:
        ordering = ["facility", "kind", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["facility", "kind", "name"], name="department_unique_per_facility"),
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class PoliceDepartment(TranslatedNameMixin):
    """A district police department (УП района) of the Almaty Police Department."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="police_department", verbose_name=_("district")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("police department")
        verbose_name_plural = _("police departments")


class PolicePost(TimestampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="police_posts", verbose_name=_("facility")
    )
    police_department = models.ForeignKey(
        PoliceDepartment, on_delete=models.PROTECT, related_name="posts", verbose_name=_("police department")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The post's group chat, where Qorgau's Telegram bot posts alarms (issue 16) for every officer in it to see.
    telegram_chat_id = TelegramChatIdField(
        _("Telegram chat id"), help_text=_("The post's group chat with the Qorgau bot, e.g. -1001234567890.")
    )
    round_the_clock = models.BooleanField(_("round the clock"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("police post")
        verbose_name_plural = _("police posts")

    def __str__(self) -> str:
        return f"{self.code} — {self.facility.name}"
