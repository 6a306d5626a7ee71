"""The Article 380-3 rules (`legal/rules.py`), case by case (the pure function; no database)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings

from legal import statute
from legal.facts import Facts, parse_facts
from legal.messages import as_contract
from legal.rules import assess
from tests.legal.helpers import nurse, tag

DATA = Path(__file__).parent / "data" / "examples.jsonl"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "legal" / "examples.jsonl"


def load_examples(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("example", load_examples(DATA), ids=lambda e: e["input"]["id"])
def test_example_passes(example):
    output = tag(**example["input"])
    for key, expected in example["expected"].items():
        if key != "id":
            assert output[key] == expected, key


def test_shared_examples_match_the_copy_and_pass():
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is outside the repository and not present here")
    shared = load_examples(SHARED)
    assert shared == load_examples(DATA), "tests/legal/data/examples.jsonl is out of date"
    for example in shared:
        output = tag(**example["input"])
        assert {k: output[k] for k in example["expected"] if k != "id"} == {
            k: v for k, v in example["expected"].items() if k != "id"
        }


# --- Every part --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "part", "gravity", "procedure"),
    [
        ({"act": "threat"}, 1, "small", "inquiry"),
        ({"act": "threat", "perpetrators": 3}, 2, "medium", "inquiry"),
        ({"act": "violence", "harm": "none"}, 3, "medium", "inquiry"),
        ({"act": "violence", "harm": "pain", "repeat": True}, 4, "grave", "preliminary_investigation"),
        ({"act": "violence", "harm": "light"}, 5, "grave", "preliminary_investigation"),
        (
            {"act": "violence", "harm": "grave", "circumstances": ["state_of_emergency_area"]},
            6,
            "grave",
            "preliminary_investigation",
        ),
    ],
)
def test_every_part(fields, part, gravity, procedure):
    output = tag(**fields)
    assert (output["applicable"], output["article"], output["part"]) == (True, "380-3", part)
    assert (output["gravity"], output["procedure"]) == (gravity, procedure)


@pytest.mark.parametrize("harm", ["light", "moderate", "grave", "death"])
def test_any_harm_to_health_is_dangerous_violence(harm):
    assert tag(harm=harm)["part"] == 5


@pytest.mark.parametrize("harm", ["none", "pain"])
def test_dangerous_method_without_harm_is_dangerous_violence(harm):
    assert tag(harm=harm)["part"] == 3
    assert tag(harm=harm, dangerous_method=True)["part"] == 5


@pytest.mark.parametrize("harm", ["none", "pain", "light", "grave", "death"])
def test_threat_stays_part_one_whatever_harm_is_recorded_but_warns(harm):
    output = tag(act="threat", harm=harm, dangerous_method=harm != "none")
    assert output["part"] == 1
    assert any("record the act as violence" in w for w in output["warnings"]) is (harm != "none")


# --- Aggravating features, each alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "feature"),
    [
        ({"victims": [nurse(), {"role": "doctor", "duty_link": "revenge"}]}, "two_or_more_victims"),
        ({"perpetrators": 2}, "group"),
        ({"perpetrators": 2, "prior_agreement": True}, "group_prior_agreement"),
        ({"repeat": True}, "repeat"),
        ({"circumstances": ["emergency_situation"]}, "emergency_situation"),
        ({"circumstances": ["mass_riots"]}, "mass_riots"),
        ({"circumstances": ["state_of_emergency_area"]}, "state_of_emergency_area"),
        ({"circumstances": ["anti_terror_operation_area"]}, "anti_terror_operation_area"),
    ],
)
@pytest.mark.parametrize(
    ("act", "harm", "base"), [("threat", "none", 1), ("violence", "pain", 3), ("violence", "moderate", 5)]
)
def test_each_aggravating_feature_alone_raises_the_part_by_one(fields, feature, act, harm, base):
    output = tag(act=act, harm=harm, **fields)
    assert output["aggravating"] == [feature]
    assert output["part"] == base + 1
    assert any("aggravating feature" in reason for reason in output["reasons"])


def test_features_are_sorted_and_group_is_never_both():
    output = tag(
        perpetrators=4,
        prior_agreement=True,
        repeat=True,
        victims=[nurse(), nurse()],
        circumstances=["mass_riots", "emergency_situation", "mass_riots"],
    )
    assert output["aggravating"] == [
        "emergency_situation",
        "group_prior_agreement",
        "mass_riots",
        "repeat",
        "two_or_more_victims",
    ]
    assert output["part"] == 4


def test_prior_agreement_of_one_perpetrator_is_not_a_group():
    output = tag(prior_agreement=True, harm="pain")
    assert output["aggravating"] == [] and output["part"] == 3
    assert any("two or more perpetrators" in w for w in output["warnings"])


def test_only_protected_victims_with_a_duty_link_count_as_two_or_more():
    assert tag(victims=[nurse(), {"role": "security", "duty_link": "performing"}])["aggravating"] == []
    assert tag(victims=[nurse(), nurse("none")])["aggravating"] == []
    assert tag(victims=[nurse(), {"role": "pharmacist", "duty_link": "performing"}])["aggravating"] == []
    assert tag(victims=[nurse(), nurse("in_connection")])["aggravating"] == ["two_or_more_victims"]


# --- Who is protected, and the link to duty ---------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(statute.CURRENT.protected_roles))
@pytest.mark.parametrize("duty_link", ["performing", "in_connection", "revenge"])
def test_protected_roles_with_a_duty_link_are_covered(role, duty_link):
    output = tag(act="threat", victims=[{"role": role, "duty_link": duty_link}])
    assert output["applicable"] is True and output["part"] == 1


@pytest.mark.parametrize("role", ["pharmacist", "orderly", "registrar", "security", "other_staff"])
def test_unprotected_victims_are_not_covered_and_general_articles_are_suggested(role):
    output = tag(harm="pain", victims=[{"role": role, "duty_link": "performing"}])
    assert output == output | {
        "applicable": False,
        "article": None,
        "part": None,
        "aggravating": [],
        "procedure": None,
        "gravity": None,
        "fine_kzt": None,
    }
    assert any("293" in item for item in output["also_consider"])
    doubtful = any("Check the victim's status" in w for w in output["warnings"])
    assert doubtful is (role in {"pharmacist", "orderly"})


def test_doubtful_role_is_warned_about_even_beside_a_protected_victim():
    output = tag(act="threat", victims=[nurse(), {"role": "orderly", "duty_link": "performing"}])
    assert output["part"] == 1
    assert any("orderly" in w for w in output["warnings"])


@pytest.mark.parametrize("role", ["nurse", "doctor", "ambulance_driver"])
def test_duty_link_none_is_not_covered(role):
    output = tag(harm="pain", victims=[{"role": role, "duty_link": "none"}])
    assert output["applicable"] is False and output["part"] is None
    assert any("not linked to their official or professional duties" in r for r in output["reasons"])


def test_one_linked_victim_is_enough_when_another_is_unlinked():
    assert tag(act="threat", victims=[nurse("none"), {"role": "doctor", "duty_link": "revenge"}])["part"] == 1


def test_no_victims_is_not_covered():
    output = tag(victims=[])
    assert output["applicable"] is False


# --- Time ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("occurred_at", "covered"),
    [
        ("2026-03-07T00:00", True),
        ("2026-03-06T23:59:59", False),
        ("2026-03-07T00:30+05:00", True),
        ("2026-03-06T23:30+05:00", False),
        ("2026-03-06T19:30Z", True),  # 00:30 on 7 March in Almaty
        ("2026-03-06T19:30+00:00", True),
        ("2026-03-06T18:30Z", False),  # 23:30 on 6 March in Almaty
        ("2026-03-07T01:00+09:00", False),  # 21:00 on 6 March in Almaty
        ("2026-03-06T22:00-03:00", True),  # 06:00 on 7 March in Almaty
        ("2025-12-31T23:00", False),
        ("2024-05-01T10:00", False),
    ],
)
def test_in_force_midnight_boundary_is_judged_in_almaty(occurred_at, covered):
    output = tag(act="threat", occurred_at=occurred_at)
    assert output["applicable"] is covered
    assert (output["part"] == 1) is covered


def test_before_the_law_points_to_general_articles_by_harm():
    def suggested(**fields):
        return " | ".join(tag(occurred_at="2026-02-01T10:00", **fields)["also_consider"])

    assert "115" in suggested(act="threat") and "293 part 1" in suggested(act="threat")
    assert "107 part 2" in suggested(harm="moderate")
    assert "107 part 1" in suggested(harm="moderate", victims=[nurse("none")])
    assert "106 part 2" in suggested(harm="grave")
    assert "99" in suggested(harm="death")
    assert "293 part 2" in suggested(harm="pain", perpetrators=2)
    assert "293 part 3" in suggested(harm="pain", dangerous_method=True, weapon=True)
    assert "293 part 1" in suggested(harm="pain", dangerous_method=True)  # choking alone (issue 19)


def test_grave_harm_and_death_also_consider_106_and_99():
    assert any("art. 106" in item for item in tag(harm="grave")["also_consider"])
    death = tag(harm="death")["also_consider"]
    assert any("art. 99" in item for item in death) and any("art. 106" in item for item in death)
    assert tag(harm="moderate")["also_consider"] == []


# --- Procedure (CPC 189 p.3) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "part"),
    [
        ({"act": "threat"}, 1),
        ({"act": "threat", "repeat": True}, 2),
        ({"harm": "pain"}, 3),
    ],
)
def test_unknown_or_minor_suspect_moves_inquiry_to_preliminary_investigation(fields, part):
    assert tag(**fields)["procedure"] == "inquiry"
    unknown = tag(suspect_identified=False, **fields)
    minor = tag(suspect_minor=True, **fields)
    assert unknown["part"] == minor["part"] == part
    assert unknown["procedure"] == minor["procedure"] == "preliminary_investigation"
    assert any("189" in r for r in unknown["reasons"]) and any("minor" in r for r in minor["reasons"])


@pytest.mark.parametrize("harm", ["pain", "light"])
def test_unknown_suspect_does_not_change_parts_four_to_six(harm):
    output = tag(harm=harm, perpetrators=2, suspect_identified=False, suspect_minor=True)
    assert output["procedure"] == "preliminary_investigation"
    assert not any("189" in r for r in output["reasons"])


# --- Fines and the MCI ------------------------------------------------------------------------------------------


def test_fine_is_computed_at_the_mci_of_the_act_year():
    assert tag(act="threat", occurred_at="2026-12-31T23:59")["fine_kzt"] == [200 * 4325, 500 * 4325]
    assert tag(harm="pain", occurred_at="2026-03-07T00:00")["fine_kzt"] == [500 * 4325, 1000 * 4325]


@pytest.mark.parametrize(
    "fields",
    [
        {"act": "threat", "perpetrators": 2},
        {"harm": "pain", "repeat": True},
        {"harm": "light"},
        {"harm": "light", "repeat": True},
    ],
)
def test_no_fine_for_parts_two_four_five_six(fields):
    assert tag(**fields)["fine_kzt"] is None


def test_unknown_mci_year_gives_no_fine_and_a_warning():
    output = tag(act="threat", occurred_at="2027-01-01T00:30+05:00")
    assert output["part"] == 1 and output["fine_kzt"] is None
    assert any("MCI for 2027 is not known" in w for w in output["warnings"])
    # 31 Dec 2026 at 20:00 UTC is 1 January 2027 in Almaty: the 2027 MCI applies.
    assert tag(act="threat", occurred_at="2026-12-31T20:00Z")["fine_kzt"] is None


def test_a_new_year_mci_is_a_data_change():
    from dataclasses import replace

    next_year = replace(statute.CURRENT, mci_by_year={**statute.CURRENT.mci_by_year, 2027: 4500})
    facts = parse_facts({"occurred_at": "2027-02-01T09:00", "act": "threat"})
    assert assess(facts, next_year).fine_kzt == (200 * 4500, 500 * 4500)
    assert assess(facts).fine_kzt is None


# --- Provisional --------------------------------------------------------------------------------------------------


def test_violence_is_provisional_until_a_forensic_result_is_recorded():
    facts = parse_facts({"occurred_at": "2026-05-01T10:00", "act": "violence", "harm": "pain"})
    assert assess(facts).provisional
    recorded = parse_facts(
        {"occurred_at": "2026-05-01T10:00", "act": "violence", "harm": "pain", "forensic_recorded": True}
    )
    assert not assess(recorded).provisional
    threat = parse_facts({"occurred_at": "2026-05-01T10:00", "act": "threat"})
    assert not assess(threat).provisional


def test_repeat_found_by_matching_names_earlier_case_and_asks_for_confirmation():
    facts = Facts(occurred_at=dt.datetime(2026, 6, 1, 10, 0), act="threat", repeat=True, repeat_of=("ALA-2026-000007",))
    result = assess(facts)
    assert result.part == 2 and result.provisional
    warning = as_contract(result, "en")["warnings"][0]
    assert "ALA-2026-000007" in warning and "CC art. 12" in warning


# --- The assessment stored ----------------------------------------------------------------------------------------


def test_assessment_survives_json_round_trip():
    from legal.rules import Assessment

    result = assess(
        parse_facts(
            {
                "occurred_at": "2026-05-01T10:00",
                "act": "violence",
                "harm": "pain",
                "victims": [nurse(), {"role": "pharmacist", "duty_link": "performing"}],
            }
        )
    )
    again = Assessment.from_json(json.loads(json.dumps(result.as_json())))
    assert again == result
