"""Factories of the legal tests (attackers with IINs)."""

import factory

from incidents.models import Attacker, AttackerRelation, YesNoUnknown
from legal.iin import iin_check_digit, iin_digest, validate_iin


def make_iin(birth: str = "850517", century_sex: str = "3", serial: int = 1) -> str:
    """A valid IIN with this birth date (YYMMDD) and century/sex digit; the serial picks a checkable number."""
    for n in range(serial, serial + 10_000):
        first = f"{birth}{century_sex}{n % 10_000:04d}"
        digit = iin_check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise AssertionError("no IIN")


class AttackerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attacker

    relation = AttackerRelation.RELATIVE
    description = "Мужчина около 40 лет"
    minor = YesNoUnknown.NO

    class Params:
        iin_value = ""

    iin = factory.LazyAttribute(lambda a: validate_iin(a.iin_value) if a.iin_value else "")
    iin_digest = factory.LazyAttribute(lambda a: iin_digest(a.iin_value) if a.iin_value else "")
