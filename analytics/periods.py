"""Reporting periods: a calendar month, quarter or year in Asia/Almaty, written "2026-03", "2026-Q1", "2026"."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})$"), YEAR),
)


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
        """The same period a year before; for a quarter or year not over yet, only its months so far.

        2026 on 22 Nov 2026 compares with 2025-01–2025-11, not with all of 2025. Counts are kept per
        month, so the current month is whole on both sides.
        """
        earlier = Period(add_months(self.start, -12), self.granularity)
        today = today or timezone.localdate()
        if self.granularity == MONTH or self.is_complete(today) or self.start > today:
            return earlier
        return Period(earlier.start, self.granularity, until=add_months(today.replace(day=1), 1 - 12))

    def trend(self) -> list["Period"]:
        """The periods shown in the trend table, oldest first, ending with this one."""
        count = {MONTH: 12, QUARTER: 4, YEAR: 3}[self.granularity]
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]

    def is_complete(self, today: dt.date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())


def last_complete_month(today: dt.date | None = None) -> Period:
    """The last complete month (what the monthly scheduled report covers)."""
    today = today or timezone.localdate()
    return Period(add_months(today.replace(day=1), -1), MONTH)


def default_period(today: dt.date | None = None, latest: dt.date | None = None) -> Period:
    """What the dashboard opens on: the current year to date, compared with the same months a year before.

    A year is what the Ministry counts by and it has the most cases (fewer hidden cells); a month just
    begun would open on zeros. When nothing has happened this year yet (`latest`, the newest month with
    incidents, is before it), the last year instead.
    """
    today = today or timezone.localdate()
    year = Period.containing(today, YEAR)
    if latest is not None and latest < year.start:
        return year.shifted(-1)
    return year


def period_choices(first: dt.date | None, today: dt.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Years, quarters and months from the month of the first incident to today, newest first."""
    today = today or timezone.localdate()
    first = (first or add_months(today.replace(day=1), -12)).replace(day=1)
    first = max(first, add_months(today.replace(day=1), -12 * 10))
    groups = []
    for granularity, title in ((YEAR, _("Years")), (QUARTER, _("Quarters")), (MONTH, _("Months"))):
        period = Period.containing(today, granularity)
        options = []
        while period.end > first:
            label = (
                period.label if period.is_complete(today) else _("%(period)s (not over yet)") % {"period": period.label}
            )
            options.append((period.key, label))
            period = period.shifted(-1)
        groups.append((title, options))
    return groups
