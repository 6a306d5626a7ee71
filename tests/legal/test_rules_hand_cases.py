"""Cases worked out by hand from ARTICLE-380-3.md that the twelve shared examples do not cover.

Each case states the whole verdict (applicable, part, aggravating, procedure, gravity, fine) and exactly
which warnings and "also consider" articles it must carry, as message codes (so the check does not depend
on a translation). The working is in the comment of each case. MCI: 2024 — 3,692; 2025 — 3,932;
2026 — 4,325 (none known for 2027). Part 1 fine 200–500 MCI, part 3 fine 500–1000 MCI.
"""

import datetime as dt

import pytest

from legal.facts import parse_facts
from legal.messages import as_contract
from legal.rules import assess

WHEN = "2026-05-10T12:00"
NOT_APPLICABLE = {
    "applicable": False,
    "article": None,
    "part": None,
    "aggravating": [],
    "procedure": None,
    "gravity": None,
    "fine_kzt": None,
}
PART_1_FINE_2026 = [200 * 4325, 500 * 4325]  # 865,000–2,162,500 tenge
PART_3_FINE_2026 = [500 * 4325, 1000 * 4325]  # 2,162,500–4,325,000 tenge


def v(role: str, duty_link: str = "performing") -> dict[str, str]:
    return {"role": role, "duty_link": duty_link}


def applicable(part: int, aggravating: list[str], procedure: str, gravity: str, fine: list[int] | None) -> dict:
    return {
        "applicable": True,
        "article": "380-3",
        "part": part,
        "aggravating": aggravating,
        "procedure": procedure,
        "gravity": gravity,
        "fine_kzt": fine,
    }


INQ, PI = "inquiry", "preliminary_investigation"

