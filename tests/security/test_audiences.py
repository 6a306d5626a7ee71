"""`legal.audiences`: the one function that says what each audience may read of an assessment."""

import datetime as dt

from legal.audiences import Audience, assessment_for, notes_for
from legal.facts import ALMATY, Facts, Victim
from legal.rules import assess

MAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=ALMATY)
OTHER_CASES = {"feature_repeat", "repeat_unconfirmed"}


def codes(outcome) -> set[str]:
    return {m.code for m in (*outcome.reasons, *outcome.warnings, *outcome.also_consider)}


def stored(facts: Facts):
    """An assessment as the app stores it: the outcome and the facts it was made from (JSON)."""
    return assess(facts), facts.as_json()


def repeat(**fields) -> Facts:
    return Facts(occurred_at=MAY, repeat=True, repeat_of=("ALA-2026-000001",), **fields)


def test_control_the_police_read_the_stored_assessment_itself():
    outcome, facts = stored(repeat(act="threat"))
    assert assessment_for(Audience.POLICE, outcome=outcome, facts=facts) is outcome
    assert outcome.part == 2 and {"feature_repeat", "repeat_unconfirmed"} <= codes(outcome)
    assert notes_for(Audience.POLICE) == ()


def test_reporting_side_reads_the_tag_of_the_facts_without_the_repeat():
    outcome, facts = stored(repeat(act="threat"))
    shown = assessment_for(Audience.REPORTING, outcome=outcome, facts=facts)
    without = assess(Facts(occurred_at=MAY, act="threat"))
    # Everything the repeat changed is as if there were none: part, gravity, procedure, fine, "provisional".
    assert shown == without
    assert shown.part == 1 and not shown.provisional and not codes(shown) & OTHER_CASES


def test_another_aggravating_feature_keeps_its_part_and_only_the_repeat_goes():
    outcome, facts = stored(repeat(act="violence", perpetrators=2))
    shown = assessment_for(Audience.REPORTING, outcome=outcome, facts=facts)
    assert outcome.aggravating == ("group", "repeat") and outcome.part == 4
    assert shown.aggravating == ("group",) and shown.part == 4
    assert not codes(shown) & OTHER_CASES


def test_also_consider_does_not_raise_hooliganism_for_the_repeat():
    """Outside Article 380-3 a repeat turns CC 293 part 1 into part 2: that too would answer the question."""
    not_protected = (Victim("security", "performing"),)
    outcome, facts = stored(repeat(act="threat", victims=not_protected))
    shown = assessment_for(Audience.REPORTING, outcome=outcome, facts=facts)
    as_params = [dict(m.params) for m in shown.also_consider if m.code == "cc_293"]
    assert [dict(m.params) for m in outcome.also_consider if m.code == "cc_293"] == [{"part": 2}]
    assert as_params == [{"part": 1}]


def test_without_a_repeat_the_reporting_side_reads_the_stored_assessment():
    outcome, facts = stored(Facts(occurred_at=MAY, act="violence", harm="light"))
    assert assessment_for(Audience.REPORTING, outcome=outcome, facts=facts) is outcome


def test_stored_facts_that_no_longer_parse_are_not_shown_to_the_reporting_side():
    outcome, facts = stored(repeat(act="threat"))
    facts = {**facts, "a_field_of_another_revision": True}
    assert assessment_for(Audience.REPORTING, outcome=outcome, facts=facts) is None
    # Control: the police still read it.
    assert assessment_for(Audience.POLICE, outcome=outcome, facts=facts) is outcome
