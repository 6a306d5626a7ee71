"""The facts the rules assess (the tagger contract's input), parsed strictly from JSON. No Django.

`parse_facts` reads one JSON object of ARTICLE-380-3.md section 5 and refuses unknown fields and wrong
types with a readable `FactsError`; the app builds `Facts` from a stored incident in
`incidents.services.tagging`.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo

from legal import statute as st

ALMATY = ZoneInfo(st.LOCAL_TIME_ZONE)


class FactsError(ValueError):
    """The facts cannot be assessed: a missing, unknown or wrongly typed value."""


@dataclass(frozen=True)
class Victim:
    role: str
    duty_link: str = "performing"

    def __post_init__(self) -> None:
        if self.role not in st.ROLES:
            raise FactsError(f"unknown victim role {self.role!r}; expected one of {', '.join(st.ROLES)}")
        if self.duty_link not in st.DUTY_LINKS:
            raise FactsError(f"unknown duty_link {self.duty_link!r}; expected one of {', '.join(st.DUTY_LINKS)}")


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
        ):
            if not isinstance(getattr(self, name), bool):
                raise FactsError(f"{name} must be true or false")
        unknown = [c for c in self.circumstances if c not in st.CIRCUMSTANCES]
        if unknown:
            raise FactsError(f"unknown circumstance {unknown[0]!r}; expected any of {', '.join(st.CIRCUMSTANCES)}")
        # Order-insensitive lists: the same facts always compare (and store) the same.
        object.__setattr__(self, "victims", tuple(self.victims))
        object.__setattr__(self, "circumstances", tuple(sorted(set(self.circumstances))))
        object.__setattr__(self, "repeat_of", tuple(sorted(set(self.repeat_of))))
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            # Naive means Almaty wall-clock time (the contract).
            object.__setattr__(self, "occurred_at", self.occurred_at.replace(tzinfo=ALMATY))

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
            elif f.name == "victims":
                value = [{"role": v.role, "duty_link": v.duty_link} for v in value]
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
)
_KNOWN_FIELDS = frozenset(
    {"id", "occurred_at", "act", "harm", "victims", "perpetrators", "circumstances", "repeat_of", *_BOOL_FIELDS}
)


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
        extra = set(item) - {"role", "duty_link"}
        if extra:
            raise FactsError(f"victims[{index}] has unknown field {sorted(extra)[0]!r}")
        if "role" not in item:
            raise FactsError(f"victims[{index}].role is required")
        try:
            # A victim given without duty_link takes the contract's default victim's link, `performing`.
            victims.append(
                Victim(
                    role=_choice(item, "role", st.ROLES),
                    duty_link=_choice(item, "duty_link", st.DUTY_LINKS, default="performing"),
                )
            )
        except FactsError as exc:
            raise FactsError(f"victims[{index}]: {exc}") from None
    return tuple(victims)


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
    }
    perpetrators = data.get("perpetrators", 1)
    if isinstance(perpetrators, bool) or not isinstance(perpetrators, int) or perpetrators < 1:
        raise FactsError(f"perpetrators must be a whole number of at least 1, not {perpetrators!r}")
    values["perpetrators"] = perpetrators
    for name in _BOOL_FIELDS:
        if name in data:
            if not isinstance(data[name], bool):
                raise FactsError(f"{name} must be true or false, not {data[name]!r}")
            values[name] = data[name]
    return Facts(**values)


# --- The assessment --------------------------------------------------------------------------------------
