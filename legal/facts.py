"""The facts the rules assess (the tagger contract's input), parsed strictly from JSON. No Django.

`parse_facts` reads one JSON object of ARTICLE-380-3.md section 5 and refuses unknown fields and wrong
types with a readable `FactsError`; the app builds `Facts` from a stored incident in
`incidents.services.tagging`.
"""

import datetime as dt
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo

from legal import statute as st


def _local_zone() -> tuple[ZoneInfo, str]:
    """Asia/Almaty from the pinned `tzdata` package (requirements.txt), so the date of an act never depends on
    the server's time-zone database (issue 19); the system's only when the package is missing."""
    try:
        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*st.LOCAL_TIME_ZONE.split("/"))
        with resource.open("rb") as data:
            return ZoneInfo.from_file(data, key=st.LOCAL_TIME_ZONE), "tzdata"
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - the package is a requirement
        return ZoneInfo(st.LOCAL_TIME_ZONE), "system"


ALMATY, ALMATY_SOURCE = _local_zone()


class FactsError(ValueError):
    """The facts cannot be assessed: a missing, unknown or wrongly typed value."""


@dataclass(frozen=True)
class Victim:
    role: str
    duty_link: str = "performing"
    # False when the input gave no duty_link: assessed as `performing` (the contract), with a warning.
    duty_link_recorded: bool = True
    # For interns, medical students and volunteers: a medical qualification, and medical work at the time.
    medical_qualification: bool = False
    medical_work: bool = False

    def __post_init__(self) -> None:
        if self.role not in st.ROLES:
            raise FactsError(f"unknown victim role {self.role!r}; expected one of {', '.join(st.ROLES)}")
        if self.duty_link not in st.DUTY_LINKS:
            raise FactsError(f"unknown duty_link {self.duty_link!r}; expected one of {', '.join(st.DUTY_LINKS)}")
        for name in ("duty_link_recorded", "medical_qualification", "medical_work"):
            if not isinstance(getattr(self, name), bool):
                raise FactsError(f"{name} must be true or false")

    def as_json(self) -> dict[str, Any]:
        """The contract's object: `duty_link` left out when it was not given, the trainee flags when set."""
        data: dict[str, Any] = {"role": self.role}
        if self.duty_link_recorded:
            data["duty_link"] = self.duty_link
        for name in ("medical_qualification", "medical_work"):
            if getattr(self, name):
                data[name] = True
        return data


@dataclass(frozen=True)
class EarlierAct:
    """An earlier report naming the same suspect (IIN match): what CC 12 needs to know of it."""

    reference: str
    occurred_at: dt.datetime
    same_facility: bool = False
    # The matched suspect's date of birth when known (from the IIN or recorded): an act before 16 does not count.
    suspect_birth_date: dt.date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.reference, str) or not self.reference:
            raise FactsError("earlier_acts[].reference must be a non-empty string")
        if not isinstance(self.occurred_at, dt.datetime):
            raise FactsError("earlier_acts[].occurred_at must be a datetime")
        if not isinstance(self.same_facility, bool):
            raise FactsError("earlier_acts[].same_facility must be true or false")
        if self.suspect_birth_date is not None and not isinstance(self.suspect_birth_date, dt.date):
            raise FactsError("earlier_acts[].suspect_birth_date must be a date")
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            object.__setattr__(self, "occurred_at", self.occurred_at.replace(tzinfo=ALMATY))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "reference": self.reference,
            "occurred_at": self.occurred_at.astimezone(ALMATY).isoformat(),
            "same_facility": self.same_facility,
        }
        if self.suspect_birth_date is not None:
            data["suspect_birth_date"] = self.suspect_birth_date.isoformat()
        return data


DEFAULT_VICTIMS = (Victim("nurse", "performing"),)


