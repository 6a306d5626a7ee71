"""An incident: what happened, when and where, who was hurt, who attacked, the evidence, and the police work."""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession
from common.choices import ChoiceLabelsMixin
from common.phones import PhoneNumberField
from incidents.models.choices import (
    PLACE_DEPARTMENT_KIND,
    Act,
    AttackerRelation,
    DutyLink,
    ForensicHarm,
    Injury,
    Outcome,
    Place,
    Procedure,
    Status,
    YesNoUnknown,
)
from legal.iin import iin_birth_date

# Qorgau's records start in 2019 (the Ministry's count of attacks on medics begins then): an earlier date typed for
# an incident or its registration is a typo.
EARLIEST_RECORD_DATE = dt.date(2019, 1, 1)


class Incident(ChoiceLabelsMixin, models.Model):
    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    idempotency_key = models.UUIDField(_("submission key"), unique=True, default=uuid.uuid4, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_incidents",
        verbose_name=_("reporter"),
    )
    reporter_confidential = models.BooleanField(
        _("confidential reporter"),
        default=False,
        help_text=_("The reporter's name is shown only to the police post and the facility lead."),
    )

    # What, when, where.
    act = models.CharField(_("what happened"), max_length=16, choices=Act.choices)
    occurred_at = models.DateTimeField(_("when it happened"), db_index=True)
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("facility")
    )
    department = models.ForeignKey(
        "facilities.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("department"),
    )
    place = models.CharField(_("place"), max_length=32, choices=Place.choices)
    district = models.ForeignKey(
        "facilities.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("district where it happened"),
        help_text=_("For an incident away from the facility."),
    )
    address = models.CharField(_("address where it happened"), max_length=255, blank=True)
    account = models.TextField(_("what happened, in your words"))

    # Details (optional).
    injury = models.CharField(_("injuries"), max_length=16, choices=Injury.choices, default=Injury.NONE)
    sick_leave_days = models.PositiveSmallIntegerField(_("sick-leave days"), null=True, blank=True)
    weapon_used = models.BooleanField(_("a weapon or object was used"), default=False)
    choked = models.BooleanField(_("the victim was choked"), default=False)
    attackers_count = models.PositiveSmallIntegerField(_("number of attackers"), default=1)
    attackers_agreed = models.CharField(
        _("the attackers acted together by agreement"),
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    circumstances = models.JSONField(_("circumstances"), default=list, blank=True)
    witnesses = models.TextField(_("witnesses"), blank=True)
    wants_prosecution = models.CharField(
        _("the victim wants to support prosecution"),
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    footage_available = models.BooleanField(_("video badge or CCTV footage available"), default=False)

    # Routing.
    police_post = models.ForeignKey(
        "facilities.PolicePost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("police post"),
    )
    police_department = models.ForeignKey(
        "facilities.PoliceDepartment",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("police department"),
    )

    # Police work.
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # When the police status last changed (or the case was handed to another post): status time limits count from it.
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    erdr_number = models.CharField(_("ERDR number"), max_length=32, blank=True)
    erdr_registered_on = models.DateField(_("ERDR registration date"), null=True, blank=True)
    forensic_harm = models.CharField(
        _("forensic degree of harm"), max_length=16, choices=ForensicHarm.choices, blank=True
    )
    forensic_recorded_at = models.DateTimeField(_("forensic result recorded at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("outcome reason"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The effective Article 380-3 part (an officer's override, else the computed tag), kept here for
    # filtering and statistics; the full assessments live in the legal app.
    legal_applicable = models.BooleanField(_("Article 380-3 applies"), null=True)
    legal_part = models.PositiveSmallIntegerField(_("Article 380-3 part"), null=True, blank=True, db_index=True)

    # Stored so that lists filter and count by a column (`due_at < now` is overdue); computed only by
    # `incidents.services.deadlines` whenever the status, the facts or the part change.
    procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)

    # Optimistic locking: every change bumps it, so two officers cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            ("report_incident", _("Can report an incident")),
            ("view_facility_incidents", _("Can see every incident of own facilities")),
            ("work_case", _("Can work police cases of own posts")),
            ("view_statistics", _("Can see aggregate statistics")),
        ]
        indexes = [
            # The officer's inbox, newest first: all cases, by status, by facility (which also lists the
            # facilities the filter offers). The included columns let the per-status and overdue counts
            # and a search by reference read only this index (PostgreSQL; elsewhere they are ignored).
            models.Index(fields=["police_post", "-submitted_at"], name="incident_post_recent"),
            models.Index(
                fields=["police_post", "status", "-submitted_at"],
                name="incident_post_inbox",
                include=["due_at", "legal_part", "reference", "id"],
            ),
            # The overdue cases of a post (the inbox's overdue tab) and of all posts (the overdue task): only
            # open cases have a `due_at`, so these stay small.
            models.Index(
                fields=["police_post", "due_at"], name="incident_post_due", condition=models.Q(due_at__isnull=False)
            ),
            models.Index(fields=["due_at"], name="incident_due", condition=models.Q(due_at__isnull=False)),
            models.Index(fields=["police_post", "facility", "-submitted_at"], name="incident_post_facility"),
            # The facility lead's list.
            models.Index(fields=["facility", "-submitted_at"], name="incident_facility_recent"),
            # The incidents of one facility and month: what an incremental statistics refresh recounts.
            models.Index(fields=["facility", "occurred_at"], name="incident_facility_occurred"),
            # The officer's search by any part of a reference or ERDR number (trigrams; PostgreSQL only, the
            # migration skips them elsewhere).
            GinIndex(fields=["reference"], name="incident_reference_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["erdr_number"], name="incident_erdr_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def department_beyond_place(self):
        """The department, unless it only repeats the place ('admission' in the emergency department)."""
        department = self.department
        if department is None or department.name:
            return department
        return None if department.kind == PLACE_DEPARTMENT_KIND.get(self.place) else department


class Victim(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="victims", verbose_name=_("incident"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    is_reporter = models.BooleanField(_("the reporter"), default=False)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    # `common.names.name_key` of the full name: what the officer's search by name matches.
    name_key = models.CharField(max_length=255, blank=True, editable=False)
    # A victim other than the reporter, as the reporter gave it; the reporter's own is in their profile.
    phone = PhoneNumberField(_("phone"), blank=True)
    role = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    duty_link = models.CharField(
        _("link to work"), max_length=16, choices=DutyLink.choices, default=DutyLink.PERFORMING
    )
    # For an intern, a medical student or a volunteer: what makes them a medical worker (Article 380-3).
    medical_qualification = models.BooleanField(_("holds a medical qualification"), default=False)
    medical_work = models.BooleanField(_("was doing medical work"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        indexes = [GinIndex(fields=["name_key"], name="victim_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        # A row's name goes where its content may not (admin titles and inlines, delete pages, logs): no names.
        return str(self.get_role_display())

    @property
    def duty_link_text(self) -> str:
        """How the act related to this victim's work, in the third person (the choices are the reporter's)."""
        return str(dict(DutyLink.about_someone()).get(self.duty_link, self.get_duty_link_display()))


class Attacker(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attackers", verbose_name=_("incident")
    )
    relation = models.CharField(
        _("who they were"), max_length=16, choices=AttackerRelation.choices, default=AttackerRelation.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    name_key = models.CharField(max_length=255, blank=True, editable=False)  # as the victim's
    # The IIN is shown to the police only; `iin_digest` (a keyed hash) is what repeat matching uses.
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    iin_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    minor = models.CharField(_("under 18"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    # Liability under Article 380-3 starts at 16 (CC 15), and a person under 16 is not counted in a group.
    under_16 = models.CharField(_("under 16"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Recorded as not of sound mind: not counted in a group of persons (CC 31).
    not_of_sound_mind = models.BooleanField(_("not of sound mind"), default=False)
    intoxicated = models.BooleanField(_("appeared intoxicated"), default=False)
    identified_by_police = models.BooleanField(_("identified by the police"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attacker")
        verbose_name_plural = _("attackers")
        indexes = [GinIndex(fields=["name_key"], name="attacker_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        # No name or IIN: a row's name is shown where its content is not (see Victim.__str__).
        return str(self.get_relation_display())

    @property
    def is_identified(self) -> bool:
        return bool(self.full_name or self.iin) or self.identified_by_police

    @property
    def known_birth_date(self) -> dt.date | None:
        """The date of birth: from the IIN when it has one, else as recorded."""
        return (iin_birth_date(self.iin) if self.iin else None) or self.birth_date


class EpisodeLink(models.Model):
    """An officer's finding that an earlier report of the same suspect is one continuing episode with this one
    (CC 12 p.3: the same suspect, the same victims, one shift under one intent), so it is not a repeat."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="episode_links", verbose_name=_("incident")
    )
    earlier = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("earlier report of the same episode")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("linked by")
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("link to one episode")
        verbose_name_plural = _("links to one episode")
        constraints = [models.UniqueConstraint(fields=["incident", "earlier"], name="episode_link_unique")]

    def __str__(self) -> str:
        return f"{self.incident_id} ~ {self.earlier_id}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Names are random: the original name is kept in the row, never trusted on disk.
    return f"evidence/{instance.incident_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        VIDEO = "video", _("video")
        AUDIO = "audio", _("audio")
        DOCUMENT = "document", _("document")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("incident")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        # Not the original name, which may name a person (see Victim.__str__).
        return f"{self.get_kind_display()} {self.sha256[:12]}"


class ReferenceCounter(models.Model):
    """The last reference number issued in a year; its row is locked by the UPDATE that takes a number."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
