"""Where a report goes (the facility's police post, or a district's police department) and its reference number."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from facilities.models import District, Facility, PoliceDepartment, PolicePost
from incidents.models import Incident, Place, ReferenceCounter

REFERENCE_PREFIX = "ALA"
REFERENCE_DIGITS = 6


class RoutingError(ValidationError):
    """No police to send the report to (a district without a police department in the reference data)."""


def incident_route(
    *,
    facility: Facility,
    place: str,
    district: District | None = None,
) -> tuple[PolicePost | None, PoliceDepartment]:
    """Where a report goes: the facility's active post; away from the facility, the district's police."""
    if place in Place.away_from_facility():
        where = district or facility.district
        department = PoliceDepartment.objects.filter(district=where).first()
        if department is None:
            raise RoutingError(_("No police department is set up for this district yet; call 102."), code="no_police")
        return None, department
    post = facility.active_post()
    if post is not None:
        return post, post.police_department
    department = PoliceDepartment.objects.filter(district_id=facility.district_id).first()
    if department is None:
        raise RoutingError(_("No police is set up for this facility yet; call 102."), code="no_police")
    return None, department


def away_police_departments() -> dict[int, PoliceDepartment]:
    """Where a report from away from the facility goes, by district id (`incident_route`'s first branch)."""
    return {department.district_id: department for department in PoliceDepartment.objects.all()}


def _counter_take(year: int) -> int | None:
    """The year's next number, taken with one UPDATE … RETURNING (None when the year has no counter row yet)."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else None


def reference_next(*, year: int) -> str:
    """Take the next reference number of the year; call inside a transaction (the counter row stays locked)."""
    number = _counter_take(year)
    if number is not None:
        return f"{REFERENCE_PREFIX}-{year}-{number:0{REFERENCE_DIGITS}d}"
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    # Start after any number already issued (imported or older data), so the first one cannot collide.
    highest = Incident.objects.filter(reference__startswith=prefix).aggregate(top=Max("reference"))["top"]
    start = int(highest.removeprefix(prefix)) if highest else 0
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(year=year, last=start + 1)
    except IntegrityError:
        # Another submit created the year's row first: take a number from it like everyone else.
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{REFERENCE_PREFIX}-{year}-{number:0{REFERENCE_DIGITS}d}"
