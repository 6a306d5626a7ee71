"""Article 380-3 of the Criminal Code as data: one versioned place for the law's numbers and texts.

A new law version, a new year's MCI or a corrected translation is a change here (with a test), never
in the rules. The English article text is the translation in the seed (Law No. 252-VIII of 3 January
2026); the Russian and Kazakh texts are this project's UNOFFICIAL renderings of it: the official texts
are at adilet.zan.kz and prevail.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TypeVar

from legal.statute_texts import PART_TEXTS, TITLE

LOCAL_TIME_ZONE = "Asia/Almaty"

# Vocabularies of the tagger contract (ARTICLE-380-3.md, section 5).
ACTS = ("threat", "violence")
HARMS = ("none", "pain", "light", "moderate", "grave", "death")
# Harm to health (any degree) makes violence "dangerous to life or health" (court practice [L]).
DANGEROUS_HARMS = frozenset({"light", "moderate", "grave", "death"})
ROLES = (
    "doctor",
    "resident",
    "nurse",
    "feldsher",
    "midwife",
    "paramedic",
    "ambulance_driver",
    "pharmacist",
    "orderly",
    "registrar",
    "security",
    "other_staff",
    # Issue 19: people in training or helping, protected only when qualified and doing medical work.
    "intern",
    "medical_student",
    "volunteer",
)
DUTY_LINKS = ("performing", "in_connection", "revenge", "none")
CIRCUMSTANCES = ("emergency_situation", "mass_riots", "state_of_emergency_area", "anti_terror_operation_area")
AGGRAVATING_FEATURES = ("two_or_more_victims", "group", "group_prior_agreement", "repeat", *CIRCUMSTANCES)
PROCEDURES = ("inquiry", "preliminary_investigation")
# CPC 192: how many months each form of pre-trial investigation may take from the ERDR registration.
PROCEDURE_MONTHS = MappingProxyType({"inquiry": 1, "preliminary_investigation": 2})
# What each part punishes, in the statute's words (the statistics split violence by danger).
PART_ACTS = ("threat", "violence_not_dangerous", "violence_dangerous")
GRAVITIES = ("small", "medium", "grave", "especially_grave")

# CC art. 11 for intentional acts: the category follows the maximum term of imprisonment.
GRAVITY_MAX_YEARS = (("small", 2), ("medium", 5), ("grave", 12))


def gravity_for_max_term(years: int) -> str:
    for gravity, limit in GRAVITY_MAX_YEARS:
        if years <= limit:
            return gravity
    return "especially_grave"


@dataclass(frozen=True)
class Sanction:
    """One alternative punishment: `kind` with an optional minimum and a maximum in `unit`."""

    kind: str  # fine | correctional_labour | community_service | restriction_of_liberty | imprisonment
    maximum: int
    unit: str  # mci | hours | years
    minimum: int | None = None


@dataclass(frozen=True)
class StatutePart:
    number: int
    act: str  # threat | violence_not_dangerous | violence_dangerous
    aggravated: bool
    sanctions: tuple[Sanction, ...]
    max_term_years: int
    gravity: str
    procedure: str
    procedure_basis: str  # the CPC provision that assigns the procedure
    text: Mapping[str, str]  # language code -> text of the part

    @property
    def fine_mci(self) -> tuple[int, int] | None:
        for sanction in self.sanctions:
            if sanction.kind == "fine":
                return (sanction.minimum or 0, sanction.maximum)
        return None


@dataclass(frozen=True)
class GeneralArticle:
    """A general article of the Criminal Code to suggest when 380-3 does not fit, or alongside it."""

    number: str
    procedure: str  # as CPC assigns it, for information


@dataclass(frozen=True)
class MinorRules:
    """The General Part's rules on the age of the suspect that bear on this article (issue 19).

    CC art. 15 part 1: criminal liability starts at 16; part 2 lists the articles answerable from 14, and
    Article 380-3 is not among them. CC art. 81: a minor's fine is 5 to 100 MCI, imposed only when the minor
    has their own earnings or property; a minor is not sentenced to imprisonment for a crime of small or
    medium gravity. [L]: the General Part's text is not in the project's sources (/work/shared/legal); these
    rest on the defence lawyer's reading in issue 19, and CC 15 part 1 also on the Code's published text.
    """

    age_of_liability: int = 16  # CC 15 p.1 (380-3 is not in CC 15 p.2)
    age_of_majority: int = 18  # CC 15, 81 ("minor": under 18)
    fine_mci: tuple[int, int] = (5, 100)  # CC 81
    no_imprisonment_gravities: frozenset[str] = frozenset({"small", "medium"})  # CC 81


@dataclass(frozen=True)
class StatuteVersion:
    version: str  # bump on any change of this data
    law_number: str
    law_date: dt.date
    in_force: dt.date
    article: str
    title: Mapping[str, str]
    parts: Mapping[int, StatutePart]
    mci_by_year: Mapping[int, int]
    protected_roles: frozenset[str]
    doubtful_roles: frozenset[str]  # not protected by default, but may be: the tag warns
    general_articles: Mapping[str, GeneralArticle]
    inquiry_needs_known_adult_suspect: bool = True  # CPC 189 p.3, 191 p.13
    procedure_months: Mapping[str, int] = field(default_factory=lambda: PROCEDURE_MONTHS)  # CPC 192
    text_languages: tuple[str, ...] = field(default=("en", "ru", "kk"))
    minors: MinorRules = field(default_factory=MinorRules)
    # Interns, medical students and volunteers: protected only with a medical qualification while doing
    # medical work (Code on Public Health art. 1: a medical worker has professional medical education and
    # performs medical activity), and then with a warning to confirm both.
    trainee_roles: frozenset[str] = frozenset({"intern", "medical_student", "volunteer"})
    # CC 12 p.3: acts of one continuing episode are not a repeat. An IIN match with an earlier report at the
    # same facility less than this many hours before proposes linking them as one episode (issue 19).
    episode_window_hours: int = 24
    # CC 293 p.3: hooliganism with a weapon or an object used as a weapon (used or shown). Choking alone is
    # a dangerous method for 380-3 but not this part.
    hooliganism_weapon_part: int = 3
    # The Criminal Code of 3 July 2014 No. 226-V, in force from 1 January 2015 (its art. 467), whose article
    # numbers the general articles use; an earlier act falls under the Code of 16 July 1997 No. 167.
    general_articles_code_in_force: dt.date = dt.date(2015, 1, 1)

    def part(self, number: int) -> StatutePart:
        return self.parts[number]

    @property
    def part_numbers(self) -> tuple[int, ...]:
        """The parts of the article, in order (1 to 6 for Law No. 252-VIII)."""
        return tuple(sorted(self.parts))

    def has_part(self, number: object) -> bool:
        return isinstance(number, int) and not isinstance(number, bool) and number in self.parts

    def base_part(self, act: str, *, dangerous: bool) -> int:
        if act == "threat":
            return 1
        return 5 if dangerous else 3

    def mci(self, year: int) -> int | None:
        return self.mci_by_year.get(year)

    def with_mci(self, extra: Mapping[int, int]) -> "StatuteVersion":
        """This version with MCI values added by an administrator (the statute's own values win)."""
        if not extra or all(year in self.mci_by_year for year in extra):
            return self
        merged = {**extra, **self.mci_by_year}
        years = "-".join(str(year) for year in sorted(set(merged) - set(self.mci_by_year)))
        return replace(self, mci_by_year=_frozen(merged), version=f"{self.version}+mci-{years}")

    def minor_sanctions(self, number: int) -> tuple[Sanction, ...]:
        """The punishments of a part a court may impose on a minor (CC 81): the fine at the minors' range,
        no imprisonment for a crime of small or medium gravity; the rest as the part sets them."""
        part = self.parts[number]
        sanctions: list[Sanction] = []
        for sanction in part.sanctions:
            if sanction.kind == "fine":
                low, high = self.minors.fine_mci
                sanctions.append(Sanction("fine", minimum=low, maximum=high, unit="mci"))
            elif sanction.kind == "imprisonment" and part.gravity in self.minors.no_imprisonment_gravities:
                continue
            else:
                sanctions.append(sanction)
        return tuple(sanctions)

    def part_text(self, number: int, language: str | None) -> str:
        texts = self.parts[number].text
        code = (language or "ru")[:2]
        return texts.get(code) or texts["ru"]

    def title_text(self, language: str | None) -> str:
        code = (language or "ru")[:2]
        return self.title.get(code) or self.title["ru"]


_K = TypeVar("_K")
_V = TypeVar("_V")


def _frozen(mapping: dict[_K, _V]) -> Mapping[_K, _V]:
    return MappingProxyType(mapping)


# --- The article's text, part by part --------------------------------------------------------------------


_INQUIRY = ("inquiry", "CPC 191 p.2")
_INVESTIGATION = ("preliminary_investigation", "CPC 187 p.2")


def _part(
    number: int,
    act: str,
    aggravated: bool,
    sanctions: tuple[Sanction, ...],
    max_years: int,
    gravity: str,
    procedure: tuple[str, str],
) -> StatutePart:
    return StatutePart(
        number=number,
        act=act,
        aggravated=aggravated,
        sanctions=sanctions,
        max_term_years=max_years,
        gravity=gravity,
        procedure=procedure[0],
        procedure_basis=procedure[1],
        text=_frozen(PART_TEXTS[number]),
    )


LAW_252_VIII = StatuteVersion(
    version="252-VIII/2026-03-07/mci-2026",
    law_number="252-VIII",
    law_date=dt.date(2026, 1, 3),
    in_force=dt.date(2026, 3, 7),
    article="380-3",
    title=_frozen(TITLE),
    parts=_frozen(
        {
            1: _part(
                1,
                "threat",
                False,
                (
                    Sanction("fine", minimum=200, maximum=500, unit="mci"),
                    Sanction("correctional_labour", minimum=200, maximum=500, unit="mci"),
                    Sanction("community_service", maximum=300, unit="hours"),
                    Sanction("restriction_of_liberty", maximum=2, unit="years"),
                    Sanction("imprisonment", maximum=2, unit="years"),
                ),
                2,
                "small",
                _INQUIRY,
            ),
            2: _part(
                2,
                "threat",
                True,
                (
                    Sanction("restriction_of_liberty", minimum=2, maximum=3, unit="years"),
                    Sanction("imprisonment", minimum=2, maximum=3, unit="years"),
                ),
                3,
                "medium",
                _INQUIRY,
            ),
            3: _part(
                3,
                "violence_not_dangerous",
                False,
                (
                    Sanction("fine", minimum=500, maximum=1000, unit="mci"),
                    Sanction("correctional_labour", minimum=500, maximum=1000, unit="mci"),
                    Sanction("community_service", maximum=600, unit="hours"),
                    Sanction("restriction_of_liberty", minimum=2, maximum=3, unit="years"),
                    Sanction("imprisonment", minimum=2, maximum=3, unit="years"),
                ),
                3,
                "medium",
                _INQUIRY,
            ),
            4: _part(
                4,
                "violence_not_dangerous",
                True,
                (
                    Sanction("restriction_of_liberty", minimum=3, maximum=7, unit="years"),
                    Sanction("imprisonment", minimum=3, maximum=7, unit="years"),
                ),
                7,
                "grave",
                _INVESTIGATION,
            ),
            5: _part(
                5,
                "violence_dangerous",
                False,
                (Sanction("imprisonment", minimum=5, maximum=10, unit="years"),),
                10,
                "grave",
                _INVESTIGATION,
            ),
            6: _part(
                6,
                "violence_dangerous",
                True,
                (Sanction("imprisonment", minimum=7, maximum=12, unit="years"),),
                12,
                "grave",
                _INVESTIGATION,
            ),
        }
    ),
    # Monthly calculation index (МРП) in tenge, by the year of the act (CC art. 41), from the annual budget laws.
    mci_by_year=_frozen({2024: 3692, 2025: 3932, 2026: 4325}),
    # "A medical worker or an ambulance driver": professional medical education + medical activity
    # (Code on Public Health, art. 1), and ambulance drivers named in the article itself.
    protected_roles=frozenset({"doctor", "resident", "nurse", "feldsher", "midwife", "paramedic", "ambulance_driver"}),
    doubtful_roles=frozenset({"pharmacist", "orderly"}),
    general_articles=_frozen(
        {
            "115": GeneralArticle("115", "protocol_form"),
            "293": GeneralArticle("293", "inquiry"),
            "107": GeneralArticle("107", "inquiry"),
            "106": GeneralArticle("106", "preliminary_investigation"),
            "99": GeneralArticle("99", "preliminary_investigation"),
        }
    ),
)

STATUTE_VERSIONS: tuple[StatuteVersion, ...] = (LAW_252_VIII,)
CURRENT: StatuteVersion = STATUTE_VERSIONS[-1]
