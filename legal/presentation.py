"""Readable renderings of the statute's data (penalties) in the active language."""

from django.utils.translation import gettext as _

from common.numbers import group_digits
from legal import statute


def sanction_text(sanction: statute.Sanction) -> str:
    values = {"min": sanction.minimum, "max": sanction.maximum}
    ranged = sanction.minimum is not None
    if sanction.kind == "fine":
        return _("a fine of %(min)s to %(max)s MCI") % values
    if sanction.kind == "correctional_labour":
        return _("correctional labour of %(min)s to %(max)s MCI") % values
    if sanction.kind == "community_service":
        return _("community service of up to %(max)s hours") % values
    if sanction.kind == "restriction_of_liberty":
        if ranged:
            return _("restriction of liberty for %(min)s to %(max)s years") % values
        return _("restriction of liberty for up to %(max)s years") % values
    if sanction.kind == "imprisonment":
        if ranged:
            return _("imprisonment for %(min)s to %(max)s years") % values
        return _("imprisonment for up to %(max)s years") % values
    return sanction.kind


def penalty_lines(part: int | None, year: int | None = None) -> list[str]:
    """The alternative punishments of a part, one line each; a fine also in tenge at the MCI of `year`."""
    if not part or part not in statute.CURRENT.parts:
        return []
    mci = statute.CURRENT.mci(year) if year else None
    lines = []
    for sanction in statute.CURRENT.part(part).sanctions:
        text = sanction_text(sanction)
        if sanction.kind == "fine" and mci:
            text += " " + _("(%(min)s to %(max)s tenge)") % {
                "min": group_digits((sanction.minimum or 0) * mci),
                "max": group_digits(sanction.maximum * mci),
            }
        lines.append(text)
    return lines
