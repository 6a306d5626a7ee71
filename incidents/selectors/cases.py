"""Reads of the police side: the officer's inbox, deadlines, overdue cases, the legal data a case shows."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import User
from incidents import access, events
from incidents.models import CaseMessage, Incident, IncidentEvent, Notice, Procedure, Status
from incidents.selectors.notices import notice_language_name
from incidents.selectors.summaries import scope_cached
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
        cases = cases.filter(pk__in=_reference_matches(scope, filters.q))
    if filters.overdue:
        cases = cases.filter(overdue_q(now=now))
    return with_overdue(cases, now=now).order_by("-submitted_at", "-pk")


def _reference_matches(scope: QuerySet[Incident], text: str) -> QuerySet[Incident]:
    """The ids of the cases whose reference contains `text`: one statement, the whole reference by its unique index.

    References are written in capitals (as the search reads them: selectors/search.py): a case-sensitive LIKE on
    the capitalised fragment can use the references' trigram index, where ILIKE's UPPER(reference) could not and
    read all the post's references instead. But a whole reference shares its common trigrams ("SEE", "-00"…) with
    every other one, and the trigram index then reads most of its postings (15 ms at a million cases, issue 14).
    References have one shape and one width, so a whole reference is part of no other: when one equals the text,
    it is the only match, and the LIKE (gated by NOT EXISTS, which PostgreSQL evaluates once) is not run.
    """
    fragment = text.strip().upper()
    exact = scope.filter(reference=fragment).order_by()
    contained = scope.filter(reference__contains=fragment).filter(~Exists(exact)).order_by()
    return exact.values("pk").union(contained.values("pk"), all=True)


def case_inbox_total_from_counts(filters: InboxFilters, counts: dict[str, int]) -> int | None:
    """How many cases the filters leave, when `case_counts` already says it (so no second COUNT), else None."""
    if dataclasses.replace(filters, status="", overdue=False) != InboxFilters():
        return None
    if filters.status and filters.overdue:
        return None
    if filters.overdue:
        return counts["overdue"]
    return counts[filters.status] if filters.status else sum(counts[status] for status in Status.values)


def case_counts(
    user: User | None = None, *, now: dt.datetime | None = None, scope: QuerySet[Incident] | None = None
) -> dict[str, int]:
    """How many of the officer's cases are in each status, plus `overdue`: one query."""
    if scope is None:
        assert user is not None  # noqa: S101 - the one or the other
        scope = access.incidents_for_officer(user)
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
    user: User | None = None, *, counts: dict[str, int] | None = None, cases: QuerySet[Incident] | None = None
) -> InboxLatest:
    """What the inbox poll needs: the newest case id and how many are waiting to be acknowledged."""
    if cases is None:
        assert user is not None  # noqa: S101 - the one or the other
        cases = access.incidents_for_officer(user)
    latest = cases.order_by("-submitted_at", "-pk").values("pk", "reference").first()
    return {
        "latest_id": latest["pk"] if latest else None,
        "latest_reference": latest["reference"] if latest else None,
        "new": counts[Status.SUBMITTED] if counts is not None else cases.filter(status=Status.SUBMITTED).count(),
    }


class InboxSummary(TypedDict):
    counts: dict[str, int]
    latest_id: int | None
    latest_reference: str | None
    facility_ids: list[int]


def case_inbox_summary(scope: access.OfficerScope) -> InboxSummary:
    """What the inbox and its poll show of the whole scope: counts, the newest case, the facilities it has.

    Cached between the writes that change the scope (incidents/selectors/summaries.py), so the busiest post's
    ninety thousand cases are counted once per change, not on every page and every poll.
    """

    def compute() -> InboxSummary:
        cases = access.incidents_in_scope(scope)
        counts = case_counts(scope=cases)
        latest = case_inbox_latest(counts=counts, cases=cases)
        return {
            "counts": counts,
            "latest_id": latest["latest_id"],
            "latest_reference": latest["latest_reference"],
            # One row per facility (the index on post, facility and time serves it), not per case.
            "facility_ids": sorted(cases.order_by().values_list("facility_id", flat=True).distinct()),
        }

    return scope_cached(scope, "summary", compute)


def case_inbox_total(
    filters: InboxFilters, counts: dict[str, int], *, scope: access.OfficerScope, cases: QuerySet[Incident]
) -> int:
    """How many cases the filters leave: from the counts when they say it, else counted once per change."""
    total = case_inbox_total_from_counts(filters, counts)
    if total is not None:
        return total
    return scope_cached(scope, f"total:{filters!r}", cases.count)


def case_timeline(incident: Incident) -> list[IncidentEvent]:
    """The case history, oldest first, each event with what the page shows beside its kind.

    `outcome_label`: an outcome event is not always a closure; `erdr_number` and `reason` as recorded;
    `alarm_id`: the alarm the report began as (its page, /alarms/<id>/); `kind_label`: the kind's name, from one
    table per call (`get_kind_display` translates every kind's name on each call: most of a long history's time).
    """
    prefetched = getattr(incident, "_prefetched_objects_cache", {}).get("events")  # read with the case (its page)
    timeline = list(prefetched if prefetched is not None else incident.events.select_related("actor"))
    kinds = dict(IncidentEvent.Kind.choices)
    for event in timeline:
        event.kind_label = kinds.get(event.kind, event.kind)
        event.outcome_label = events.outcome_label_of(event)
        event.erdr_number = events.erdr_number_of(event)
        event.reason = events.reason_of(event)
        event.alarm_id = events.alarm_of(event)
    return timeline


@dataclass
class Conversation:
    """The messages of a case: the police's questions, each with its answers (`answers`), and the reporter's notes."""

    questions: list[CaseMessage]
    notes: list[CaseMessage]


def case_conversation(incident: Incident) -> Conversation:
    """The case's questions (oldest first, each with `answers`) and the reporter's notes, with authors: one query."""
    messages = list(incident.messages.select_related("author"))
    answers: dict[int, list[CaseMessage]] = {}
    for message in messages:
        if message.in_reply_to_id is not None:
            answers.setdefault(message.in_reply_to_id, []).append(message)
    questions = [message for message in messages if message.kind == CaseMessage.Kind.QUESTION]
    for question in questions:
        question.answers = answers.get(question.pk, [])
    return Conversation(questions, [message for message in messages if message.kind == CaseMessage.Kind.INFO])


def case_questions(incident: Incident) -> list[CaseMessage]:
    """The police's questions, oldest first, each with its answers (`answers`) and authors."""
    return case_conversation(incident).questions


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
