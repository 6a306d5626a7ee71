"""What happened to a case: its history (one row per event) and the messages between the police and the reporter."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


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
        EPISODE_LINKED = "episode_linked", _("reports linked as one episode")
        EPISODE_UNLINKED = "episode_unlinked", _("link as one episode removed")
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
        WITHDRAWN = "withdrawn", _("withdrawn by the reporter")
        NOTICE_QUEUED = "notice_queued", _("notice queued")
        NOTICE_READY = "notice_ready", _("notice ready")
        NOTICE_FAILED = "notice_failed", _("notice failed")
        NOTICE_SENT = "notice_sent", _("notice e-mailed")
        OVERDUE = "overdue", _("overdue")
        VIEWED = "viewed", _("case opened")
        LEAD_VIEWED = "lead_viewed", _("report opened by the facility lead")
        ADMIN_VIEWED = "admin_viewed", _("case opened in administration")
        EVIDENCE_DOWNLOADED = "evidence_downloaded", _("evidence downloaded")
        EVIDENCE_FORWARDED = "evidence_forwarded", _("evidence copy handed over")
        NOTICE_DOWNLOADED = "notice_downloaded", _("notice downloaded")
        CASEFILE_REQUESTED = "casefile_requested", _("case file requested")
        CASEFILE_READY = "casefile_ready", _("case file ready")
        CASEFILE_FAILED = "casefile_failed", _("case file failed")
        CASEFILE_DOWNLOADED = "casefile_downloaded", _("case file downloaded")
        COMPENSATION_RECORDED = "compensation_recorded", _("compensation and support recorded")
        ALARM_LINKED = "alarm_linked", _("raised as an alarm first")
        ALARM_UPDATED = "alarm_updated", _("alarm answered")
        HANDOFF_DOWNLOADED = "handoff_downloaded", _("case handed off to a police system")

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
