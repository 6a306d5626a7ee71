"""Incidents reported by medical staff and worked by police posts."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession


class Act(models.TextChoices):
    THREAT = "threat", _("threat")
    VIOLENCE = "violence", _("violence")


class Place(models.TextChoices):
    ADMISSION = "admission", _("admission / emergency department")
    WARD = "ward", _("ward")
    CORRIDOR = "corridor", _("corridor")
    AMBULANCE = "ambulance", _("ambulance")
    PATIENT_HOME = "patient_home", _("patient's home")
    STREET = "street", _("street")
    OTHER = "other", _("other")

    @classmethod
    def away_from_facility(cls) -> frozenset[str]:
        return frozenset({cls.PATIENT_HOME, cls.STREET})


class Injury(models.TextChoices):
    """What the reporter can tell without a forensic examination."""

    NONE = "none", _("no injury")
    PAIN = "pain", _("pain, no visible injury")
    VISIBLE = "visible", _("visible injury (bruise, cut)")
    TREATMENT = "treatment", _("needed medical treatment")
    HOSPITALISED = "hospitalised", _("hospitalised")


class ForensicHarm(models.TextChoices):
    """Degree of harm set by a forensic medical examination (the legal `harm` values)."""

    NONE = "none", _("no harm")
    PAIN = "pain", _("physical pain only")
    LIGHT = "light", _("light harm to health")
    MODERATE = "moderate", _("moderate harm to health")
    GRAVE = "grave", _("grave harm to health")
    DEATH = "death", _("death")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("don't know")


class Circumstance(models.TextChoices):
    EMERGENCY_SITUATION = "emergency_situation", _("an emergency situation (disaster, major accident)")
    MASS_RIOTS = "mass_riots", _("mass riots")
    STATE_OF_EMERGENCY_AREA = "state_of_emergency_area", _("an area under a state of emergency")
    ANTI_TERROR_OPERATION_AREA = "anti_terror_operation_area", _("an anti-terrorist operation area")


class DutyLink(models.TextChoices):
    """How the act relates to the victim's work, asked in plain words."""

    PERFORMING = "performing", _("while I was working")
    IN_CONNECTION = "in_connection", _("because of my work, though not while working")
    REVENGE = "revenge", _("as revenge for earlier treatment or care")
    NONE = "none", _("not related to work")

    @classmethod
    def about_someone(cls) -> list[tuple[str, str]]:
        """The same choices said of another person: for colleagues named as victims, and for the police."""
        return [
            (cls.PERFORMING, _("while working")),
            (cls.IN_CONNECTION, _("because of their work, though not while working")),
            (cls.REVENGE, cls.REVENGE.label),
            (cls.NONE, cls.NONE.label),
        ]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACKNOWLEDGED = "acknowledged", _("acknowledged by the police")
    REGISTERED = "registered", _("registered in the ERDR")
    SENT_TO_COURT = "sent_to_court", _("sent to court")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class Procedure(models.TextChoices):
    """The form of pre-trial investigation (which parts take which: `legal.statute`)."""

    INQUIRY = "inquiry", _("inquiry")
    PRELIMINARY_INVESTIGATION = "preliminary_investigation", _("preliminary investigation")


