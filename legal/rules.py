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
from dataclasses import dataclass, field
from typing import Any

from legal import statute as st
from legal.facts import ALMATY, EarlierAct, Facts, Victim
from legal.sentences import Message

RULES_REVISION = 2


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
    # The suspect is a minor: the page shows the punishments a court may impose on a minor (CC 81).
    minor_suspect: bool = False
    # The MCI of the act's year the rules used (None when unknown): a reassessment for another audience uses it too.
    mci: int | None = None

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
            "minor_suspect": self.minor_suspect,
            "mci": self.mci,
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
            minor_suspect=bool(data.get("minor_suspect", False)),
            mci=data.get("mci"),
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
        if victim.role in statute.trainee_roles:
            # A medical qualification and medical work make a medical worker (Code on Public Health, art. 1).
            if not (victim.medical_qualification and victim.medical_work):
                reasons.append(Message.of("trainee_not_protected", role=victim.role))
                continue
            warnings.append(Message.of("trainee_confirm", role=victim.role))
        elif victim.role not in statute.protected_roles:
            reasons.append(Message.of("victim_not_protected", role=victim.role))
            if victim.role in statute.doubtful_roles:
                warnings.append(Message.of("doubtful_role", role=victim.role))
            continue
        if victim.duty_link == "none":
            reasons.append(Message.of("victim_no_duty_link", role=victim.role))
        else:
            protected.append(victim)
            reasons.append(Message.of("victim_protected", role=victim.role, duty_link=victim.duty_link))
            if not victim.duty_link_recorded:
                warnings.append(Message.of("duty_link_not_recorded", role=victim.role))
    return protected, reasons, warnings


def age_reached(birth_date: dt.date, day: dt.date, age: int) -> bool:
    """Whether a person born on `birth_date` had reached `age` on `day`: from the day after the birthday [L]
    (court practice: an age is reached when the birthday has ended); born on 29 February, the birthday of a
    common year is 28 February."""
    year = birth_date.year + age
    birthday = dt.date(year, birth_date.month, min(birth_date.day, calendar.monthrange(year, birth_date.month)[1]))
    return day > birthday


def _earlier_act_counts(
    facts: Facts, reference: str, act: EarlierAct | None, statute: st.StatuteVersion
) -> tuple[bool, list[Message], list[Message]]:
    """Whether an earlier report found by IIN counts towards "repeatedly" (CC 12), with reasons and warnings."""
    if reference in facts.episode_of:
        # CC 12 p.3: acts of one continuing episode, linked by an officer, are one offence.
        return False, [Message.of("repeat_same_episode", reference=reference)], []
    if act is None:
        return True, [], []
    if act.suspect_birth_date is not None:
        act_date = act.occurred_at.astimezone(ALMATY).date()
        if not age_reached(act.suspect_birth_date, act_date, statute.minors.age_of_liability):
            age = statute.minors.age_of_liability
            return False, [Message.of("repeat_before_16", reference=reference, age=age)], []
    warnings = []
    elapsed = facts.occurred_at - act.occurred_at
    if act.same_facility and dt.timedelta(0) <= elapsed < dt.timedelta(hours=statute.episode_window_hours):
        warnings.append(Message.of("episode_proposed", reference=reference, hours=statute.episode_window_hours))
    return True, [], warnings


def _repeat(facts: Facts, statute: st.StatuteVersion) -> tuple[bool, list[Message], list[Message]]:
    """Whether the act is repeated (CC 12): the contract's flag, less earlier reports that do not count."""
    if not facts.repeat:
        return False, [], []
    if not facts.repeat_of:
        return True, [Message.of("feature_repeat")], []
    acts = {act.reference: act for act in facts.earlier_acts}
    reasons: list[Message] = []
    warnings: list[Message] = []
    counted = []
    for reference in facts.repeat_of:
        counts, act_reasons, act_warnings = _earlier_act_counts(facts, reference, acts.get(reference), statute)
        reasons += act_reasons
        warnings += act_warnings
        if counts:
            counted.append(reference)
    if not counted:
        return False, reasons, warnings
    # CC 12 p.2: an act the suspect was convicted of, or released from liability for, is not an earlier act.
    return (
        True,
        [*reasons, Message.of("feature_repeat")],
        [Message.of("repeat_unconfirmed", references=counted), *warnings],
    )


def _hooliganism_part(facts: Facts, repeat: bool, statute: st.StatuteVersion) -> int:
    """CC 293: part 3 with a weapon or an object used as one (used or shown; choking alone is not), part 2 by
    a group or repeatedly, else part 1."""
    if facts.weapon:
        return statute.hooliganism_weapon_part
    return 2 if facts.counted_perpetrators >= 2 or repeat else 1


