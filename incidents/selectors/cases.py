"""Reads of the police side: the officer's inbox, deadlines, overdue cases, the legal data a case shows."""

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, In
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from incidents import access, events
from incidents.models import Incident, IncidentEvent, Notice, Status
from incidents.selectors.notices import notice_language_name
from incidents.selectors.tagging import assessment_current
from legal.models import LegalAssessment
from legal.statute import CURRENT

OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED)
INVESTIGATION_MONTHS = {"inquiry": 1, "preliminary_investigation": 2}
PROCEDURE_LABELS = {"inquiry": _("inquiry"), "preliminary_investigation": _("preliminary investigation")}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def case_procedure(incident: Incident) -> str | None:
    """`inquiry` or `preliminary_investigation`: from the current assessment, else from the effective part."""
    assessment = assessment_current(incident)
    if assessment and incident.legal_part and incident.legal_part != assessment.part:
        # The officer set the part by hand: the procedure follows their part, on the assessed facts (an
        # inquiry needs a known adult suspect, CPC 189 p.3). `overdue_q` applies the same rule in SQL.
        facts = assessment.facts or {}
        suspect_bars_inquiry = facts.get("suspect_identified") is False or facts.get("suspect_minor") is True
        return "inquiry" if incident.legal_part <= 3 and not suspect_bars_inquiry else "preliminary_investigation"
    procedure = (assessment.result or {}).get("procedure") if assessment else None
    if procedure in INVESTIGATION_MONTHS:
        return procedure
    if incident.legal_part:
        return "inquiry" if incident.legal_part <= 3 else "preliminary_investigation"
    return None


def case_article_text(incident: Incident, language: str) -> dict | None:
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
    """The pre-trial deadline (CPC 192: inquiry 1 month, preliminary investigation 2) once in the ERDR."""
    if not incident.erdr_registered_on:
        return None
    procedure = case_procedure(incident)
    if procedure is None:
        return None
    today = today or timezone.localdate()
    due = add_months(incident.erdr_registered_on, INVESTIGATION_MONTHS[procedure])
    return Deadline(procedure=procedure, label=PROCEDURE_LABELS[procedure], due=due, days_left=(due - today).days)


def status_due_at(incident: Incident) -> dt.datetime | None:
    """When the case's current status runs out (settings QORGAU_*_DEADLINE_*), or None with no limit."""
    if incident.status == Status.SUBMITTED:
        return incident.submitted_at + dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES)
    if incident.status == Status.ACKNOWLEDGED and incident.acknowledged_at:
        return incident.acknowledged_at + dt.timedelta(hours=settings.QORGAU_REGISTER_DEADLINE_HOURS)
    if incident.status == Status.REGISTERED:
        deadline = case_deadline(incident)
        if deadline:
            return timezone.make_aware(dt.datetime.combine(deadline.due + dt.timedelta(days=1), dt.time.min))
    return None


def _last_due_date(now: dt.datetime) -> dt.date:
    """The latest deadline day that has passed at `now`: `status_due_at` is the midnight after the day."""
    return timezone.localdate(now - dt.timedelta(microseconds=1)) - dt.timedelta(days=1)


def _erdr_cutoff(last_due: dt.date, months: int) -> dt.date:
    """The latest ERDR registration date whose `months` deadline falls on or before `last_due`.

    `add_months` clamps to the month's end (30 and 31 January both fall due on 28 February), so the
    latest such date can be a few days after `last_due` moved back by `months`.
    """
    day = add_months(last_due, -months)
    while add_months(day + dt.timedelta(days=1), months) <= last_due:
        day += dt.timedelta(days=1)
    return day


def _current_procedure() -> Subquery:
    """The procedure of the case's current (newest) assessment, NULL without one, for use inside a query."""
    return Subquery(
        LegalAssessment.objects.filter(incident=OuterRef("pk"))
        .order_by("-sequence")
        .values(procedure=KT("result__procedure"))[:1]
    )


def _part_set_by_hand() -> Q:
    """The case has a part of 1-6 that is not its current assessment's part (the officer changed it)."""
    current = LegalAssessment.objects.filter(incident=OuterRef("pk")).order_by("-sequence")
    current_part = Coalesce(Subquery(current.values("part")[:1]), Value(0))
    return Q(Exists(current), legal_part__gte=1) & ~Q(Exact(F("legal_part"), current_part))


def _suspect_bars_inquiry() -> Coalesce:
    """The current assessment's facts say the suspect is unknown or a minor (never NULL)."""
    current = (
        LegalAssessment.objects.filter(incident=OuterRef("pk"))
        .order_by("-sequence")
        .annotate(
            bars=ExpressionWrapper(
                Q(facts__suspect_identified=False) | Q(facts__suspect_minor=True), output_field=BooleanField()
            )
        )
    )
    return Coalesce(Subquery(current.values("bars")[:1]), Value(False), output_field=BooleanField())


def overdue_q(*, now: dt.datetime | None = None) -> Q:
    """Cases past the time limit of their status, as one database filter (the same rule as `is_overdue`)."""
    now = now or timezone.now()
    last_due = _last_due_date(now)
    inquiry_cutoff, investigation_cutoff = _erdr_cutoff(last_due, 1), _erdr_cutoff(last_due, 2)
    # Never NULL, so that NOT IN reads "not assessed" (NOT IN of a NULL is NULL, not true).
    procedure = Coalesce(_current_procedure(), Value(""), output_field=TextField())
    assessed = Q(In(procedure, list(INVESTIGATION_MONTHS)))
    inquiry = Q(Exact(procedure, "inquiry")) | (~assessed & Q(legal_part__gte=1, legal_part__lte=3))
    # A part set by hand (not the assessment's) decides the procedure, as in `case_procedure`.
    by_hand = _part_set_by_hand()
    inquiry = (by_hand & Q(legal_part__lte=3) & ~Q(Exact(_suspect_bars_inquiry(), True))) | (~by_hand & inquiry)
    return (
        Q(status=Status.SUBMITTED, submitted_at__lt=now - dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES))
        | Q(
            status=Status.ACKNOWLEDGED,
            acknowledged_at__lt=now - dt.timedelta(hours=settings.QORGAU_REGISTER_DEADLINE_HOURS),
        )
        # Past two months every procedure is overdue; between one and two months only an inquiry is.
        # The part is checked first: the assessment is looked up only for a case without one.
        | Q(status=Status.REGISTERED, erdr_registered_on__lte=investigation_cutoff) & (Q(legal_part__gte=1) | assessed)
        | Q(
            status=Status.REGISTERED,
            erdr_registered_on__gt=investigation_cutoff,
            erdr_registered_on__lte=inquiry_cutoff,
        )
        & inquiry
    )


def with_overdue(cases: QuerySet[Incident], *, now: dt.datetime | None = None) -> QuerySet[Incident]:
    """The cases with `overdue` (a boolean) computed by the database, for a list of cases."""
    return cases.annotate(overdue=ExpressionWrapper(overdue_q(now=now), output_field=BooleanField()))


def is_overdue(incident: Incident, *, now: dt.datetime | None = None) -> bool:
    due = status_due_at(incident)
    return due is not None and due < (now or timezone.now())


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


def case_inbox_latest(
    user: User, *, counts: dict[str, int] | None = None, scope: QuerySet[Incident] | None = None
) -> dict:
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