@dataclass(frozen=True)
class Facts:
    """The legal facts of one incident (the tagger contract's input, plus two app-only fields)."""

    occurred_at: dt.datetime
    act: str
    harm: str = "none"
    dangerous_method: bool = False
    victims: tuple[Victim, ...] = DEFAULT_VICTIMS
    perpetrators: int = 1
    prior_agreement: bool = False
    repeat: bool = False
    circumstances: tuple[str, ...] = ()
    suspect_identified: bool = True
    suspect_minor: bool = False
    # App-only: a forensic result is recorded (clears the provisional warning for violence) …
    forensic_recorded: bool = False
    # … and the references of earlier reports against the same suspect found by IIN matching.
    repeat_of: tuple[str, ...] = ()
    # Issue 19 (extensions of the contract, all optional):
    # a weapon, knife, knuckle-duster or object made or used to harm was used or shown (CC 293 p.3);
    weapon: bool = False
    # the suspect appears (or is) under 16 (CC 15 p.1: not a subject of Article 380-3);
    suspect_under_16: bool = False
    # attackers who do not count towards a group: under 16, or recorded as not of sound mind (CC 28, 31);
    perpetrators_not_counted: int = 0
    # the earlier reports of `repeat_of` with their dates (CC 12, CC 15), and those an officer linked to this
    # one as a single continuing episode (CC 12 p.3), which are not a repeat.
    earlier_acts: tuple[EarlierAct, ...] = ()
    episode_of: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.occurred_at, dt.datetime):
            raise FactsError("occurred_at must be a datetime")
        if self.act not in st.ACTS:
            raise FactsError(f"unknown act {self.act!r}; expected one of {', '.join(st.ACTS)}")
        if self.harm not in st.HARMS:
            raise FactsError(f"unknown harm {self.harm!r}; expected one of {', '.join(st.HARMS)}")
        if isinstance(self.perpetrators, bool) or not isinstance(self.perpetrators, int) or self.perpetrators < 1:
            raise FactsError("perpetrators must be a whole number of at least 1")
        for name in (
            "dangerous_method",
            "prior_agreement",
            "repeat",
            "suspect_identified",
            "suspect_minor",
            "forensic_recorded",
            "weapon",
            "suspect_under_16",
        ):
            if not isinstance(getattr(self, name), bool):
                raise FactsError(f"{name} must be true or false")
        not_counted = self.perpetrators_not_counted
        if isinstance(not_counted, bool) or not isinstance(not_counted, int) or not_counted < 0:
            raise FactsError("perpetrators_not_counted must be a whole number of at least 0")
        if not_counted > self.perpetrators:
            raise FactsError("perpetrators_not_counted cannot exceed perpetrators")
        unknown = [c for c in self.circumstances if c not in st.CIRCUMSTANCES]
        if unknown:
            raise FactsError(f"unknown circumstance {unknown[0]!r}; expected any of {', '.join(st.CIRCUMSTANCES)}")
        # Order-insensitive lists: the same facts always compare (and store) the same.
        object.__setattr__(self, "victims", tuple(self.victims))
        object.__setattr__(self, "circumstances", tuple(sorted(set(self.circumstances))))
        object.__setattr__(self, "repeat_of", tuple(sorted(set(self.repeat_of))))
        object.__setattr__(self, "episode_of", tuple(sorted(set(self.episode_of))))
        object.__setattr__(self, "earlier_acts", tuple(sorted(set(self.earlier_acts), key=lambda a: a.reference)))
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            # Naive means Almaty wall-clock time (the contract).
            object.__setattr__(self, "occurred_at", self.occurred_at.replace(tzinfo=ALMATY))

    @property
    def counted_perpetrators(self) -> int:
        """The attackers who count towards a group (CC 31): not those under 16 or not of sound mind."""
        return self.perpetrators - self.perpetrators_not_counted

    @property
    def minor(self) -> bool:
        """The suspect is under 18 (under 16 included)."""
        return self.suspect_minor or self.suspect_under_16

    @property
    def local_date(self) -> dt.date:
        """The date of the act in Asia/Almaty, whatever offset it was given with."""
        return self.occurred_at.astimezone(ALMATY).date()

    def as_json(self) -> dict[str, Any]:
        """The facts as JSON (contract field names), for storage and comparison."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "occurred_at":
                value = value.astimezone(ALMATY).isoformat()
            elif f.name in ("victims", "earlier_acts"):
                value = [item.as_json() for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            data[f.name] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Facts":
        """Strictly parsed facts from a JSON object (contract field names); raises FactsError."""
        return parse_facts(data)


# --- Strict parsing of the contract's input --------------------------------------------------------------

_BOOL_FIELDS = (
    "dangerous_method",
    "prior_agreement",
    "repeat",
    "suspect_identified",
    "suspect_minor",
    "forensic_recorded",
    "weapon",
    "suspect_under_16",
)
_KNOWN_FIELDS = frozenset(
    {
        "id",
        "occurred_at",
        "act",
        "harm",
        "victims",
        "perpetrators",
        "perpetrators_not_counted",
        "circumstances",
        "repeat_of",
        "earlier_acts",
        "episode_of",
        *_BOOL_FIELDS,
    }
)
_VICTIM_FIELDS = frozenset({"role", "duty_link", "medical_qualification", "medical_work"})
_EARLIER_ACT_FIELDS = frozenset({"reference", "occurred_at", "same_facility", "suspect_birth_date"})


def parse_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str) or not value.strip():
        raise FactsError("occurred_at must be an ISO 8601 date and time, e.g. 2026-04-02T10:15")
    text = value.strip()
    try:
        if len(text) == 10:
            # A date alone is an Almaty calendar date: it fixes the local date, which is all the rules compare.
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise FactsError(f"occurred_at {value!r} is not an ISO 8601 date and time") from None


def _choice(data: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    if name not in data:
        if default is None:
            raise FactsError(f"{name} is required")
        return default
    value = data[name]
    if not isinstance(value, str) or value not in allowed:
        raise FactsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _victims(value: Any) -> tuple[Victim, ...]:
    if not isinstance(value, list):
        raise FactsError('victims must be a list of {"role": ..., "duty_link": ...} objects')
    victims = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise FactsError(f"victims[{index}] must be an object with role and duty_link")
        extra = set(item) - _VICTIM_FIELDS
        if extra:
            raise FactsError(f"victims[{index}] has unknown field {sorted(extra)[0]!r}")
        if "role" not in item:
            raise FactsError(f"victims[{index}].role is required")
        try:
            # A victim given without duty_link takes the contract's default victim's link, `performing`,
            # and the assessment warns that the link, an element of the offence, was not recorded.
            flags = {}
            for name in ("medical_qualification", "medical_work"):
                if name in item:
                    if not isinstance(item[name], bool):
                        raise FactsError(f"{name} must be true or false, not {item[name]!r}")
                    flags[name] = item[name]
            victims.append(
                Victim(
                    role=_choice(item, "role", st.ROLES),
                    duty_link=_choice(item, "duty_link", st.DUTY_LINKS, default="performing"),
                    duty_link_recorded="duty_link" in item,
                    **flags,
                )
            )
        except FactsError as exc:
            raise FactsError(f"victims[{index}]: {exc}") from None
    return tuple(victims)


def _earlier_acts(value: Any) -> tuple[EarlierAct, ...]:
    if not isinstance(value, list):
        raise FactsError('earlier_acts must be a list of {"reference": ..., "occurred_at": ...} objects')
    acts = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise FactsError(f"earlier_acts[{index}] must be an object with reference and occurred_at")
        extra = set(item) - _EARLIER_ACT_FIELDS
        if extra:
            raise FactsError(f"earlier_acts[{index}] has unknown field {sorted(extra)[0]!r}")
        if "reference" not in item or "occurred_at" not in item:
            raise FactsError(f"earlier_acts[{index}] needs reference and occurred_at")
        birth = item.get("suspect_birth_date")
        try:
            birth_date = dt.date.fromisoformat(birth) if birth is not None else None
        except (TypeError, ValueError):
            raise FactsError(f"earlier_acts[{index}].suspect_birth_date must be a yyyy-mm-dd date") from None
        try:
            acts.append(
                EarlierAct(
                    reference=item["reference"],
                    occurred_at=parse_datetime(item["occurred_at"]),
                    same_facility=item.get("same_facility", False),
                    suspect_birth_date=birth_date,
                )
            )
        except FactsError as exc:
            raise FactsError(f"earlier_acts[{index}]: {exc}") from None
    return tuple(acts)


def _string_list(data: Mapping[str, Any], name: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FactsError(f"{name} must be a list of strings")
    if allowed is not None:
        for item in value:
            if item not in allowed:
                raise FactsError(f"{name} must contain only {', '.join(allowed)}, not {item!r}")
    return tuple(value)


def parse_facts(data: Any) -> Facts:
    """Facts from one decoded JSON input object, checked strictly; raises FactsError with a readable message."""
    if not isinstance(data, dict):
        raise FactsError("each line must be a JSON object")
    unknown = sorted(set(data) - _KNOWN_FIELDS)
    if unknown:
        raise FactsError(f"unknown field {unknown[0]!r}")
    if "occurred_at" not in data:
        raise FactsError("occurred_at is required")
    values: dict[str, Any] = {
        "occurred_at": parse_datetime(data["occurred_at"]),
        "act": _choice(data, "act", st.ACTS),
        "harm": _choice(data, "harm", st.HARMS, default="none"),
        "victims": _victims(data["victims"]) if "victims" in data else DEFAULT_VICTIMS,
        "circumstances": _string_list(data, "circumstances", st.CIRCUMSTANCES),
        "repeat_of": _string_list(data, "repeat_of"),
        "episode_of": _string_list(data, "episode_of"),
        "earlier_acts": _earlier_acts(data.get("earlier_acts", [])),
    }
    perpetrators = data.get("perpetrators", 1)
    if isinstance(perpetrators, bool) or not isinstance(perpetrators, int) or perpetrators < 1:
        raise FactsError(f"perpetrators must be a whole number of at least 1, not {perpetrators!r}")
    values["perpetrators"] = perpetrators
    not_counted = data.get("perpetrators_not_counted", 0)
    if isinstance(not_counted, bool) or not isinstance(not_counted, int) or not_counted < 0:
        raise FactsError(f"perpetrators_not_counted must be a whole number of at least 0, not {not_counted!r}")
    values["perpetrators_not_counted"] = not_counted
    for name in _BOOL_FIELDS:
        if name in data:
            if not isinstance(data[name], bool):
                raise FactsError(f"{name} must be true or false, not {data[name]!r}")
            values[name] = data[name]
    return Facts(**values)


# --- The assessment --------------------------------------------------------------------------------------
