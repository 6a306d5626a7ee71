"""Users of Qorgau and the facilities and police posts they belong to."""

import datetime as dt
from functools import cached_property
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import NOT_FOR_ADMINISTRATORS, ROLE_PERMISSIONS
from common.messengers import TelegramChatIdField
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
    # Protected by Article 380-3 only with a medical qualification while doing medical work (issue 19).
    INTERN = "intern", _("intern")
    MEDICAL_STUDENT = "medical_student", _("medical student")
    VOLUNTEER = "volunteer", _("volunteer")


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
    # Where Qorgau's Telegram bot writes to this person (alarms, and the notifications they chose).
    telegram_chat_id = TelegramChatIdField(
        _("Telegram chat id"),
        help_text=_("The number the Qorgau bot answers when the user writes /start to it."),
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


class NotificationKind(models.TextChoices):
    """What Qorgau tells a person about their cases outside its pages. Alarms are not here: they always go."""

    QUESTION = "question", _("The police asked me a question")
    OUTCOME = "outcome", _("My case has an outcome")
    NEW_CASE = "new_case", _("A new case at my post")
    OVERDUE = "overdue", _("A case of my post is overdue")


# The kinds each side of a case receives (the settings page offers these).
REPORTER_KINDS = (NotificationKind.QUESTION, NotificationKind.OUTCOME)
OFFICER_KINDS = (NotificationKind.NEW_CASE, NotificationKind.OVERDUE)
# The channels a person chooses among for notifications (alarms use every channel they have).
NOTIFICATION_CHANNELS = ("webpush", "telegram", "email")


class NotificationPreferences(models.Model):
    """Which notifications a person wants, by which channels, and when not to be disturbed. No row: everything on."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("user")
    )
    question = models.BooleanField(NotificationKind.QUESTION.label, default=True)
    outcome = models.BooleanField(NotificationKind.OUTCOME.label, default=True)
    new_case = models.BooleanField(NotificationKind.NEW_CASE.label, default=True)
    overdue = models.BooleanField(NotificationKind.OVERDUE.label, default=True)
    by_webpush = models.BooleanField(_("push notifications on this phone or computer"), default=True)
    by_telegram = models.BooleanField(_("Telegram"), default=True)
    by_email = models.BooleanField(_("e-mail"), default=True)
    # Local time (Asia/Almaty). quiet_from > quiet_until spans midnight (22:00-07:00).
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | models.Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="notification_quiet_hours_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str, channel: str) -> bool:
        """Whether this kind of notification may go through this channel."""
        return bool(getattr(self, NotificationKind(kind).value)) and bool(getattr(self, f"by_{channel}", False))

    def quiet_end(self, now: dt.datetime) -> dt.datetime | None:
        """When the quiet hours around `now` end (aware), or None when `now` is not in them."""
        if self.quiet_from is None or self.quiet_until is None or self.quiet_from == self.quiet_until:
            return None
        local = now.astimezone(timezone.get_current_timezone())
        clock = local.time().replace(tzinfo=None)
        start, end = self.quiet_from, self.quiet_until
        inside = start <= clock < end if start < end else (clock >= start or clock < end)
        if not inside:
            return None
        end_day = local.date() if clock < end else local.date() + dt.timedelta(days=1)
        naive = dt.datetime.combine(end_day, end)
        return timezone.make_aware(naive, timezone.get_current_timezone())


def notification_preferences_of(user: User) -> NotificationPreferences:
    """The user's preferences, or the defaults (everything on, no quiet hours) when they never saved any."""
    try:
        return user.notification_preferences
    except NotificationPreferences.DoesNotExist:
        return NotificationPreferences(user=user)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def push_endpoint_allowed(endpoint: str) -> bool:
    """Whether Qorgau may post to this push service endpoint: one of QORGAU_WEBPUSH_ALLOWED_HOSTS, over https (or
    on loopback, where the tests' push service is)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        return False
    for allowed in settings.QORGAU_WEBPUSH_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:])):
            return True
    return False


class PushSubscription(models.Model):
    """A browser's Web Push subscription (its push service endpoint and keys), for one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("user"))
    # The push service's capability URL: whoever has it can push to the browser (with our VAPID key).
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("browser public key (p256dh)"), max_length=128)
    auth = models.CharField(_("auth secret"), max_length=64)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"
