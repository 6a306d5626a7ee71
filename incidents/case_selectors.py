"""Reads of the police side: the officer's inbox, deadlines, overdue cases, the legal data a case shows."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from incidents import access
from incidents.models import OUTCOME_EVENTS, Incident, IncidentEvent, Notice, Outcome, Status
from incidents.services.notices import notice_language_name

OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED)
INVESTIGATION_MONTHS = {"inquiry": 1, "preliminary_investigation": 2}
PROCEDURE_LABELS = {"inquiry": _("inquiry"), "preliminary_investigation": _("preliminary investigation")}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def case_assessment(incident: Incident):
    """The current (newest) legal assessment, or None before the legal app has assessed the case."""
    return incident.assessments.order_by("-sequence").first()


def case_procedure(incident: Incident) -> str | None:
    """`inquiry` or `preliminary_investigation`: from the current assessment, else from the effective part."""
    assessment = case_assessment(incident)
    if assessment and incident.legal_part and incident.legal_part != assessment.part:
        # The officer set the part by hand: the procedure follows their part, on the assessed facts.
        from legal.rules import Facts, FactsError, part_procedure

        try:
            return part_procedure(Facts.from_json(assessment.facts), incident.legal_part)[0]
        except (FactsError, KeyError):
            pass
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
    from legal.statute import CURRENT

    if incident.legal_part not in CURRENT.parts:
        return None
    return {
        "article": CURRENT.article, "part": incident.legal_part, "title": CURRENT.title_text(language),
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
    return Deadline(procedure=procedure, label=PROCEDURE_LABELS[procedure], due=due,
                    days_left=(due - today).days)


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


def overdue_q(*, now: dt.datetime | None = None) -> Q:
    """Cases past the time limit of their status, as a filter (the ERDR deadline is checked in Python)."""
    now = now or timezone.now()
    return (
        Q(status=Status.SUBMITTED, submitted_at__lt=now - dt.timedelta(minutes=settings.QORGAU_ACK_DEADLINE_MINUTES))
        | Q(status=Status.ACKNOWLEDGED,
            acknowledged_at__lt=now - dt.timedelta(hours=settings.QORGAU_REGISTER_DEADLINE_HOURS))
        # One month is the shorter deadline: every overdue registered case is at least this old.
        | Q(status=Status.REGISTERED, erdr_registered_on__lt=timezone.localdate(now) - dt.timedelta(days=28))
    )


def is_overdue(incident: Incident, *, now: dt.datetime | None = None) -> bool:
    due = status_due_at(incident)
    return due is not None and due < (now or timezone.now())


def overdue_candidates(*, now: dt.datetime | None = None) -> QuerySet[Incident]:
    return Incident.objects.filter(overdue_q(now=now)).select_related(
        "police_post", "police_department", "facility")


@dataclass
class InboxFilters:
    status: str = ""
    part: int | None = None
    facility: int | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    overdue: bool = False
    q: str = ""


def case_inbox(user: User, filters: InboxFilters) -> QuerySet[Incident]:
    """The officer's cases, newest first, narrowed by the inbox filters."""
    cases = access.incidents_for_officer(user).select_related("facility", "police_post")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.part is not None:
        cases = cases.filter(legal_part=filters.part) if filters.part else cases.filter(legal_part__isnull=True)
    if filters.facility:
        cases = cases.filter(facility_id=filters.facility)
    if filters.period_from:
        cases = cases.filter(submitted_at__date__gte=filters.period_from)
    if filters.period_to:
        cases = cases.filter(submitted_at__date__lte=filters.period_to)
    if filters.q:
        cases = cases.filter(reference__icontains=filters.q.strip())
    if filters.overdue:
        overdue_pks = [case.pk for case in cases.filter(overdue_q()) if is_overdue(case)]
        cases = cases.filter(pk__in=overdue_pks)
    return cases.order_by("-submitted_at", "-pk")


def case_counts(user: User) -> dict[str, int]:
    """How many of the officer's cases are in each status, plus `overdue`."""
    cases = access.incidents_for_officer(user)
    counts = {row["status"]: row["n"] for row in cases.values("status").annotate(n=Count("pk")).order_by()}
    counts = {status: counts.get(status, 0) for status in Status.values}
    counts["overdue"] = sum(1 for case in cases.filter(overdue_q()) if is_overdue(case))
    return counts


def case_inbox_latest(user: User) -> dict:
    """What the inbox poll needs: the newest case id and how many are waiting to be acknowledged."""
    cases = access.incidents_for_officer(user)
    latest = cases.order_by("-submitted_at", "-pk").values("pk", "reference").first()
    return {
        "latest_id": latest["pk"] if latest else None,
        "latest_reference": latest["reference"] if latest else None,
        "new": cases.filter(status=Status.SUBMITTED).count(),
    }


def case_timeline(incident: Incident) -> list[IncidentEvent]:
    """The case history, oldest first; an outcome event gets `outcome_label` (it is not always a closure)."""
    events = list(incident.events.select_related("actor"))
    for event in events:
        outcome = (event.data or {}).get("outcome") if event.kind in OUTCOME_EVENTS else None
        event.outcome_label = str(Outcome(outcome).label) if outcome in Outcome.values else ""
    return events


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


def notice_number(incident: Incident, version: int) -> int:
    """The number `case_notices` gives the notices of `version`: 1 + the versions noticed before it."""
    return incident.notices.filter(version__lt=version).values("version").distinct().count() + 1


def get_notice_for_officer(user: User, *, incident_pk: int, notice_pk: int) -> Notice:
    from django.shortcuts import get_object_or_404

    incident = access.get_incident_for_officer(user, incident_pk)
    return get_object_or_404(incident.notices, pk=notice_pk, status=Notice.Status.READY)

