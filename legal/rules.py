"""The Article 380-3 rules: a pure function from facts to an assessment. No database, no request.

`assess(facts)` follows ARTICLE-380-3.md: the local date in Asia/Almaty decides whether the article is in
force; only protected victims (medical workers, ambulance drivers) attacked in connection with their
duties bring an act under it; the act and the harm choose the base part (1, 3 or 5) and any aggravating
feature raises it by one; the part gives gravity and procedure (with CPC 189 p.3 for an unknown or minor
suspect) and, for parts 1 and 3, the fine at the MCI of the act's year. Every rule that fires adds a
reason; whatever makes the tag uncertain adds a warning; related general articles go to `also_consider`.
"""

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from zoneinfo import ZoneInfo

from legal import statute as st
from legal.sentences import Message

RULES_REVISION = 1
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


@dataclass(frozen=True)
class Assessment:
    applicable: bool
    article: str | None
    part: int | None
    aggravating: tuple[str, ...]
    procedure: str | None
    gravity: str | None
    fine_kzt: tuple[int, int] | None
    reasons: tuple[Message, ...]
    warnings: tuple[Message, ...]
    also_consider: tuple[Message, ...]
    local_date: dt.date | None
    rules_version: str = field(default="")

    @property
    def provisional(self) -> bool:
        """Uncertain until every warning is resolved (a forensic result, a confirmed status, a known MCI)."""
        return bool(self.warnings)

    def verdict(self) -> dict[str, Any]:
        """The contract's fields that are not sentences."""
        return {
            "applicable": self.applicable,
            "article": self.article,
            "part": self.part,
            "aggravating": list(self.aggravating),
            "procedure": self.procedure,
            "gravity": self.gravity,
            "fine_kzt": list(self.fine_kzt) if self.fine_kzt else None,
        }

    def as_json(self) -> dict[str, Any]:
        """The assessment for storage: codes and parameters, so it renders in any language later."""
        return {
            **self.verdict(),
            "reasons": [m.as_json() for m in self.reasons],
            "warnings": [m.as_json() for m in self.warnings],
            "also_consider": [m.as_json() for m in self.also_consider],
            "provisional": self.provisional,
            "local_date": self.local_date.isoformat() if self.local_date else None,
            "rules_version": self.rules_version,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Assessment":
        fine = data.get("fine_kzt")
        return cls(
            applicable=bool(data.get("applicable")),
            article=data.get("article"),
            part=data.get("part"),
            aggravating=tuple(data.get("aggravating", ())),
            procedure=data.get("procedure"),
            gravity=data.get("gravity"),
            fine_kzt=tuple(fine) if fine else None,
            reasons=tuple(Message.from_json(m) for m in data.get("reasons", ())),
            warnings=tuple(Message.from_json(m) for m in data.get("warnings", ())),
            also_consider=tuple(Message.from_json(m) for m in data.get("also_consider", ())),
            local_date=dt.date.fromisoformat(data["local_date"]) if data.get("local_date") else None,
            rules_version=data.get("rules_version", ""),
        )


def rules_version(statute: st.StatuteVersion = st.CURRENT) -> str:
    return f"{statute.version}/rules-{RULES_REVISION}"


def _dedupe(messages: list[Message]) -> tuple[Message, ...]:
    return tuple(dict.fromkeys(messages))


def _victim_reasons(facts: Facts, statute: st.StatuteVersion) -> tuple[list[Victim], list[Message], list[Message]]:
    """The protected victims with a duty link, and the reasons and warnings about each victim."""
    protected: list[Victim] = []
    reasons: list[Message] = []
    warnings: list[Message] = []
    if not facts.victims:
        reasons.append(Message.of("no_victims"))
    for victim in facts.victims:
        if victim.role not in statute.protected_roles:
            reasons.append(Message.of("victim_not_protected", role=victim.role))
            if victim.role in statute.doubtful_roles:
                warnings.append(Message.of("doubtful_role", role=victim.role))
        elif victim.duty_link == "none":
            reasons.append(Message.of("victim_no_duty_link", role=victim.role))
        else:
            protected.append(victim)
            reasons.append(Message.of("victim_protected", role=victim.role, duty_link=victim.duty_link))
    return protected, reasons, warnings


def _general_articles(facts: Facts) -> list[Message]:
    """General CC articles worth a look when 380-3 does not apply (ARTICLE-380-3.md, section 4)."""
    duty_related = any(v.duty_link != "none" for v in facts.victims)
    group_or_repeat = facts.perpetrators >= 2 or facts.repeat
    suggestions: list[Message] = []
    if facts.act == "threat":
        suggestions.append(Message.of("cc_115"))
        suggestions.append(Message.of("cc_293", part=2 if group_or_repeat else 1))
        return suggestions
    if facts.harm == "death":
        suggestions.append(Message.of("cc_99"))
        suggestions.append(Message.of("cc_106", part=2 if duty_related else 1))
    elif facts.harm == "grave":
        suggestions.append(Message.of("cc_106", part=2 if duty_related else 1))
    elif facts.harm == "moderate":
        suggestions.append(Message.of("cc_107", part=2 if duty_related else 1))
    if facts.harm in ("none", "pain", "light", "moderate"):
        hooliganism_part = 3 if facts.dangerous_method else 2 if group_or_repeat else 1
        suggestions.append(Message.of("cc_293", part=hooliganism_part))
    return suggestions


def _aggravating(facts: Facts, protected: list[Victim]) -> tuple[list[str], list[Message], list[Message]]:
    features: list[str] = []
    reasons: list[Message] = []
    warnings: list[Message] = []
    if len(protected) >= 2:
        features.append("two_or_more_victims")
        reasons.append(Message.of("feature_two_or_more_victims", count=len(protected)))
    if facts.perpetrators >= 2:
        feature = "group_prior_agreement" if facts.prior_agreement else "group"
        features.append(feature)
        reasons.append(Message.of(f"feature_{feature}", count=facts.perpetrators))
    elif facts.prior_agreement:
        warnings.append(Message.of("agreement_without_group"))
    if facts.repeat:
        features.append("repeat")
        reasons.append(Message.of("feature_repeat"))
        if facts.repeat_of:
            warnings.append(Message.of("repeat_unconfirmed", references=list(facts.repeat_of)))
    for circumstance in facts.circumstances:
        features.append(circumstance)
        reasons.append(Message.of(f"feature_{circumstance}"))
    return sorted(features), reasons, warnings


def procedure_for_part(
    part_number: int, *, suspect_identified: bool, suspect_minor: bool, statute: st.StatuteVersion = st.CURRENT
) -> str:
    """The form of pre-trial investigation of a part: the part's own, but an inquiry needs a known adult suspect.

    The one home of this rule: `part_procedure` gives it with its reasons, and the case deadline applies it
    to a part an officer set by hand.
    """
    procedure = statute.part(part_number).procedure
    if procedure == "inquiry" and statute.inquiry_needs_known_adult_suspect:
        if not suspect_identified or suspect_minor:
            return "preliminary_investigation"
    return procedure


def part_procedure(
    facts: Facts, part_number: int, statute: st.StatuteVersion = st.CURRENT
) -> tuple[str, list[Message]]:
    """The form of pre-trial investigation for `part_number` on these facts, with the reasons."""
    procedure = procedure_for_part(
        part_number, suspect_identified=facts.suspect_identified, suspect_minor=facts.suspect_minor, statute=statute
    )
    if statute.part(part_number).procedure != "inquiry":
        return procedure, [Message.of("procedure_investigation")]
    reasons = [Message.of("procedure_inquiry")]
    if procedure == "inquiry":
        return procedure, reasons
    if not facts.suspect_identified:
        return procedure, [*reasons, Message.of("procedure_suspect_unknown")]
    return procedure, [*reasons, Message.of("procedure_suspect_minor")]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def investigation_due(registered_on: dt.date, procedure: str, statute: st.StatuteVersion = st.CURRENT) -> dt.date:
    """The last day of the pre-trial investigation that started with the ERDR registration (CPC 192)."""
    return add_months(registered_on, statute.procedure_months[procedure])


def part_act(part_number: int | None, statute: st.StatuteVersion = st.CURRENT) -> str | None:
    """What a part punishes: `threat`, `violence_not_dangerous` or `violence_dangerous` (None without a part)."""
    return statute.part(part_number).act if statute.has_part(part_number) else None


def assess(facts: Facts, statute: st.StatuteVersion = st.CURRENT) -> Assessment:
    """The Article 380-3 assessment of `facts` under `statute` (the law in force by default)."""
    local_date = facts.local_date
    reasons: list[Message] = []
    warnings: list[Message] = []
    also_consider: list[Message] = []

    in_force = local_date >= statute.in_force
    reasons.append(
        Message.of(
            "in_force" if in_force else "before_in_force",
            date=local_date.isoformat(),
            in_force=statute.in_force.isoformat(),
        )
    )
    protected, victim_reasons, victim_warnings = _victim_reasons(facts, statute)
    reasons += victim_reasons
    warnings += victim_warnings
    if facts.act == "violence" and not facts.forensic_recorded:
        warnings.append(Message.of("provisional_no_forensic"))

    if not in_force or not protected:
        if in_force:
            reasons.append(Message.of("no_protected_victim"))
        return Assessment(
            applicable=False,
            article=None,
            part=None,
            aggravating=(),
            procedure=None,
            gravity=None,
            fine_kzt=None,
            reasons=_dedupe(reasons),
            warnings=_dedupe(warnings),
            also_consider=_dedupe(_general_articles(facts)),
            local_date=local_date,
            rules_version=rules_version(statute),
        )

    # The act decides the base part.
    if facts.act == "threat":
        dangerous = False
        reasons.append(Message.of("act_threat"))
        if facts.harm not in ("none", "pain") or facts.dangerous_method:
            warnings.append(Message.of("threat_with_harm"))
    elif facts.harm in st.DANGEROUS_HARMS:
        dangerous = True
        reasons.append(Message.of("violence_dangerous_harm", harm=facts.harm))
    elif facts.dangerous_method:
        dangerous = True
        reasons.append(Message.of("violence_dangerous_method"))
    else:
        dangerous = False
        reasons.append(Message.of("violence_not_dangerous"))
    base = statute.base_part(facts.act, dangerous=dangerous)

    features, feature_reasons, feature_warnings = _aggravating(facts, protected)
    reasons += feature_reasons
    warnings += feature_warnings
    part_number = base + 1 if features else base
    if features:
        reasons.append(Message.of("aggravated", base=base, part=part_number))
    part = statute.part(part_number)

    reasons.append(Message.of("gravity", part=part.number, years=part.max_term_years, gravity=part.gravity))
    procedure, procedure_reasons = part_procedure(facts, part.number, statute)
    reasons += procedure_reasons

    fine_kzt = None
    if part.fine_mci is not None:
        mci = statute.mci(local_date.year)
        if mci is None:
            warnings.append(Message.of("mci_unknown", year=local_date.year))
        else:
            low, high = part.fine_mci
            fine_kzt = (low * mci, high * mci)
            reasons.append(
                Message.of(
                    "fine",
                    min_mci=low,
                    max_mci=high,
                    min_kzt=fine_kzt[0],
                    max_kzt=fine_kzt[1],
                    year=local_date.year,
                    mci=mci,
                )
            )

    if facts.act == "violence":
        duty_part = 2  # every protected victim counted here was attacked in connection with duty
        if facts.harm == "death":
            also_consider += [Message.of("cc_99"), Message.of("cc_106", part=duty_part)]
        elif facts.harm == "grave":
            also_consider.append(Message.of("cc_106", part=duty_part))

    return Assessment(
        applicable=True,
        article=statute.article,
        part=part.number,
        aggravating=tuple(features),
        procedure=procedure,
        gravity=part.gravity,
        fine_kzt=fine_kzt,
        reasons=_dedupe(reasons),
        warnings=_dedupe(warnings),
        also_consider=_dedupe(also_consider),
        local_date=local_date,
        rules_version=rules_version(statute),
    )
