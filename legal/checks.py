"""System check (`manage.py check`, every process start): next year's MCI is known from 1 December (issue 19).

Registered by `legal.apps`; reads the `MciValue` rows through the app registry, since this module is imported
before the models are ready.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from legal import statute
from legal.facts import ALMATY

# From this day of the year on, next year's MCI should be known (the budget law is adopted by December).
WARN_FROM = (12, 1)


def local_today() -> dt.date:
    return dt.datetime.now(tz=dt.UTC).astimezone(ALMATY).date()


def missing_next_year_mci(today: dt.date, known: Iterable[int]) -> int | None:
    """Next year, when it is 1 December or later and next year's MCI is not known; else None."""
    if (today.month, today.day) < WARN_FROM:
        return None
    return None if today.year + 1 in set(known) else today.year + 1


@register()
def next_year_mci_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    today = local_today()
    known = set(statute.CURRENT.mci_by_year) | set(getattr(settings, "QORGAU_MCI_BY_YEAR", {}) or {})
    if missing_next_year_mci(today, known) is None:
        return []
    try:
        known |= set(apps.get_model("legal", "MciValue").objects.values_list("year", flat=True))
    except DatabaseError:  # not migrated yet: the settings and the data decide
        pass
    year = missing_next_year_mci(today, known)
    if year is None:
        return []
    return [
        Warning(
            f"The MCI for {year} is not known: fines of acts in {year} will not be computed in tenge.",
            hint="Add it in admin (Legal > MCI values), or set QORGAU_MCI_BY_YEAR, or in legal/statute.py.",
            id="legal.W001",
        )
    ]
