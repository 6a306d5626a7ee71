"""Reporting periods: a calendar month, quarter or year in Asia/Almaty, written "2026-03", "2026-Q1", "2026".

Only whole periods are published: a month, quarter or year once it is over, and the year not over yet as its
whole quarters so far ("2026-01..2026-09", asked for as "2026"), beside the same quarters a year before. The
month under way is in no figure. So every period offered is a month, a quarter, a year or a year's first
quarters, and the difference of any two is a sum of whole months and quarters that are themselves published
(and suppressed together with them, `analytics.selectors.lattice`): a figure taken a week ago differs from
today's only when a month has ended, and then by that month, which is published with its own hidden cells.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})$"), YEAR),
)
_SO_FAR = re.compile(r"^(\d{4})-01\.\.(\d{4})-(03|06|09|12)$")


def local_zone() -> zoneinfo.ZoneInfo:
    """Asia/Almaty (TIME_ZONE): the zone every period and month of the statistics is counted in."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: dt.date) -> dt.datetime:
    """The moment a local day begins: a period's bounds as timestamps (`occurred_at >= start, < end`)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; `until` cuts it short (the same months a year before a period not over yet)."""

    start: dt.date  # first day (local)
    granularity: str
    until: dt.date | None = None  # the first day after a cut-short period

    @classmethod
    def parse(cls, text: str) -> "Period":
        so_far = _SO_FAR.match(text.strip())
        if so_far and so_far.group(1) == so_far.group(2) and 2000 <= int(so_far.group(1)) <= 2100:
            year, last = int(so_far.group(1)), int(so_far.group(3))
            if last == 12:
                return cls(dt.date(year, 1, 1), YEAR)
            return cls(dt.date(year, 1, 1), YEAR, until=dt.date(year, last + 1, 1))
        for pattern, granularity in _PATTERNS:
            match = pattern.match(text.strip())
            if not match:
                continue
            year = int(match.group(1))
            if not 2000 <= year <= 2100:
                break
            if granularity == MONTH:
                month = int(match.group(2))
                if not 1 <= month <= 12:
                    break
                return cls(dt.date(year, month, 1), MONTH)
            if granularity == QUARTER:
                return cls(dt.date(year, 3 * (int(match.group(2)) - 1) + 1, 1), QUARTER)
            return cls(dt.date(year, 1, 1), YEAR)
        raise ValueError(f"not a period: {text!r}")

    @classmethod
    def containing(cls, day: dt.date, granularity: str) -> "Period":
        if granularity == MONTH:
            return cls(day.replace(day=1), MONTH)
        if granularity == QUARTER:
            return cls(dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), QUARTER)
        return cls(dt.date(day.year, 1, 1), YEAR)

    @property
    def months(self) -> int:
        return {MONTH: 1, QUARTER: 3, YEAR: 12}[self.granularity]

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return self.until or add_months(self.start, self.months)

    @property
    def key(self) -> str:
        if self.until:
            return f"{self.start:%Y-%m}..{add_months(self.until, -1):%Y-%m}"
        if self.granularity == MONTH:
            return f"{self.start:%Y-%m}"
        if self.granularity == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.until:
            return f"{self.start:%Y-%m}–{add_months(self.until, -1):%Y-%m}"
        if self.granularity == QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return self.key

    def shifted(self, steps: int) -> "Period":
        return Period(add_months(self.start, steps * self.months), self.granularity)

    def year_earlier(self, today: dt.date | None = None) -> "Period":
        """The same period a year before; for a year's first quarters so far, the same quarters.

        2026 on 22 Nov 2026 is published as 2026-01..2026-09 and compares with 2025-01..2025-09.
        """
        until = add_months(self.until, -12) if self.until else None
        return Period(add_months(self.start, -12), self.granularity, until=until)

    def trend(self) -> list["Period"]:
        """The periods shown in the trend table, oldest first, ending with this one."""
        count = {MONTH: 12, QUARTER: 4, YEAR: 3}[self.granularity]
        return [self.shifted(-i) for i in range(count - 1, 0, -1)] + [self]

    def is_complete(self, today: dt.date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())

    @property
    def unfinished(self) -> bool:
        """Not over yet, or published cut short (the year under way as its quarters so far)."""
        return self.until is not None or not self.is_complete()


def published_before(today: dt.date | None = None) -> dt.date:
    """The first day of the month under way: no figure counts an incident of it or later."""
    return (today or timezone.localdate()).replace(day=1)


def year_so_far(year: int, today: dt.date | None = None) -> "Period | None":
    """The year `year` as published: whole, or its whole quarters so far; None while not one is over."""
    before = published_before(today)
    period = Period(dt.date(year, 1, 1), YEAR)
    if period.end <= before:
        return period
    quarter_start = Period.containing(add_months(before, -1), QUARTER).start
    if add_months(quarter_start, 3) <= before:
        quarter_start = add_months(quarter_start, 3)
    if quarter_start.year != year or quarter_start.month == 1:
        return None
    return Period(period.start, YEAR, until=quarter_start)


def published_period(period: Period, today: dt.date | None = None) -> Period:
    """The period as published: an unfinished year as its quarters so far; ValueError for a period not over."""
    today = today or timezone.localdate()
    if period.granularity == YEAR:
        published = year_so_far(period.start.year, today)
        if published is not None and (period.until is None or period.until == published.end):
            return published
        if published is not None and period.until and period.until < published.end:
            return period
    elif period.end <= published_before(today):
        return period
    raise ValueError(f"not over yet: {period.key}")


def last_complete_month(today: dt.date | None = None) -> Period:
    """The last complete month (what the monthly scheduled report covers)."""
    today = today or timezone.localdate()
    return Period(add_months(today.replace(day=1), -1), MONTH)


def default_period(today: dt.date | None = None, latest: dt.date | None = None) -> Period:
    """What the dashboard opens on: the current year's quarters so far, compared with the same a year before.

    A year is what the Ministry counts by and it has the most cases (fewer hidden cells). While no quarter of
    this year is over, or nothing has happened this year yet (`latest`, the newest month with incidents, is
    before it), the last year instead.
    """
    today = today or timezone.localdate()
    this_year = year_so_far(today.year, today)
    if this_year is None or (latest is not None and latest < this_year.start):
        return Period(dt.date(today.year - 1, 1, 1), YEAR)
    return this_year


def period_choices(first: dt.date | None, today: dt.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Years, quarters and months from the month of the first incident to the last one over, newest first."""
    today = today or timezone.localdate()
    before = published_before(today)
    first = (first or add_months(before, -12)).replace(day=1)
    first = max(first, add_months(before, -12 * 10))
    groups = []
    for granularity, title in ((YEAR, _("Years")), (QUARTER, _("Quarters")), (MONTH, _("Months"))):
        period = Period.containing(today, granularity)
        options = []
        if granularity == YEAR:
            so_far = year_so_far(today.year, today)
            if so_far is not None:
                label = _("%(period)s (not over yet: %(months)s)") % {"period": today.year, "months": so_far.label}
                options.append((str(today.year), label))
        while period.end > first:
            if period.end <= before:
                options.append((period.key, period.label))
            period = period.shifted(-1)
        if options:
            groups.append((title, options))
    return groups
