"""What each audience may read of an assessment. No Django.

The police of the case's post read all of it. The reporting side (the reporter and the facility lead) reads
the assessment of the facts without those that come from other cases. A repeat is found by matching the
suspect's IIN against every report in the city, suspects only the police recorded included; the match, the
earlier reports' references and everything that follows from them (the aggravating feature, the raised part
with its gravity, procedure and penalty, the warning and the "provisional" mark it alone may cause, the
hooliganism part under "also consider") would tell a reporter whether a person is a suspect elsewhere. So
the reporting side gets the rules' answer on the facts without the repeat, which are the facts its own
report gives, and a note, shown whether or not a match was found, that the police assess earlier offences.
"""

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from legal.facts import Facts, FactsError
from legal.rules import Assessment, assess
from legal.sentences import Message
from legal.statute import CURRENT


class Audience(StrEnum):
    POLICE = "police"  # the officers of the case's post (and the notice they receive)
    REPORTING = "reporting"  # the reporter and the facility lead


# Sentences that speak of other cases: never shown outside the police, whatever produced them.
OTHER_CASES_CODES = frozenset(
    {"feature_repeat", "repeat_unconfirmed", "repeat_same_episode", "repeat_before_16", "episode_proposed"}
)
# The features that come from other cases.
OTHER_CASES_FEATURES = frozenset({"repeat"})


def _speaks_of_other_cases(outcome: Assessment) -> bool:
    messages = (*outcome.reasons, *outcome.warnings, *outcome.also_consider)
    return bool(OTHER_CASES_FEATURES & set(outcome.aggravating)) or any(
        message.code in OTHER_CASES_CODES for message in messages
    )


def facts_for(audience: Audience, facts: Facts) -> Facts:
    """The facts `audience` may know: the reporting side's lack the match with other cases."""
    if audience == Audience.POLICE:
        return facts
    return dataclasses.replace(facts, repeat=False, repeat_of=(), earlier_acts=(), episode_of=())


def assessment_for(audience: Audience, *, outcome: Assessment, facts: Mapping[str, Any]) -> Assessment | None:
    """The assessment as `audience` may read it, from a stored outcome and the facts it was made from.

    None when it cannot be shown to them (stored facts of another rules revision that no longer parse).
    """
    if audience == Audience.POLICE:
        return outcome
    from_other_cases = any(facts.get(name) for name in ("repeat", "repeat_of", "earlier_acts", "episode_of"))
    if not from_other_cases and not _speaks_of_other_cases(outcome):
        return outcome
    try:
        parsed = Facts.from_json(facts)
        # The same law as the outcome's, an MCI added by an administrator included.
        law = CURRENT.with_mci({parsed.local_date.year: outcome.mci}) if outcome.mci else CURRENT
        seen = assess(facts_for(audience, parsed), law)
    except FactsError:
        return None
    # The rules on facts without a repeat speak of none; this keeps it so should a rule change.
    return dataclasses.replace(
        seen,
        aggravating=tuple(f for f in seen.aggravating if f not in OTHER_CASES_FEATURES),
        reasons=tuple(m for m in seen.reasons if m.code not in OTHER_CASES_CODES),
        warnings=tuple(m for m in seen.warnings if m.code not in OTHER_CASES_CODES),
        also_consider=tuple(m for m in seen.also_consider if m.code not in OTHER_CASES_CODES),
    )


def notes_for(audience: Audience) -> tuple[Message, ...]:
    """Lines shown beside every assessment `audience` reads, whatever it says (so they say nothing of the case)."""
    if audience == Audience.POLICE:
        return ()
    return (Message.of("police_assess_earlier_offences"),)
