"""Invariants of the rules, checked with hypothesis over generated facts."""

import datetime as dt
import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from legal import statute
from legal.facts import ALMATY, Facts, Victim, parse_facts
from legal.messages import as_contract
from legal.rules import assess

IN_FORCE = dt.datetime(2026, 3, 7, tzinfo=ALMATY)

offsets = st.sampled_from(
    [
        dt.UTC,
        ALMATY,
        dt.timezone(dt.timedelta(hours=-11)),
        dt.timezone(dt.timedelta(hours=14)),
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
    ]
)
instants = st.datetimes(
    min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(dt.UTC)
)
victims = st.builds(Victim, role=st.sampled_from(statute.ROLES), duty_link=st.sampled_from(statute.DUTY_LINKS))


@st.composite
def facts(draw, occurred_at=None):
    when = occurred_at if occurred_at is not None else draw(instants).astimezone(draw(offsets))
    return Facts(
        occurred_at=when,
        act=draw(st.sampled_from(statute.ACTS)),
        harm=draw(st.sampled_from(statute.HARMS)),
        dangerous_method=draw(st.booleans()),
        victims=tuple(draw(st.lists(victims, min_size=1, max_size=4))),
        perpetrators=draw(st.integers(min_value=1, max_value=6)),
        prior_agreement=draw(st.booleans()),
        repeat=draw(st.booleans()),
        circumstances=tuple(draw(st.lists(st.sampled_from(statute.CIRCUMSTANCES), max_size=3))),
        suspect_identified=draw(st.booleans()),
        suspect_minor=draw(st.booleans()),
        forensic_recorded=draw(st.booleans()),
    )


def add_feature(facts: Facts, feature: str) -> Facts:
    if feature == "two_or_more_victims":
        return replace(facts, victims=(*facts.victims, Victim("nurse"), Victim("doctor", "revenge")))
    if feature == "group":
        return replace(facts, perpetrators=max(2, facts.perpetrators))
    if feature == "group_prior_agreement":
        return replace(facts, perpetrators=max(2, facts.perpetrators), prior_agreement=True)
    if feature == "repeat":
        return replace(facts, repeat=True)
    return replace(facts, circumstances=(*facts.circumstances, feature))


@settings(max_examples=300)
@given(facts(), st.sampled_from(statute.AGGRAVATING_FEATURES))
def test_adding_an_aggravating_feature_never_lowers_the_part(base, feature):
    before = assess(base)
    after = assess(add_feature(base, feature))
    if before.applicable:
        assert after.applicable and after.part >= before.part
        assert after.part in (2, 4, 6)
        assert (after.part - 1) // 2 == (before.part - 1) // 2  # same kind of act, at most one step up


@settings(max_examples=300)
@given(facts())
def test_a_threat_is_never_above_part_two(f):
    result = assess(replace(f, act="threat"))
    assert result.part in (None, 1, 2)


@settings(max_examples=300)
@given(facts(), instants, offsets)
def test_an_act_before_7_march_2026_is_never_380_3(f, instant, offset):
    when = instant.astimezone(offset)
    result = assess(replace(f, occurred_at=when))
    if when.astimezone(ALMATY).date() < dt.date(2026, 3, 7):
        assert not result.applicable and result.part is None and result.article is None
        assert result.procedure is None and result.fine_kzt is None and result.aggravating == ()


@settings(max_examples=300)
@given(facts())
def test_same_facts_give_the_same_output(f):
    copy = Facts(**{**f.__dict__})
    assert assess(f) == assess(copy)
    assert as_contract(assess(f), "en") == as_contract(assess(copy), "en")


@settings(max_examples=300)
@given(facts(), offsets)
def test_the_same_instant_written_with_another_offset_gives_the_same_output(f, offset):
    moved = replace(f, occurred_at=f.occurred_at.astimezone(offset))
    assert moved.local_date == f.local_date
    assert as_contract(assess(moved), "en") == as_contract(assess(f), "en")


@settings(max_examples=300)
@given(facts())
def test_facts_read_back_from_their_json_give_the_same_output(f):
    again = parse_facts(json.loads(json.dumps(f.as_json())))
    assert again == f
    assert assess(again) == assess(f)


@settings(max_examples=300)
@given(facts())
def test_output_is_consistent_with_the_statute(f):
    result = assess(f)
    if not result.applicable:
        assert (result.part, result.gravity, result.procedure, result.fine_kzt) == (None, None, None, None)
        assert result.also_consider, "a report that is not 380-3 always gets general articles to consider"
        return
    part = statute.CURRENT.part(result.part)
    assert result.gravity == part.gravity == statute.gravity_for_max_term(part.max_term_years)
    assert bool(result.aggravating) is part.aggravated
    assert result.aggravating == tuple(sorted(result.aggravating))
    assert not {"group", "group_prior_agreement"} <= set(result.aggravating)
    if result.procedure == "inquiry":
        assert result.part <= 3 and f.suspect_identified and not f.suspect_minor
    assert (result.fine_kzt is not None) == (result.part in (1, 3) and f.local_date.year in (2024, 2025, 2026))
    if f.act == "violence" and not f.forensic_recorded:
        assert result.provisional


@settings(max_examples=200)
@given(facts())
def test_victim_order_and_unprotected_extra_victims_do_not_change_the_part(f):
    reordered = replace(f, victims=tuple(reversed(f.victims)))
    with_guard = replace(f, victims=(*f.victims, Victim("security", "performing")))
    assert assess(reordered).part == assess(f).part == assess(with_guard).part


@settings(max_examples=300)
@given(facts())
def test_applicable_exactly_when_in_force_and_a_protected_victim_was_targeted_for_their_duties(f):
    targeted = any(
        victim.role in statute.CURRENT.protected_roles and victim.duty_link != "none" for victim in f.victims
    )
    assert assess(f).applicable is (f.local_date >= dt.date(2026, 3, 7) and targeted)
