"""Users of Qorgau and the facilities and police posts they belong to."""

from functools import cached_property

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import NOT_FOR_ADMINISTRATORS, ROLE_PERMISSIONS
from common.phones import PhoneNumberField


class Role(models.TextChoices):
    """Each role is a Django group of the same name, created by a data migration."""

    REPORTER = "reporter", _("Reporter (medical staff)")
    FACILITY_LEAD = "facility_lead", _("Facility lead")
    POLICE_OFFICER = "police_officer", _("Police officer")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Profession(models.TextChoices):
    """A staff member's profession; the values match the legal tagger's victim roles."""

    DOCTOR = "doctor", _("doctor")
    RESIDENT = "resident", _("resident doctor")
    NURSE = "nurse", _("nurse")
    FELDSHER = "feldsher", _("feldsher")
    MIDWIFE = "midwife", _("midwife")
    PARAMEDIC = "paramedic", _("paramedic")
    AMBULANCE_DRIVER = "ambulance_driver", _("ambulance driver")
    PHARMACIST = "pharmacist", _("pharmacist")
    ORDERLY = "orderly", _("orderly")
    REGISTRAR = "registrar", _("registrar")
    SECURITY = "security", _("security guard")
    OTHER_STAFF = "other_staff", _("other staff")


class User(AbstractUser):
    middle_name = models.CharField(_("middle name"), max_length=150, blank=True)
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True, help_text=_("For example +7 701 123 45 67."))
    # The reporter's choice: the police reach them through Qorgau's questions, not by phone.
    contact_only_through_qorgau = models.BooleanField(
        _("contact me only through Qorgau"),
        default=False,
        help_text=_("The police then ask their questions in Qorgau instead of calling."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Surname, given name, patronymic: how names are written in Kazakhstan (Django writes "given surname")."""
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part).strip()

    @cached_property
    def role_names(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_perm(self, perm: str, obj=None) -> bool:
        """Django's check, except that reporting and case work come only with the roles that do them.

        Django gives an active superuser every permission; here a superuser is an administrator, who uses
        admin and statistics, not the report form or the case pages, unless given one of those roles too.
        """
        if self.is_active and self.is_superuser and perm in NOT_FOR_ADMINISTRATORS:
            return any(perm in ROLE_PERMISSIONS.get(role, ()) for role in self.role_names)
        return super().has_perm(perm, obj)

    async def ahas_perm(self, perm: str, obj=None) -> bool:
        return await sync_to_async(self.has_perm)(perm, obj)

    def has_role(self, role: str) -> bool:
        return role in self.role_names or (role == Role.ADMINISTRATOR and self.is_superuser)

    @property
    def is_reporter(self) -> bool:
        return self.has_role(Role.REPORTER)

    @property
    def is_facility_lead(self) -> bool:
        return self.has_role(Role.FACILITY_LEAD)

    @property
    def is_police_officer(self) -> bool:
        return self.has_role(Role.POLICE_OFFICER)

    @property
    def is_ministry_analyst(self) -> bool:
        return self.has_role(Role.MINISTRY_ANALYST)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)


class FacilityMembership(models.Model):
    """Ties a medical worker (or a facility lead) to a facility they report from or oversee."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="facility_memberships", verbose_name=_("user")
    )
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("facility")
    )
    department = models.ForeignKey(
        "facilities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    is_lead = models.BooleanField(
        _("facility lead"), default=False, help_text=_("A lead sees every report of this facility.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("facility membership")
        verbose_name_plural = _("facility memberships")
        constraints = [models.UniqueConstraint(fields=["user", "facility"], name="facility_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.facility}"


class PostAssignment(models.Model):
    """Ties a police officer to a police post whose cases they work."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="post_assignments", verbose_name=_("user"))
    post = models.ForeignKey(
        "facilities.PolicePost", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("police post")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("police post assignment")
        verbose_name_plural = _("police post assignments")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="post_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.post}"


class PoliceDepartmentAssignment(models.Model):
    """Ties an officer to a district police department: they work cases routed there directly."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="department_assignments", verbose_name=_("user")
    )
    police_department = models.ForeignKey(
        "facilities.PoliceDepartment",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("police department"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("police department assignment")
        verbose_name_plural = _("police department assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "police_department"], name="department_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.police_department}"
