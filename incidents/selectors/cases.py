"""Reads of the police side: the officer's inbox, deadlines, overdue cases, the legal data a case shows."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import User
from incidents import access, events
from incidents.models import CaseMessage, Incident, IncidentEvent, Notice, Procedure, Status
from incidents.selectors.notices import notice_language_name
from incidents.services.deadlines import investigation_last_day
from legal.statute import CURRENT


class ArticleText(TypedDict):
    article: str
    part: int
    title: str
    text: str


def case_article_text(incident: Incident, language: str) -> ArticleText | None:
    """The article's title and the text of the case's effective part, in `language`."""
    if not incident.legal_part:
        return None
    if incident.legal_part not in CURRENT.parts:
        return None
    return {
        "article": CURRENT.article,
        "part": incident.legal_part,
        "title": CURRENT.title_text(language),
        "text": CURRENT.part_text(incident.legal_part, language),
    }


@dataclass(frozen=True)
class Deadline:
    procedure: str
    label: Promise  # lazy: read in the language active where it is shown (each notice section has its own)
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def case_deadline(incident: Incident, *, today: dt.date | None = None) -> Deadline | None:
    """The pre-trial deadline (CPC 192) of a case under investigation, read from its stored `due_at`.

    None before the ERDR registration and once the case is sent to court, closed or cancelled.
    """
    if incident.status != Status.REGISTERED or incident.due_at is None or not incident.procedure:
        return None
    due = investigation_last_day(incident.due_at)
    today = today or timezone.localdate()
    return Deadline(
        procedure=incident.procedure,
        label=Procedure(incident.procedure).label,
        due=due,
        days_left=(due - today).days,
    )


def overdue_q(*, now: dt.datetime | None = None) -> Q:
    """Cases past the time limit of their status: the stored `due_at` has passed."""
    return Q(due_at__lt=now or timezone.now())


def with_overdue(cases: QuerySet[Incident], *, now: dt.datetime | None = None) -> QuerySet[Incident]:
    """The cases with `overdue` (a boolean) read from the stored `due_at`, for a list of cases."""
    return cases.annotate(overdue=ExpressionWrapper(overdue_q(now=now), output_field=BooleanField()))


def is_overdue(incident: Incident, *, now: dt.datetime | None = None) -> bool:
    return incident.due_at is not None and incident.due_at < (now or timezone.now())


def overdue_candidates(*, now: dt.datetime | None = None) -> QuerySet[Incident]:
    return Incident.objects.filter(overdue_q(now=now)).select_related("police_post", "police_department", "facility")


@dataclass
class InboxFilters:
    status: str = ""
    part: int | None = None
    facility: int | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    overdue: bool = False
    q: str = ""


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def case_inbox(
    user: User, filters: InboxFilters, *, now: dt.datetime | None = None, scope: QuerySet[Incident] | None = None
) -> QuerySet[Incident]:
    """The officer's cases (`scope`, if the caller has them), newest first, filtered, each with `overdue`."""
    scope = access.incidents_for_officer(user) if scope is None else scope
    cases = scope.select_related("facility", "police_post")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.part is not None:
        cases = cases.filter(legal_part=filters.part) if filters.part else cases.filter(legal_part__isnull=True)
    if filters.facility:
        cases = cases.filter(facility_id=filters.facility)
    # A range of submission times (not `__date`), so that the index on the submission time serves it.
    if filters.period_from:
        cases = cases.filter(submitted_at__gte=_local_midnight(filters.period_from))
    if filters.period_to:
        cases = cases.filter(submitted_at__lt=_local_midnight(filters.period_to + dt.timedelta(days=1)))
    if filters.q:
        # The references are matched on the inbox index alone (it includes them); only matches are read.
        cases = cases.filter(pk__in=scope.filter(reference__icontains=filters.q.strip()).values("pk"))
    if filters.overdue:
        cases = cases.filter(overdue_q(now=now))
    return with_overdue(cases, now=now).order_by("-submitted_at", "-pk")


def case_inbox_total(filters: InboxFilters, counts: dict[str, int]) -> int | None:
    """How many cases the filters leave, when `case_counts` already says it (so no second COUNT), else None."""
    if dataclasses.replace(filters, status="", overdue=False) != InboxFilters():
        return None
    if filters.status and filters.overdue:
        return None
    if filters.overdue:
        return counts["overdue"]
    return counts[filters.status] if filters.status else sum(counts[status] for status in Status.values)


def case_counts(
    user: User, *, now: dt.datetime | None = None, scope: QuerySet[Incident] | None = None
) -> dict[str, int]:
    """How many of the officer's cases are in each status, plus `overdue`: one query."""
    scope = access.incidents_for_officer(user) if scope is None else scope
    counts = scope.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        overdue=Count("pk", filter=overdue_q(now=now)),
    )
    return {name: counts[name] or 0 for name in counts}


class InboxLatest(TypedDict):
    latest_id: int | None
    latest_reference: str | None
    new: int


def case_inbox_latest(
    user: User, *, counts: dict[str, int] | None = None, scope: QuerySet[Incident] | None = None
) -> InboxLatest:
    """What the inbox poll needs: the newest case id and how many are waiting to be acknowledged."""
    cases = access.incidents_for_officer(user) if scope is None else scope
    latest = cases.order_by("-submitted_at", "-pk").values("pk", "reference").first()
    return {
        "latest_id": latest["pk"] if latest else None,
        "latest_reference": latest["reference"] if latest else None,
        "new": counts[Status.SUBMITTED] if counts is not None else cases.filter(status=Status.SUBMITTED).count(),
    }


def case_timeline(incident: Incident) -> list[IncidentEvent]:
    """The case history, oldest first, each event with what the page shows beside its kind.

    `outcome_label`: an outcome event is not always a closure; `erdr_number` and `reason` as recorded.
    """
    timeline = list(incident.events.select_related("actor"))
    for event in timeline:
        event.outcome_label = events.outcome_label_of(event)
        event.erdr_number = events.erdr_number_of(event)
        event.reason = events.reason_of(event)
    return timeline


def case_questions(incident: Incident) -> QuerySet[CaseMessage]:
    """The police's questions, oldest first, each with its answers (`replies`) and authors."""
    return (
        incident.messages.filter(kind=CaseMessage.Kind.QUESTION)
        .prefetch_related("replies__author")
        .select_related("author")
    )


def case_notices(incident: Incident) -> list[Notice]:
    """The notices, newest first, each with `number`: 1, 2, 3… in the order the case versions were noticed.

    The incident version (which counts every change, noticed or not) stays internal; the notices of one
    version in two languages share a number.
    """
    notices = list(incident.notices.order_by("-version", "language"))
    numbers = {version: index for index, version in enumerate(sorted({n.version for n in notices}), start=1)}
    for notice in notices:
        notice.number = numbers[notice.version]
        notice.language_name = notice_language_name(notice.language)
    return notices


def get_notice_for_officer(user: User, *, incident_pk: int, notice_pk: int) -> Notice:
    incident = access.get_incident_for_officer(user, incident_pk)
    return get_object_or_404(incident.notices, pk=notice_pk, status=Notice.Status.READY)