# (id, input facts, expected verdict, expected warning codes, expected also_consider as (code, part))
CASES = [
    # Two protected victims (nurse, doctor) and a security guard: only the two protected ones count,
    # so feature 1 applies; pain without a dangerous method is part 3, aggravated part 4 (max 7 y: grave,
    # preliminary investigation). No fine in part 4. Violence without a forensic result is provisional.
    (
        "two-protected-one-guard-violence",
        {"act": "violence", "harm": "pain", "victims": [v("nurse"), v("doctor", "in_connection"), v("security")]},
        applicable(4, ["two_or_more_victims"], PI, "grave", None),
        ["provisional_no_forensic"],
        [],
    ),
    # The same victims threatened: part 1 + feature 1 = part 2 (max 3 y: medium), inquiry; no warning.
    (
        "two-protected-one-guard-threat",
        {"act": "threat", "victims": [v("nurse"), v("doctor", "in_connection"), v("security")]},
        applicable(2, ["two_or_more_victims"], INQ, "medium", None),
        [],
        [],
    ),
    # One protected victim and a guard: feature 1 needs two PROTECTED persons. Part 3 with a 2026 fine.
    (
        "one-protected-one-guard",
        {"act": "violence", "harm": "none", "victims": [v("nurse"), v("security")]},
        applicable(3, [], INQ, "medium", PART_3_FINE_2026),
        ["provisional_no_forensic"],
        [],
    ),
    # Two nurses off duty (duty link none) and a doctor on duty: only the doctor is covered, one person.
    (
        "two-unlinked-one-linked",
        {"act": "threat", "victims": [v("nurse", "none"), v("nurse", "none"), v("doctor")]},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        [],
        [],
    ),
    # Group by prior agreement (3 people) and repeat: two features, still one step up: part 2.
    (
        "group-agreement-and-repeat-threat",
        {"act": "threat", "perpetrators": 3, "prior_agreement": True, "repeat": True},
        applicable(2, ["group_prior_agreement", "repeat"], INQ, "medium", None),
        [],
        [],
    ),
    # The same for a push causing pain: part 3 → 4, never 5.
    (
        "group-agreement-and-repeat-push",
        {"act": "violence", "harm": "pain", "perpetrators": 2, "prior_agreement": True, "repeat": True},
        applicable(4, ["group_prior_agreement", "repeat"], PI, "grave", None),
        ["provisional_no_forensic"],
        [],
    ),
    # A dangerous method (strangulation, a knife) with no harm is violence dangerous to life or health:
    # part 5 (max 10 y: grave), preliminary investigation, no fine; no grave harm, so nothing else to consider.
    (
        "dangerous-method-no-harm",
        {"act": "violence", "harm": "none", "dangerous_method": True},
        applicable(5, [], PI, "grave", None),
        ["provisional_no_forensic"],
        [],
    ),
    # Light harm (any harm to health is dangerous violence) to a doctor attacked out of revenge: covered, part 5.
    (
        "light-harm-revenge",
        {"act": "violence", "harm": "light", "victims": [v("doctor", "revenge")]},
        applicable(5, [], PI, "grave", None),
        ["provisional_no_forensic"],
        [],
    ),
    # A threat by an unknown suspect who is (said to be) a minor: part 1, but inquiry needs a known adult
    # suspect (CPC 189 p.3): preliminary investigation. Gravity and fine still those of part 1. A minor
    # (issue 19): check the age (CC 15 p.1), the minors' fine (CC 81), and part 1 (small) is not imprisoned.
    (
        "threat-minor-unknown-suspect",
        {"act": "threat", "suspect_identified": False, "suspect_minor": True},
        applicable(1, [], PI, "small", PART_1_FINE_2026),
        ["minor_check_age", "minor_fine", "minor_no_imprisonment"],
        [],
    ),
    # Part 2 by an unknown group: part 2 is an inquiry part, so CPC 189 p.3 moves it too.
    (
        "threat-group-unknown-suspect",
        {"act": "threat", "perpetrators": 2, "suspect_identified": False},
        applicable(2, ["group"], PI, "medium", None),
        [],
        [],
    ),
    # A minor suspect of part 3: preliminary investigation, the fine of part 3 stays (the part's own), and the
    # minor's warnings (issue 19): age, the 5–100 MCI fine, no imprisonment for part 3 (medium).
    (
        "push-minor-suspect",
        {"act": "violence", "harm": "pain", "suspect_minor": True, "forensic_recorded": True},
        applicable(3, [], PI, "medium", PART_3_FINE_2026),
        ["minor_check_age", "minor_fine", "minor_no_imprisonment"],
        [],
    ),
    # One second before midnight of 7 March 2026 in Almaty: not covered (CC 6); a threat points to 115 and 293 p.1.
    (
        "boundary-235959-almaty",
        {"act": "threat", "occurred_at": "2026-03-06T23:59:59+05:00"},
        NOT_APPLICABLE,
        [],
        [("cc_115", None), ("cc_293", 1)],
    ),
    # 19:00 UTC on 6 March is 00:00 on 7 March in Almaty: covered, part 1 at the 2026 MCI.
    (
        "boundary-1900-utc",
        {"act": "threat", "occurred_at": "2026-03-06T19:00:00Z"},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        [],
        [],
    ),
    # 04:59:59 on 7 March at UTC+10 is 23:59:59 on 6 March in Almaty: not covered, whatever the local date said.
    (
        "boundary-plus-ten",
        {"act": "threat", "occurred_at": "2026-03-07T04:59:59+10:00"},
        NOT_APPLICABLE,
        [],
        [("cc_115", None), ("cc_293", 1)],
    ),
    # Acts of 2024 and 2025 are before the law: no part and so no fine, although their MCI is known.
    (
        "fine-2024",
        {"act": "threat", "occurred_at": "2024-06-01T10:00"},
        NOT_APPLICABLE,
        [],
        [("cc_115", None), ("cc_293", 1)],
    ),
    (
        "fine-2025",
        {"act": "violence", "harm": "pain", "occurred_at": "2025-06-01T10:00"},
        NOT_APPLICABLE,
        ["provisional_no_forensic"],
        [("cc_293", 1)],
    ),
    (
        "fine-2026-part-1",
        {"act": "threat", "occurred_at": "2026-06-01T10:00"},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        [],
        [],
    ),
    (
        "fine-2026-part-3",
        {"act": "violence", "harm": "none", "occurred_at": "2026-06-01T10:00", "forensic_recorded": True},
        applicable(3, [], INQ, "medium", PART_3_FINE_2026),
        [],
        [],
    ),
    # The last evening of 2026 in Almaty still takes the 2026 MCI …
    (
        "fine-new-year-eve",
        {"act": "threat", "occurred_at": "2026-12-31T23:30+05:00"},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        [],
        [],
    ),
    # … but 19:30 UTC on 31 December is 00:30 on 1 January 2027 in Almaty: no 2027 MCI, no guess, a warning.
    (
        "fine-2027-via-utc",
        {"act": "threat", "occurred_at": "2026-12-31T19:30Z"},
        applicable(1, [], INQ, "small", None),
        ["mci_unknown"],
        [],
    ),
    (
        "fine-2027-part-3",
        {"act": "violence", "harm": "pain", "occurred_at": "2027-04-01T10:00", "forensic_recorded": True},
        applicable(3, [], INQ, "medium", None),
        ["mci_unknown"],
        [],
    ),
    # A pharmacist is not (or not certainly) a medical worker: not applicable, with a doubtful-role warning;
    # a push to someone not protected points to hooliganism, 293 p.1.
    (
        "pharmacist-only",
        {"act": "violence", "harm": "pain", "victims": [v("pharmacist")], "forensic_recorded": True},
        NOT_APPLICABLE,
        ["doubtful_role"],
        [("cc_293", 1)],
    ),
    # A registrar and an orderly threatened: neither protected; only the orderly's status is doubtful.
    (
        "registrar-and-orderly-threat",
        {"act": "threat", "victims": [v("registrar"), v("orderly")]},
        NOT_APPLICABLE,
        ["doubtful_role"],
        [("cc_115", None), ("cc_293", 1)],
    ),
    # A pharmacist beside a protected nurse: the nurse makes it part 1; the pharmacist is not counted
    # towards feature 1 but is warned about.
    (
        "nurse-and-pharmacist",
        {"act": "threat", "victims": [v("nurse"), v("pharmacist")]},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        ["doubtful_role"],
        [],
    ),
    # Death caused by a group: part 5 → 6 (max 12 y: still grave), and murder (99) and grave harm in
    # connection with duty (106 p.2) are worth a look alongside.
    (
        "death-by-group",
        {"act": "violence", "harm": "death", "perpetrators": 2, "forensic_recorded": True},
        applicable(6, ["group"], PI, "grave", None),
        [],
        [("cc_99", None), ("cc_106", 2)],
    ),
    # Moderate harm from a knife in a riot, unknown suspect: part 6; 189 p.3 changes nothing in parts 4–6.
    (
        "moderate-harm-riot-unknown",
        {
            "act": "violence",
            "harm": "moderate",
            "dangerous_method": True,
            "circumstances": ["mass_riots"],
            "suspect_identified": False,
        },
        applicable(6, ["mass_riots"], PI, "grave", None),
        ["provisional_no_forensic"],
        [],
    ),
    # Two circumstances and two protected victims (ambulance crew): part 5 → 6 once, four features listed sorted.
    (
        "ambulance-crew-emergency-area",
        {
            "act": "violence",
            "harm": "light",
            "victims": [v("ambulance_driver", "revenge"), v("paramedic")],
            "circumstances": ["state_of_emergency_area", "emergency_situation"],
            "forensic_recorded": True,
        },
        applicable(6, ["emergency_situation", "state_of_emergency_area", "two_or_more_victims"], PI, "grave", None),
        [],
        [],
    ),
    # Grave harm to a nurse off duty: not 380-3; grave harm, no duty link → 106 part 1 (not part 2).
    (
        "grave-harm-off-duty",
        {"act": "violence", "harm": "grave", "victims": [v("nurse", "none")], "forensic_recorded": True},
        NOT_APPLICABLE,
        [],
        [("cc_106", 1)],
    ),
    # Before the law, moderate harm to a midwife on duty by two people: 107 p.2 (duty) and 293 p.2 (group).
    (
        "before-law-moderate-group",
        {
            "act": "violence",
            "harm": "moderate",
            "perpetrators": 2,
            "victims": [v("midwife")],
            "occurred_at": "2026-02-20T08:00",
            "forensic_recorded": True,
        },
        NOT_APPLICABLE,
        [],
        [("cc_107", 2), ("cc_293", 2)],
    ),
    # A resident doctor is a medical worker: threat in connection with duty, part 1.
    (
        "resident-in-connection",
        {"act": "threat", "victims": [v("resident", "in_connection")]},
        applicable(1, [], INQ, "small", PART_1_FINE_2026),
        [],
        [],
    ),
    # Prior agreement "of one person" is no group: part 3 stays, with a warning.
    (
        "agreement-without-group",
        {"act": "violence", "harm": "none", "prior_agreement": True, "forensic_recorded": True},
        applicable(3, [], INQ, "medium", PART_3_FINE_2026),
        ["agreement_without_group"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("facts", "verdict", "warnings", "also_consider"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_hand_computed_case(facts, verdict, warnings, also_consider):
    facts = {"occurred_at": WHEN, **facts}
    result = assess(parse_facts(facts))
    contract = as_contract(result, "en")

    assert {key: contract[key] for key in verdict} == verdict
    assert sorted(m.code for m in result.warnings) == sorted(warnings)
    assert [(m.code, m.params_dict.get("part")) for m in result.also_consider] == also_consider
    assert result.provisional is bool(warnings)


def test_two_or_more_victims_reason_counts_only_protected_linked_victims():
    result = assess(
        parse_facts(
            {
                "occurred_at": WHEN,
                "act": "threat",
                "victims": [
                    v("nurse"),
                    v("doctor", "in_connection"),
                    v("security"),
                    v("feldsher", "none"),
                    v("pharmacist"),
                ],
            }
        )
    )
    [reason] = [m for m in result.reasons if m.code == "feature_two_or_more_victims"]
    assert reason.params_dict == {"count": 2}


def test_minor_unknown_suspect_threat_says_why_inquiry_is_replaced():
    result = assess(
        parse_facts({"occurred_at": WHEN, "act": "threat", "suspect_identified": False, "suspect_minor": True})
    )
    codes = [m.code for m in result.reasons]
    assert "procedure_inquiry" in codes and "procedure_suspect_unknown" in codes
    assert "procedure_investigation" not in codes


def test_fine_reason_names_the_year_and_its_mci():
    result = assess(parse_facts({"occurred_at": "2026-03-07T00:00", "act": "threat"}))
    [fine] = [m for m in result.reasons if m.code == "fine"]
    assert fine.params_dict == {
        "year": 2026,
        "mci": 4325,
        "min_mci": 200,
        "max_mci": 500,
        "min_kzt": 865_000,
        "max_kzt": 2_162_500,
    }


@pytest.mark.parametrize(
    ("occurred_at", "mci"),
    [
        ("2024-12-31T23:59", 3692),
        ("2024-12-31T19:00Z", 3932),  # 00:00 on 1 January 2025 in Almaty
        ("2025-07-01T10:00", 3932),
        ("2026-01-01T00:00+05:00", 4325),
    ],
)
def test_fine_uses_the_mci_of_the_act_year_under_a_law_in_force_earlier(occurred_at, mci):
    """The 2024 and 2025 MCIs are never reached under Law 252-VIII (not in force yet); a law version in force
    from 2024 shows that the rules take the MCI of the act's Almaty year, not the current one."""
    from dataclasses import replace

    from legal import statute

    earlier_law = replace(statute.CURRENT, in_force=dt.date(2024, 1, 1))
    threat = assess(parse_facts({"occurred_at": occurred_at, "act": "threat"}), earlier_law)
    push = assess(parse_facts({"occurred_at": occurred_at, "act": "violence", "harm": "pain"}), earlier_law)
    assert threat.fine_kzt == (200 * mci, 500 * mci)
    assert push.fine_kzt == (500 * mci, 1000 * mci)
