"""Reads for the reporting side: the reporter's and the facility lead's lists, a report's timeline."""

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from incidents import access, events
from incidents.models import CaseMessage, Incident, IncidentEvent, ReportDraft, Status, VictimCompensation
from incidents.selectors.tagging import LegalShown, legal_shown, parts_shown
from incidents.workflow import LEAD_WATCHED_STATUSES
from legal.audiences import Audience
from legal.presentation import AssessmentShown, OverrideShown

LIST_RELATED = ("facility", "police_post", "police_post__facility", "police_department")


def _count(queryset: QuerySet[CaseMessage]) -> Subquery:
    return Subquery(queryset.values("incident").annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def _with_list_facts(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    unanswered = CaseMessage.objects.filter(incident=OuterRef("pk"), kind=CaseMessage.Kind.QUESTION).exclude(
        replies__kind=CaseMessage.Kind.ANSWER
    )
    from_police = CaseMessage.objects.filter(
        incident=OuterRef("pk"), kind__in=[CaseMessage.Kind.QUESTION, CaseMessage.Kind.REPLY]
    )
    return (
        queryset.select_related(*LIST_RELATED)
        .annotate(open_questions=Coalesce(_count(unanswered), 0), police_messages=Coalesce(_count(from_police), 0))
        .order_by("-submitted_at")
    )


def reports_of_reporter(user: User) -> QuerySet[Incident]:
    """The user's own reports, newest first, with counts of police messages and unanswered questions."""
    return _with_list_facts(access.incidents_for_reporter(user))


def reports_of_facility_lead(
    user: User, *, facility_id: int | None = None, status: str | None = None
) -> QuerySet[Incident]:
    """Every report of the facilities the user leads, optionally narrowed to one facility or status."""
    queryset = access.incidents_for_facility_lead(user)
    if facility_id:
        queryset = queryset.filter(facility_id=facility_id)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return _with_list_facts(queryset.select_related("reporter"))


@dataclass(frozen=True)
class NeedsAttention:
    questions: list[Incident]  # the police asked, the reporter has not answered
    overdue: list[Incident]  # past the post's own time limits (`workflow.LEAD_WATCHED_STATUSES`)
    on_sick_leave: list[Incident]  # a victim's sick leave runs today (`sick_leave_now` days long)

    @property
    def empty(self) -> bool:
        return not (self.questions or self.overdue or self.on_sick_leave)


# Sick leave, in days from the incident's date: the post's compensation record of a victim (the certificate's figure)
# wins over the reporter's estimate on the report; of several victims, the longest. This is its one home.
SICK_LEAVE_LOOKBACK = dt.timedelta(days=366)


def _recorded_sick_leave() -> Subquery:
    """The longest sick leave the post recorded for a victim of the report (None when none is recorded)."""
    return Subquery(
        VictimCompensation.objects.filter(victim__incident=OuterRef("pk"), sick_leave_days__isnull=False)
        .order_by("-sick_leave_days")
        .values("sick_leave_days")[:1]
    )


def needs_attention_of_facility_lead(user: User, *, now: dt.datetime | None = None) -> NeedsAttention:
    """The reports of the lead's facilities that wait on someone: a question, the post, a victim off work."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    unanswered = CaseMessage.objects.filter(incident=OuterRef("pk"), kind=CaseMessage.Kind.QUESTION).exclude(
        replies__kind=CaseMessage.Kind.ANSWER
    )
    overdue = Q(status__in=LEAD_WATCHED_STATUSES, due_at__lt=now)
    recent_leave = Q(sick_leave_now__gt=0, occurred_at__gte=now - SICK_LEAVE_LOOKBACK)
    # One query for the three lists: each report with the flags that put it on them.
    candidates = (
        access.incidents_for_facility_lead(user)
        .exclude(status=Status.CANCELLED)
        .annotate(
            asked=Exists(unanswered),
            late=ExpressionWrapper(overdue, output_field=BooleanField()),
            sick_leave_now=Coalesce(_recorded_sick_leave(), "sick_leave_days"),
        )
        .filter(Q(asked=True) | overdue | recent_leave)
        .only("pk", "reference", "status", "occurred_at", "sick_leave_days")
        .order_by("-submitted_at")
    )
    attention = NeedsAttention(questions=[], overdue=[], on_sick_leave=[])
    for incident in candidates:
        if incident.asked:
            attention.questions.append(incident)
        if incident.late:
            attention.overdue.append(incident)
        leave = incident.sick_leave_now or 0
        if leave and timezone.localdate(incident.occurred_at) + dt.timedelta(days=leave) > today:
            attention.on_sick_leave.append(incident)
    return attention


def open_questions_count_of_reporter(user: User) -> int:
    """How many police questions wait for this reporter's answer, over all their reports."""
    return (
        CaseMessage.objects.filter(
            incident__in=access.incidents_for_reporter(user).values("pk"), kind=CaseMessage.Kind.QUESTION
        )
        .exclude(replies__kind=CaseMessage.Kind.ANSWER)
        .count()
    )


def open_drafts_of(user: User) -> QuerySet[ReportDraft]:
    """Drafts the user started and has not submitted yet, newest first."""
    return (
        ReportDraft.objects.filter(owner=user, submitted_incident__isnull=True)
        .annotate(upload_count=Count("uploads"))
        .order_by("-updated_at")
    )


def report_for_detail(user: User, pk: int) -> Incident:
    """The report with what its page shows, loaded through the access helper (404 for outsiders)."""
    incident = access.get_incident_for_reporter(user, pk)
    incident = (
        Incident.objects.select_related(*LIST_RELATED, "department", "district", "reporter")
        .prefetch_related(
            "victims",
            "attackers",
            "evidence",
            Prefetch("messages", queryset=CaseMessage.objects.select_related("author").prefetch_related("replies")),
        )
        .get(pk=incident.pk)
    )
    incident.attackers_as_reported = attackers_as_reported(incident)
    return incident


@dataclass(frozen=True)
class ReportedAttacker:
    relation: str
    description: str
    full_name: str = ""
    iin_given: bool = False


def attackers_as_reported(incident: Incident) -> list[ReportedAttacker]:
    """The attackers as the reporter described them, for the reporting side.

    What the police recorded about a suspect (a person they added, a name or IIN they set) is police
    data: it is left out here, and only the reporter's own words are kept.
    """
    added_by_police = events.police_added_attacker_ids(incident.events.all())
    attackers = []
    for attacker in incident.attackers.all():
        if attacker.pk in added_by_police:
            continue
        police = attacker.identified_by_police
        attackers.append(
            ReportedAttacker(
                relation=attacker.get_relation_display(),
                description=attacker.description,
                full_name="" if police else attacker.full_name,
                iin_given=bool(attacker.iin) and not police,
            )
        )
    return attackers


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    event: IncidentEvent | None = None
    message: CaseMessage | None = None
    detail: str = ""


def _event_detail(event: IncidentEvent) -> str:
    """What the reporter needs to know of an event besides its kind: the outcome, the ERDR number, her reason."""
    return events.outcome_label_of(event) or events.erdr_number_of(event) or events.withdrawal_reason_of(event)


def report_timeline(incident: Incident) -> list[TimelineEntry]:
    """What the reporter may see of the case history: visible events and the messages, oldest first."""
    history = [
        TimelineEntry(at=event.created_at, event=event, detail=_event_detail(event))
        for event in incident.events.filter(visible_to_reporter=True).exclude(kind__in=events.SHOWN_AS_MESSAGES)
    ]
    messages = [
        TimelineEntry(at=message.created_at, message=message)
        for message in incident.messages.select_related("author", "in_reply_to")
    ]
    return sorted([*history, *messages], key=lambda entry: entry.at)


def open_questions_of(incident: Incident) -> list[CaseMessage]:
    """The officer's questions the reporter has not answered yet."""
    return list(
        incident.messages.filter(kind=CaseMessage.Kind.QUESTION)
        .exclude(replies__kind=CaseMessage.Kind.ANSWER)
        .order_by("created_at")
    )


def with_parts_shown(page: Page[Incident]) -> Page[Incident]:
    """The page's reports, each with `part_shown`: the part the reporting side may read (`legal.audiences`)."""
    reports: list[Incident] = list(page.object_list)
    parts = parts_shown(reports, Audience.REPORTING)
    for report in reports:
        report.part_shown = parts[report.pk]
    page.object_list = reports
    return page


class LegalContext(TypedDict):
    assessment: AssessmentShown | None
    override: OverrideShown | None
    tag: LegalShown


def legal_context(incident: Incident) -> LegalContext:
    """What the reporting pages show of the legal tag: the assessment and the override as the reporter and the
    facility lead may read them (no match with other cases, no officer's reason or name), and the tag line."""
    shown = legal_shown(incident, Audience.REPORTING)
    return {"assessment": shown.assessment, "override": shown.override, "tag": shown}


def own_claim_status(incident: Incident, user: User) -> str:
    """The status of the user's own civil claim in this case (a `ClaimStatus` label), "" when none is recorded.

    Only the status and only the user's own: the amounts, the other victims' claims and the support given stay
    with the police.
    """
    if incident.reporter_id != user.pk:
        return ""
    record = (
        VictimCompensation.objects.filter(victim__incident=incident)
        .filter(Q(victim__user=user) | Q(victim__is_reporter=True))
        .only("claim_status")
        .first()
    )
    return str(record.get_claim_status_display()) if record is not None else ""
