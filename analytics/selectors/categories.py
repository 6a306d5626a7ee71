"""What each statistics table lists, in order, with its labels.

Parts, acts and the protected professions come from the statute (`legal.statute.CURRENT`, read through
`legal.rules`), so a new law version changes the tables without a change here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Profession
from analytics.selectors.filters import Filters
from analytics.snapshot import ACT_VALUES, PART_NONE, PART_PENDING, STAGES
from facilities.models import District, Facility, FacilityKind
from incidents.models import Place
from legal.rules import part_act
from legal.statute import CURRENT as STATUTE
from legal.statute import PART_ACTS

# The eight victim categories: the professions the article protects, and everyone else.
PROFESSIONS = tuple(value for value in Profession.values if value in STATUTE.protected_roles)
OTHER_PROFESSION = "other"


def profession_group(role: str) -> str:
    return role if role in PROFESSIONS else OTHER_PROFESSION


def part_labels() -> list[tuple[str, str]]:
    labels = [(str(n), _("Part %(n)s") % {"n": n}) for n in STATUTE.part_numbers]
    return [*labels, (PART_NONE, _("Article 380-3 does not apply")), (PART_PENDING, _("not assessed yet"))]


def act_labels() -> list[tuple[str, str]]:
    names = {
        "threat": _("threat"),
        "violence_not_dangerous": _("violence not dangerous to life or health"),
        "violence_dangerous": _("violence dangerous to life or health"),
        "violence_unclassified": _("violence, danger not established yet"),
    }
    return [(value, names[value]) for value in ACT_VALUES]


def profession_labels() -> list[tuple[str, str]]:
    names = dict(Profession.choices)
    return [*[(value, str(names[value])) for value in PROFESSIONS], (OTHER_PROFESSION, _("other staff"))]


def place_labels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Place.choices]


def stage_labels() -> list[tuple[str, str]]:
    names = {
        "acknowledged": _("acknowledged by the police"),
        "registered": _("registered in the ERDR"),
        "sent_to_court": _("sent to court"),
        "closed": _("closed"),
    }
    return [("reported", _("reported")), *[(stage, names[stage]) for stage in STAGES]]


def parts_of_act(act: str) -> str:
    """The parts that punish `act`, as the data dictionary writes them ("3 or 4")."""
    numbers = [str(number) for number in STATUTE.part_numbers if part_act(number) == act]
    if len(numbers) < 2:
        return "".join(numbers)
    return _("%(parts)s or %(last)s") % {"parts": ", ".join(numbers[:-1]), "last": numbers[-1]}


def parts_by_act() -> dict[str, str]:
    """{act: its parts as text} for the data dictionary's explanation of the act table."""
    return {act: parts_of_act(act) for act in PART_ACTS}


@dataclass
class Categories:
    """The rows of each table, as (value, label) pairs or the rows' objects, in the order shown."""

    parts: list[tuple[str, str]]
    acts: list[tuple[str, str]]
    professions: list[tuple[str, str]]
    places: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    districts: list[District]
    facilities: list[Facility]  # by district name, then name


def categories_for(filters: Filters, facility_ids: set[int]) -> Categories:
    """The categories for the filters: every district (or the one chosen), and the facilities that had incidents."""
    facilities = list(Facility.objects.filter(pk__in=facility_ids).select_related("district"))
    if filters.own_facility_ids is not None:
        districts = list(District.objects.filter(facilities__pk__in=filters.own_facility_ids).distinct())
    else:
        districts = [filters.district] if filters.district else list(District.objects.all())
    for facility in facilities:
        if facility.district not in districts:
            districts.append(facility.district)
    kinds = [
        (kind, str(label))
        for kind, label in FacilityKind.choices
        if not filters.facility_kind or kind == filters.facility_kind
    ]
    return Categories(
        parts=part_labels(),
        acts=act_labels(),
        professions=profession_labels(),
        places=place_labels(),
        kinds=kinds,
        districts=districts,
        facilities=sorted(facilities, key=lambda facility: (facility.district.name, facility.name)),
    )