def _general_articles(facts: Facts, repeat: bool, statute: st.StatuteVersion) -> list[Message]:
    """General CC articles worth a look when 380-3 does not apply (ARTICLE-380-3.md, section 4).

    Their numbers are those of the Code of 2014; an act before it came into force gets a note instead.
    """
    if facts.local_date < statute.general_articles_code_in_force:
        return [
            Message.of("general_articles_earlier_code", in_force=statute.general_articles_code_in_force.isoformat())
        ]
    duty_related = any(v.duty_link != "none" for v in facts.victims)
    suggestions: list[Message] = []
    if facts.act == "threat":
        suggestions.append(Message.of("cc_115"))
        suggestions.append(Message.of("cc_293", part=_hooliganism_part(facts, repeat, statute)))
        return suggestions
    if facts.harm == "death":
        suggestions.append(Message.of("cc_99"))
        suggestions.append(Message.of("cc_106", part=2 if duty_related else 1))
    elif facts.harm == "grave":
        suggestions.append(Message.of("cc_106", part=2 if duty_related else 1))
    elif facts.harm == "moderate":
        suggestions.append(Message.of("cc_107", part=2 if duty_related else 1))
    if facts.harm in ("none", "pain", "light", "moderate"):
        suggestions.append(Message.of("cc_293", part=_hooliganism_part(facts, repeat, statute)))
    return suggestions


def _aggravating(
    facts: Facts, protected: list[Victim], statute: st.StatuteVersion
) -> tuple[list[str], list[Message], list[Message]]:
    features: list[str] = []
    reasons: list[Message] = []
    warnings: list[Message] = []
    if len(protected) >= 2:
        features.append("two_or_more_victims")
        reasons.append(Message.of("feature_two_or_more_victims", count=len(protected)))
    if facts.perpetrators >= 2 and facts.perpetrators_not_counted:
        # CC 31 counts only persons liable to prosecution; using one who is not makes the user the sole
        # executor (CC 28 p.2).
        reasons.append(
            Message.of(
                "perpetrators_not_counted",
                not_counted=facts.perpetrators_not_counted,
                count=facts.perpetrators,
                age=statute.minors.age_of_liability,
            )
        )
    if facts.counted_perpetrators >= 2:
        feature = "group_prior_agreement" if facts.prior_agreement else "group"
        features.append(feature)
        reasons.append(Message.of(f"feature_{feature}", count=facts.counted_perpetrators))
    elif facts.prior_agreement:
        warnings.append(Message.of("agreement_without_group"))
    repeat, repeat_reasons, repeat_warnings = _repeat(facts, statute)
    reasons += repeat_reasons
    warnings += repeat_warnings
    if repeat:
        features.append("repeat")
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
        part_number, suspect_identified=facts.suspect_identified, suspect_minor=facts.minor, statute=statute
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
    if part_number is None or not statute.has_part(part_number):
        return None
    return statute.part(part_number).act


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
        repeat, _, _ = _repeat(facts, statute)
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
            also_consider=_dedupe(_general_articles(facts, repeat, statute)),
            local_date=local_date,
            rules_version=rules_version(statute),
            minor_suspect=facts.minor,
            mci=statute.mci(local_date.year),
        )

    # The act decides the base part.
    if facts.act == "threat":
        dangerous = False
        reasons.append(Message.of("act_threat"))
        if facts.harm not in ("none", "pain"):
            warnings.append(Message.of("threat_with_harm"))
        elif facts.dangerous_method or facts.weapon:
            # Showing a weapon is the threat itself; it is violence only when force was applied to the person.
            warnings.append(Message.of("threat_with_weapon"))
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

    features, feature_reasons, feature_warnings = _aggravating(facts, protected, statute)
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

    warnings += _minor_warnings(facts, part, statute)

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
        minor_suspect=facts.minor,
        mci=statute.mci(local_date.year),
    )


def _minor_warnings(facts: Facts, part: st.StatutePart, statute: st.StatuteVersion) -> list[Message]:
    """What a minor suspect changes (CC 15, 81): the age to check, the minors' fine, no imprisonment."""
    if not facts.minor:
        return []
    minors = statute.minors
    warnings = []
    if facts.suspect_under_16:
        warnings.append(Message.of("suspect_under_16", age=minors.age_of_liability))
    else:
        warnings.append(Message.of("minor_check_age", age=minors.age_of_liability))
    if part.fine_mci is not None:
        low, high = minors.fine_mci
        mci = statute.mci(facts.local_date.year)
        if mci is None:
            warnings.append(Message.of("minor_fine_mci", min_mci=low, max_mci=high))
        else:
            warnings.append(Message.of("minor_fine", min_mci=low, max_mci=high, min_kzt=low * mci, max_kzt=high * mci))
    imprisonable = any(s.kind == "imprisonment" for s in part.sanctions)
    if imprisonable and part.gravity in minors.no_imprisonment_gravities:
        warnings.append(Message.of("minor_no_imprisonment", part=part.number, gravity=part.gravity))
    return warnings
