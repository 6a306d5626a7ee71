"""Issue 19: the points a defence lawyer would raise, each worked out by hand.

MCI 2026 = 4,325 tenge (2027 unknown). Minors' fine (CC 81): 5–100 MCI = 21,625–432,500 tenge in 2026.
Liability under 380-3 from 16 (CC 15 p.1). A group counts only liable persons (CC 28, 31). CC 12 p.2/p.3 for
repeats. CC 293 p.3 needs a weapon used or shown.
"""

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from legal import statute
from legal.audiences import Audience, assessment_for
from legal.facts import ALMATY, ALMATY_SOURCE, Facts, FactsError, parse_facts
from legal.messages import as_contract
from legal.rules import age_reached, assess

WHEN = "2026-05-10T12:00"


def run(**fields):
    fields.setdefault("occurred_at", WHEN)
    fields.setdefault("act", "violence")
    return assess(parse_facts(fields))


def codes(messages) -> list[str]:
    return sorted(m.code for m in messages)


def params(messages, code: str) -> dict:
    return next(m.params_dict for m in messages if m.code == code)


# --- Suspects and their age (CC 15, 81) ------------------------------------------------------------------


def test_minor_suspect_of_part_1_gets_age_fine_and_no_imprisonment_warnings():
    result = run(act="threat", suspect_minor=True)
    assert result.part == 1 and result.procedure == "preliminary_investigation" and result.minor_suspect
    assert codes(result.warnings) == ["minor_check_age", "minor_fine", "minor_no_imprisonment"]
    assert params(result.warnings, "minor_fine") == {"min_mci": 5, "max_mci": 100, "min_kzt": 21625, "max_kzt": 432500}
    assert params(result.warnings, "minor_no_imprisonment") == {"part": 1, "gravity": "small"}
    assert params(result.warnings, "minor_check_age") == {"age": 16}


def test_minor_of_part_2_has_no_fine_to_reduce_but_is_not_imprisoned_for_a_medium_crime():
    result = run(act="threat", perpetrators=2, suspect_minor=True)
    assert result.part == 2 and result.gravity == "medium"
    assert codes(result.warnings) == ["minor_check_age", "minor_no_imprisonment"]


def test_minor_of_a_grave_part_gets_only_the_age_warning():
    result = run(harm="moderate", suspect_minor=True, forensic_recorded=True)
    assert result.part == 5 and result.gravity == "grave"
    assert codes(result.warnings) == ["minor_check_age"]


def test_minor_fine_in_a_year_without_mci_is_in_mci_only():
    result = run(act="threat", occurred_at="2027-02-01T10:00", suspect_minor=True)
    assert "minor_fine_mci" in codes(result.warnings) and "minor_fine" not in codes(result.warnings)


def test_suspect_under_16_is_warned_as_not_a_subject_and_is_a_minor_for_procedure():
    result = run(act="threat", suspect_under_16=True)
    assert codes(result.warnings) == ["minor_fine", "minor_no_imprisonment", "suspect_under_16"]
    assert result.procedure == "preliminary_investigation"
    english = as_contract(result, "en")["warnings"]
    assert any("not a subject of this article" in w and "CC art. 15 part 1" in w for w in english)


def test_adult_suspect_gets_no_minor_warnings():
    assert codes(run(act="threat").warnings) == []


def test_minor_penalty_range_beside_the_parts_own():
    # Part 1: fine 200–500 -> 5–100 MCI; imprisonment (small crime) dropped; the rest as the part.
    kinds = [(s.kind, s.minimum, s.maximum) for s in statute.CURRENT.minor_sanctions(1)]
    assert kinds == [
        ("fine", 5, 100),
        ("correctional_labour", 200, 500),
        ("community_service", None, 300),
        ("restriction_of_liberty", None, 2),
    ]
    assert [s.kind for s in statute.CURRENT.minor_sanctions(2)] == ["restriction_of_liberty"]
    assert statute.CURRENT.minor_sanctions(5) == statute.CURRENT.part(5).sanctions


