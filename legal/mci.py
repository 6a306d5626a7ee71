"""The statute in force with the MCI values added without a code release: settings and admin (issue 19).

The statute data (`legal.statute`) wins for a year it has; for a later year, `QORGAU_MCI_BY_YEAR` and then the
`MciValue` rows an administrator added (audited) fill in. `legal.checks` warns from 1 December when next year's
value is in none of them.
"""

from django.conf import settings

from legal import statute
from legal.models import MciValue


def extra_mci() -> dict[int, int]:
    """MCI values beyond the statute data: the settings', then the administrators' (which win over settings)."""
    values = dict(getattr(settings, "QORGAU_MCI_BY_YEAR", {}) or {})
    values.update(dict(MciValue.objects.values_list("year", "value")))
    return values


def statute_in_force() -> statute.StatuteVersion:
    """The statute version the app assesses with: the data, plus MCI values added since the release."""
    return statute.CURRENT.with_mci(extra_mci())