class Outcome(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", _("registered and under investigation")
    SENT_TO_COURT = "sent_to_court", _("sent to court")
    REFUSED = "refused", _("refused to start proceedings")
    NO_OFFENCE = "no_offence", _("no offence found")


# A department of this kind with no name of its own adds nothing to the place.
PLACE_DEPARTMENT_KIND = {Place.ADMISSION: "emergency", Place.WARD: "ward"}


class Incident(models.Model):
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
    role = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    duty_link = models.CharField(
        _("link to work"), max_length=16, choices=DutyLink.choices, default=DutyLink.PERFORMING
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("victim")
        verbose_name_plural = _("victims")

    def __str__(self) -> str:
        return self.full_name or self.get_role_display()

    @property
    def duty_link_text(self) -> str:
        """How the act related to this victim's work, in the third person (the choices are the reporter's)."""
        return str(dict(DutyLink.about_someone()).get(self.duty_link, self.get_duty_link_display()))


class AttackerRelation(models.TextChoices):
    PATIENT = "patient", _("patient")
    RELATIVE = "relative", _("patient's relative")
    VISITOR = "visitor", _("visitor")
    OTHER = "other", _("other")


class Attacker(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attackers", verbose_name=_("incident")
    )
    relation = models.CharField(
        _("who they were"), max_length=16, choices=AttackerRelation.choices, default=AttackerRelation.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    # The IIN is shown to the police only; `iin_digest` (a keyed hash) is what repeat matching uses.
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    iin_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    minor = models.CharField(_("under 18"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    intoxicated = models.BooleanField(_("appeared intoxicated"), default=False)
    identified_by_police = models.BooleanField(_("identified by the police"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attacker")
        verbose_name_plural = _("attackers")

    def __str__(self) -> str:
        return self.full_name or self.get_relation_display()

    @property
    def is_identified(self) -> bool:
        return bool(self.full_name or self.iin) or self.identified_by_police


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
        return self.original_name


class IncidentEvent(models.Model):
    """The case history: one row for everything that touched an incident."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("report submitted")
        EDITED = "edited", _("report edited")
        INFO_ADDED = "info_added", _("information added by the reporter")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        TAGGED = "tagged", _("legal tag computed")
        PART_OVERRIDDEN = "part_overridden", _("Article 380-3 part overridden")
        OVERRIDE_CLEARED = "override_cleared", _("override removed")
        REPEAT_FOUND = "repeat_found", _("possible repeat found")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        QUESTION_ASKED = "question_asked", _("question to the reporter")
        QUESTION_ANSWERED = "question_answered", _("reporter answered")
        ERDR_REGISTERED = "erdr_registered", _("registered in the ERDR")
        FORENSIC_RECORDED = "forensic_recorded", _("forensic result recorded")
        SUSPECT_IDENTIFIED = "suspect_identified", _("suspect identified")
        HANDED_OVER = "handed_over", _("handed to another police post")
        CLOSED = "closed", _("closed")
        OUTCOME_RECORDED = "outcome_recorded", _("outcome recorded")
        CANCELLED = "cancelled", _("cancelled")
        NOTICE_QUEUED = "notice_queued", _("notice queued")
        NOTICE_READY = "notice_ready", _("notice ready")
        NOTICE_FAILED = "notice_failed", _("notice failed")
        NOTICE_SENT = "notice_sent", _("notice e-mailed")
        OVERDUE = "overdue", _("overdue")
        VIEWED = "viewed", _("case opened")
        EVIDENCE_DOWNLOADED = "evidence_downloaded", _("evidence downloaded")
        NOTICE_DOWNLOADED = "notice_downloaded", _("notice downloaded")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events", verbose_name=_("incident"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Structured details (field changes, ids); rendered per language in templates, never free text only.
    data = models.JSONField(_("details"), default=dict, blank=True)
    visible_to_reporter = models.BooleanField(_("visible to the reporter"), default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"


class CaseMessage(models.Model):
    """A question from the police, the reporter's answer, or information the reporter adds later."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question from the police")
        ANSWER = "answer", _("answer from the reporter")
        INFO = "info", _("information from the reporter")
        REPLY = "reply", _("message from the police")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="messages", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"))
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"


class ReportDraft(models.Model):
    """A report being typed, saved server-side as the reporter goes, so nothing is lost."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    # No owner: a report posted after the session expired, kept until its author logs in again and claims it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_drafts",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    # For a kept (ownerless) report: the draft the form was editing, so the claim merges into it.
    resume_key = models.UUIDField(_("draft being edited"), null=True, blank=True, editable=False)
    data = models.JSONField(_("form data"), default=dict)
    submitted_incident = models.OneToOneField(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft", verbose_name=_("submitted as")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")

    def __str__(self) -> str:
        return str(self.key)


def draft_upload_to(instance: "DraftUpload", filename: str) -> str:
    return f"drafts/{instance.draft_id}/{uuid.uuid4().hex}"


class DraftUpload(models.Model):
    """A file attached to a draft: kept when the form has errors, moved to evidence on submit."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("draft"))
    file = models.FileField(_("file"), upload_to=draft_upload_to)
    kind = models.CharField(_("kind"), max_length=16, choices=Evidence.Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("draft upload")
        verbose_name_plural = _("draft uploads")

    def __str__(self) -> str:
        return self.original_name


class ReferenceCounter(models.Model):
    """The last reference number issued in a year; its row is locked by the UPDATE that takes a number."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def notice_upload_to(instance: "Notice", filename: str) -> str:
    return f"notices/{instance.incident_id}/{instance.incident_id}-v{instance.version}-{instance.language}.pdf"


class Notice(models.Model):
    """A PDF notice of an incident for the police post; one per incident version and language."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices", verbose_name=_("incident"))
    version = models.PositiveIntegerField(_("incident version"))
    language = models.CharField(_("language"), max_length=8, default="ru-kk")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(_("file"), upload_to=notice_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("render started at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("render time, ms"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-version", "language"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["incident", "version", "language"], name="notice_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} v{self.version} {self.language}"