def test_earlier_act_before_the_suspect_turned_16_is_not_a_repeat():
    # Born 1 April 2010: 16 on 1 April 2026, reached when that day has ended. An act on 1 April does not count.
    earlier = {"reference": "A-1", "occurred_at": "2026-04-01T10:00", "suspect_birth_date": "2010-04-01"}
    result = run(act="threat", repeat=True, repeat_of=["A-1"], earlier_acts=[earlier])
    assert result.part == 1 and result.aggravating == ()
    assert "repeat_before_16" in codes(result.reasons) and "repeat_unconfirmed" not in codes(result.warnings)
    # Born a day earlier: 16 on 31 March, so the act of 1 April counts, with the CC 12 p.2 warning.
    earlier["suspect_birth_date"] = "2010-03-31"
    result = run(act="threat", repeat=True, repeat_of=["A-1"], earlier_acts=[earlier])
    assert result.part == 2 and result.aggravating == ("repeat",)


def test_age_is_reached_the_day_after_the_birthday():
    assert not age_reached(dt.date(2010, 4, 1), dt.date(2026, 4, 1), 16)
    assert age_reached(dt.date(2010, 4, 1), dt.date(2026, 4, 2), 16)
    # Born on 29 February: the birthday of a common year is 28 February.
    assert age_reached(dt.date(2008, 2, 29), dt.date(2025, 3, 1), 17)
    assert not age_reached(dt.date(2008, 2, 29), dt.date(2025, 2, 28), 17)


# --- Groups (CC 28, 31) -------------------------------------------------------------------------------------


def test_attacker_under_16_or_not_of_sound_mind_does_not_make_a_group():
    result = run(harm="pain", perpetrators=2, perpetrators_not_counted=1, forensic_recorded=True)
    assert result.part == 3 and result.aggravating == ()
    assert params(result.reasons, "perpetrators_not_counted") == {"not_counted": 1, "count": 2, "age": 16}
    english = as_contract(result, "en")["reasons"]
    assert any("sole executor (CC art. 28 part 2)" in r for r in english)


def test_three_attackers_with_one_not_counted_are_still_a_group_of_two():
    result = run(harm="pain", perpetrators=3, perpetrators_not_counted=1)
    assert result.part == 4 and result.aggravating == ("group",)
    assert params(result.reasons, "feature_group") == {"count": 2}


def test_not_counted_cannot_exceed_the_attackers():
    with pytest.raises(FactsError):
        parse_facts({"occurred_at": WHEN, "act": "threat", "perpetrators": 1, "perpetrators_not_counted": 2})
    with pytest.raises(FactsError):
        parse_facts({"occurred_at": WHEN, "act": "threat", "perpetrators_not_counted": -1})


# --- Repeat offences (CC 12) ----------------------------------------------------------------------------------


def test_repeat_found_by_iin_warns_to_confirm_neither_conviction_nor_release():
    result = run(act="threat", repeat=True, repeat_of=["A-1"])
    assert result.aggravating == ("repeat",)
    warning = as_contract(result, "en")["warnings"][0]
    assert "neither convicted of nor released from criminal liability for the earlier act" in warning
    assert "CC art. 12 part 2" in warning


def test_reports_linked_as_one_episode_are_not_a_repeat():
    result = run(act="threat", repeat=True, repeat_of=["A-1"], episode_of=["A-1"])
    assert result.part == 1 and result.aggravating == ()
    assert "repeat_same_episode" in codes(result.reasons)


def test_iin_match_at_the_same_facility_within_24_hours_proposes_a_link():
    earlier = {"reference": "A-1", "occurred_at": "2026-05-10T02:00", "same_facility": True}  # 10 hours before
    result = run(act="threat", repeat=True, repeat_of=["A-1"], earlier_acts=[earlier])
    assert result.part == 2 and "episode_proposed" in codes(result.warnings)
    assert params(result.warnings, "episode_proposed") == {"reference": "A-1", "hours": 24}
    # Exactly 24 hours before, or at another facility: no proposal.
    for changed in ({"occurred_at": "2026-05-09T12:00"}, {"same_facility": False}):
        result = run(act="threat", repeat=True, repeat_of=["A-1"], earlier_acts=[earlier | changed])
        assert "episode_proposed" not in codes(result.warnings)


