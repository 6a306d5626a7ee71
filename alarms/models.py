"""Alarms: an attack in progress, raised by an SOS, a panic button or a video badge, and how it reached people."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    """A panic button or a video badge registered to a place, so that its alarm says where without typing."""

    class Kind(models.TextChoices):
        BUTTON = "button", _("panic button")
        BADGE = "badge", _("video badge")

    device_id = models.CharField(_("device id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUTTON)
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="alarm_devices", verbose_name=_("facility")
    )
    post = models.ForeignKey(
        "facilities.PolicePost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alarm_devices",
        verbose_name=_("police post"),
        help_text=_("Leave blank to use the facility's active police post."),
    )
    department = models.ForeignKey(
        "facilities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["facility", "device_id"]
        verbose_name = _("alarm device")
        verbose_name_plural = _("alarm devices")

    def __str__(self) -> str:
        return self.device_id

    @property
    def place(self) -> str:
        """Department and room as one line ("" when neither is set)."""
        return ", ".join(part for part in (str(self.department or ""), self.room) if part)


class Alarm(models.Model):
    class Source(models.TextChoices):
        SOS = "sos", _("SOS button in Qorgau")
        BUTTON = "button", _("panic button")
        BADGE = "badge", _("video badge")
        DRILL = "drill", _("drill")

    class Status(models.TextChoices):
        RAISED = "raised", _("raised")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ARRIVED = "arrived", _("officer arrived")
        CLOSED = "closed", _("closed")
        FALSE_ALARM = "false_alarm", _("false alarm")

    OPEN_STATUSES = (Status.RAISED, Status.ACKNOWLEDGED, Status.ARRIVED)

    # The ladder's steps (alarms/services.py): who has been called so far.
    class Step(models.IntegerChoices):
        NONE = 0, _("nobody yet")
        ON_DUTY = 1, _("on-duty officers of the post")
        POST_AND_LEAD = 2, _("all officers of the post and the facility lead")
        DISTRICT = 3, _("duty unit of the district police department")

    idempotency_key = models.UUIDField(_("alarm key"), unique=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="alarms", verbose_name=_("facility")
    )
    post = models.ForeignKey(
        "facilities.PolicePost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alarms",
        verbose_name=_("police post"),
    )
    department = models.ForeignKey(
        "facilities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    place = models.CharField(_("where exactly"), max_length=255, blank=True)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="alarms", verbose_name=_("device")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_alarms",
        verbose_name=_("raised by"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    drill = models.BooleanField(_("drill"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RAISED)

    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    arrived_at = models.DateTimeField(_("officer arrived at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    false_alarm_reason = models.TextField(_("why it was a false alarm"), blank=True)

    # The ladder: the step reached, and when the next one is due (NULL once acknowledged or at the top). Stored so
    # that the sweep finds overdue steps by a column; set only by alarms/services.py.
    step = models.PositiveSmallIntegerField(_("escalation step"), choices=Step.choices, default=Step.NONE)
    next_step_at = models.DateTimeField(_("next escalation at"), null=True, blank=True)

    # The incident draft opened for the reporter; its report, once sent, is `draft.submitted_incident`.
    draft = models.ForeignKey(
        "incidents.ReportDraft",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarms",
        verbose_name=_("report draft"),
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarms",
        verbose_name=_("report"),
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        indexes = [
            models.Index(fields=["post", "-raised_at"], name="alarm_post_recent"),
            models.Index(
                fields=["next_step_at"], name="alarm_next_step", condition=models.Q(next_step_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.facility_id} {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def seconds_after_raised(self, moment: dt.datetime | None) -> float | None:
        """How long after the alarm `moment` came, to a tenth of a second (None when it has not come)."""
        if moment is None:
            return None
        return round((moment - self.raised_at).total_seconds(), 1)

    @property
    def where(self) -> str:
        """Department and place, as one line for the officer ("" when neither is known)."""
        department = str(self.department) if self.department_id else ""
        return ", ".join(part for part in (department, self.place) if part)


class AlarmDelivery(models.Model):
    """One message of one alarm through one channel to one recipient; its key makes a second send a no-op."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alarm"))
    channel = models.CharField(_("channel"), max_length=16)
    recipient = models.CharField(_("recipient"), max_length=512)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    step = models.PositiveSmallIntegerField(_("escalation step"), choices=Alarm.Step.choices)
    idempotency_key = models.CharField(_("delivery key"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    latency_ms = models.PositiveIntegerField(_("milliseconds from the alarm"), null=True, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    # A send in progress holds the row until then: a worker that died mid-send leaves it to the sweep.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["alarm", "step", "pk"]
        verbose_name = _("alarm delivery")
        verbose_name_plural = _("alarm deliveries")
        constraints = [
            models.UniqueConstraint(fields=["alarm", "channel", "recipient"], name="alarm_delivery_unique"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="alarm_delivery_pending",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.channel} {self.status}"


class AlarmEvent(models.Model):
    """The alarm's history: one row for everything that happened to it (written only by alarms/events.py)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("alarm raised")
        ESCALATED = "escalated", _("escalated")
        DELIVERED = "delivered", _("delivered")
        DELIVERY_FAILED = "delivery_failed", _("delivery failed")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ARRIVED = "arrived", _("officer arrived")
        PLACE_ADDED = "place_added", _("place added")
        FALSE_ALARM = "false_alarm", _("closed as a false alarm")
        CLOSED = "closed", _("closed")
        REPORT_LINKED = "report_linked", _("report linked")

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events", verbose_name=_("alarm"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # A device's or a system's API key that acted (the API raises alarms with them): its name as it was then and
    # its public prefix, never its secret nor its hash. Kept as text, since the alarms app does not import the API.
    actor_key_name = models.CharField(_("API key"), max_length=50, blank=True)
    actor_key_prefix = models.CharField(_("API key prefix"), max_length=8, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.kind}"

    @property
    def actor_key(self) -> str:
        """The key that acted, as the history shows it ("" when none did)."""
        return f"{self.actor_key_name} ({self.actor_key_prefix})" if self.actor_key_prefix else ""


class DutyEntry(models.Model):
    """One officer on a post's duty roster: on duty now or not, and whether they keep the roster."""

    post = models.ForeignKey(
        "facilities.PolicePost", on_delete=models.CASCADE, related_name="duty_roster", verbose_name=_("police post")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_entries", verbose_name=_("officer")
    )
    on_duty = models.BooleanField(_("on duty now"), default=False)
    is_senior = models.BooleanField(
        _("senior officer"), default=False, help_text=_("The senior officer keeps the post's duty roster.")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["post", "officer__last_name", "officer__first_name"]
        verbose_name = _("duty roster entry")
        verbose_name_plural = _("duty roster")
        constraints = [models.UniqueConstraint(fields=["post", "officer"], name="duty_entry_unique")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.officer_id}"