def test_new_repeat_reasons_are_for_the_police_only():
    earlier = {"reference": "A-1", "occurred_at": "2026-05-10T02:00", "same_facility": True}
    facts = parse_facts(
        {
            "occurred_at": WHEN,
            "act": "threat",
            "repeat": True,
            "repeat_of": ["A-1", "B-2"],
            "episode_of": ["B-2"],
            "earlier_acts": [earlier],
        }
    )
    outcome = assess(facts)
    police = assessment_for(Audience.POLICE, outcome=outcome, facts=facts.as_json())
    reporting = assessment_for(Audience.REPORTING, outcome=outcome, facts=facts.as_json())
    assert {"episode_proposed", "repeat_unconfirmed"} <= set(codes(police.warnings))
    assert "repeat_same_episode" in codes(police.reasons)
    assert reporting.part == 1 and reporting.aggravating == ()
    shown = codes((*reporting.reasons, *reporting.warnings, *reporting.also_consider))
    assert not {"episode_proposed", "repeat_same_episode", "repeat_before_16", "repeat_unconfirmed"} & set(shown)


# --- Roles and the duty link ------------------------------------------------------------------------------------


def test_victim_without_duty_link_is_assessed_as_performing_with_a_warning():
    result = run(act="threat", victims=[{"role": "nurse"}])
    assert result.part == 1
    assert codes(result.warnings) == ["duty_link_not_recorded"]
    assert "victim_protected" in codes(result.reasons)
    # The stored facts keep the link unrecorded.
    facts = parse_facts({"occurred_at": WHEN, "act": "threat", "victims": [{"role": "nurse"}]})
    assert Facts.from_json(facts.as_json()) == facts
    assert codes(run(act="threat", victims=[{"role": "nurse", "duty_link": "performing"}]).warnings) == []


@pytest.mark.parametrize("role", ["intern", "medical_student", "volunteer"])
def test_trainees_are_protected_only_with_a_qualification_while_doing_medical_work(role):
    both = run(
        act="threat",
        victims=[{"role": role, "duty_link": "performing", "medical_qualification": True, "medical_work": True}],
    )
    assert both.applicable and both.part == 1 and codes(both.warnings) == ["trainee_confirm"]
    for flags in ({}, {"medical_qualification": True}, {"medical_work": True}):
        result = run(act="threat", victims=[{"role": role, "duty_link": "performing", **flags}])
        assert not result.applicable
        assert "trainee_not_protected" in codes(result.reasons)


def test_trainee_flags_must_be_booleans():
    with pytest.raises(FactsError):
        parse_facts({"occurred_at": WHEN, "act": "threat", "victims": [{"role": "intern", "medical_work": "yes"}]})


# --- Fallback and related articles ---------------------------------------------------------------------------------


def also(result) -> list[tuple[str, int | None]]:
    return [(m.code, m.params_dict.get("part")) for m in result.also_consider]


GUARD = [{"role": "security", "duty_link": "performing"}]


def test_hooliganism_part_3_needs_a_weapon_not_choking():
    assert ("cc_293", 1) in also(run(harm="pain", dangerous_method=True, victims=GUARD))  # choking
    assert ("cc_293", 3) in also(run(harm="pain", dangerous_method=True, weapon=True, victims=GUARD))
    assert ("cc_293", 3) in also(run(harm="none", weapon=True, victims=GUARD))  # shown


def test_threat_with_a_knife_suggests_hooliganism_part_3():
    assert also(run(act="threat", weapon=True, victims=GUARD)) == [("cc_115", None), ("cc_293", 3)]
    assert also(run(act="threat", victims=GUARD)) == [("cc_115", None), ("cc_293", 1)]


def test_threat_with_weapon_warning_says_showing_it_is_the_threat():
    result = run(act="threat", weapon=True)
    assert result.part == 1 and codes(result.warnings) == ["threat_with_weapon"]
    text = as_contract(result, "en")["warnings"][0]
    assert "Showing a weapon is the threat itself" in text and "only if force was applied" in text
    assert codes(run(act="threat", harm="light").warnings) == ["threat_with_harm"]


def test_acts_before_the_2014_code_came_into_force_get_no_2014_article_numbers():
    before = run(occurred_at="2014-12-31T23:00", harm="moderate")
    assert also(before) == [("general_articles_earlier_code", None)]
    after = run(occurred_at="2015-01-01T00:30", harm="moderate")
    assert also(after) == [("cc_107", 2), ("cc_293", 1)]


# --- Input and time ------------------------------------------------------------------------------------------------


def tag_lines(text: str, monkeypatch) -> tuple[list[str], int]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = io.StringIO()
    status = 0
    try:
        call_command("legal_tag", stdout=out)
    except SystemExit as exc:
        status = exc.code
    return out.getvalue().splitlines(), status


def test_a_repeated_key_is_refused_like_an_unknown_field(monkeypatch):
    lines, status = tag_lines(
        '{"id": "d", "occurred_at": "2026-04-02T10:15", "act": "violence", "harm": "grave", "harm": "none"}\n'
        '{"id": "v", "occurred_at": "2026-04-02T10:15", "act": "threat", '
        '"victims": [{"role": "nurse", "role": "security"}]}\n'
        '{"id": "ok", "occurred_at": "2026-04-02T10:15", "act": "threat"}\n',
        monkeypatch,
    )
    assert status == 1
    assert lines[0] == '{"id": "d", "error": "duplicate field \'harm\'"}'
    assert lines[1] == '{"id": "v", "error": "duplicate field \'role\'"}'
    assert '"part": 1' in lines[2]


def test_almaty_time_comes_from_the_pinned_tzdata_package():
    assert ALMATY_SOURCE == "tzdata"
    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text()
    assert "\ntzdata==" in requirements


def test_kazakhstan_switched_to_utc_plus_5_on_1_march_2024():
    # Clocks went from 00:00 (UTC+6) on 1 March 2024 back to 23:00 on 29 February: 18:00 UTC.
    assert dt.datetime(2024, 2, 29, 17, 59, tzinfo=dt.UTC).astimezone(ALMATY).utcoffset() == dt.timedelta(hours=6)
    assert dt.datetime(2024, 2, 29, 18, 0, tzinfo=dt.UTC).astimezone(ALMATY).utcoffset() == dt.timedelta(hours=5)
    # 18:30 UTC on 29 February is 23:30 that day in Almaty (an old database would say 00:30 on 1 March).
    facts = parse_facts({"occurred_at": "2024-02-29T18:30:00+00:00", "act": "threat"})
    assert facts.local_date == dt.date(2024, 2, 29)


# --- Done when: legal_tag output is unchanged for every case the points do not touch -------------------------------

BEFORE = Path(__file__).parent / "data" / "outputs_before_issue19.jsonl"


def test_outputs_of_earlier_inputs_are_unchanged_where_no_point_touches_them(monkeypatch):
    # 200 random inputs of the old contract with the tagger's English output before issue 19 (main at 0c133fb).
    # The verdict never changes; the sentences change only where a point applies: a dangerous method (CC 293
    # p.3, the threat warning), a minor suspect (CC 15, 81), an act before the 2014 Code.
    cases = [json.loads(line) for line in BEFORE.read_text(encoding="utf-8").splitlines()]
    lines, _status = tag_lines("\n".join(json.dumps(case["input"]) for case in cases) + "\n", monkeypatch)
    verdict = ("applicable", "article", "part", "aggravating", "procedure", "gravity", "fine_kzt")
    untouched = 0
    for case, line in zip(cases, lines, strict=True):
        now, before, given = json.loads(line), case["output"], case["input"]
        assert {k: now.get(k) for k in verdict} == {k: before.get(k) for k in verdict}, given["id"]
        touched = given.get("dangerous_method") or given.get("suspect_minor") or given["occurred_at"] < "2015"
        if not touched:
            untouched += 1
            assert now == before, given["id"]
    assert untouched > 50
