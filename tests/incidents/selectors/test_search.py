"""The officer's case search (`incidents/selectors/search.py`): what a query is read as, and which cases it finds,
only ever among the officer's own."""

import pytest
from django.core.exceptions import ValidationError

from incidents.models import CaseSearch, Incident
from incidents.selectors.search import SearchQuery, case_search_results, search_query_parse
from incidents.services.cases import case_suspect_identify
from tests import factories
from tests.incidents.case_support import acknowledged, registered
from tests.incidents.search_support import OTHER_IIN, SUSPECT_IIN, named_case

Kind = CaseSearch.Kind


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("ALA-2026-000123", Kind.REFERENCE, "ALA-2026-000123"),
        ("ala 2026", Kind.REFERENCE, "ALA2026"),
        ("2617 5003 1000 123", Kind.ERDR, "261750031000123"),
        (SUSPECT_IIN, Kind.IIN, SUSPECT_IIN),
        ("9001 0130 0017", Kind.IIN, SUSPECT_IIN),
        ("900101300018", Kind.ERDR, "900101300018"),  # twelve digits but no IIN: an ERDR number's part
        ("Пётр  ИВАНОВ", Kind.NAME, "petr ivanov"),
        ("Ким", Kind.NAME, "kim"),
    ],
)
def test_a_query_is_read_as_what_it_looks_like(typed, kind, text):
    assert search_query_parse(typed) == SearchQuery(kind, text)


@pytest.mark.parametrize(
    ("typed", "kind", "code"),
    [
        ("", "", "required"),
        ("   ", "", "required"),
        ("А", "", "name"),
        ("12", "", "erdr"),
        ("A1", "", "reference"),
        ("900101300018", Kind.IIN, "iin_check_digit"),
        ("12ab", Kind.ERDR, "erdr"),
    ],
)
def test_what_cannot_be_searched_is_refused_with_a_reason(typed, kind, code):
    with pytest.raises(ValidationError) as error:
        search_query_parse(typed, kind)
    assert error.value.code == code


def found(officer, typed, kind=""):
    return [case.reference for case in case_search_results(officer, search_query_parse(typed, kind)).cases]


def test_a_suspect_is_found_by_name_in_cyrillic_or_latin_whatever_the_case_and_yo(officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Семёнов Пётр Ильич")
    named_case(reporter, facility_a, suspect="Петров Семен")
    for typed in ("семенов петр", "SEMENOV", "Semyonov Pyotr", "Пётр Семёнов", "semenov iliich"):
        assert found(officer, typed) == [case.reference], typed


def test_every_word_must_be_in_one_persons_name(officer, reporter, facility_a):
    named_case(reporter, facility_a, suspect="Ахметов Ерлан", victim="Иванова Жанар")
    assert found(officer, "Ахметов Жанар") == []
    assert len(found(officer, "Ахметов Ерлан")) == 1


def test_a_victim_is_found_by_name_and_the_matched_people_are_given(officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Ким Олег", victim="Ким Алия")
    results = case_search_results(officer, search_query_parse("Kim"))
    assert [c.pk for c in results.cases] == [case.pk] and results.total == 1
    assert [v.full_name for v in results.cases[0].matched_victims] == ["Ким Алия"]
    assert [a.full_name for a in results.cases[0].matched_attackers] == ["Ким Олег"]


def test_an_iin_is_matched_exactly(officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Ахметов", iin=SUSPECT_IIN)
    named_case(reporter, facility_a, suspect="Ахметов", iin=OTHER_IIN)
    assert found(officer, SUSPECT_IIN) == [case.reference]
    assert found(officer, SUSPECT_IIN[:6], Kind.ERDR) == []  # part of an IIN finds nothing


def test_a_suspect_identified_by_the_police_is_found_by_name_and_iin(officer, reporter, facility_a):
    case = named_case(reporter, facility_a)
    case = acknowledged(case, officer)
    case_suspect_identify(
        incident=case, actor=officer, expected_version=case.version, full_name="Нұрланов Әлібек", iin=OTHER_IIN
    )
    assert found(officer, "Nurlanov Alibek") == [case.reference]
    assert found(officer, OTHER_IIN) == [case.reference]


def test_reference_and_erdr_number_by_any_part(officer, reporter, facility_a):
    case = registered(named_case(reporter, facility_a), officer)
    other = named_case(reporter, facility_a)
    assert found(officer, case.reference) == [case.reference]
    assert found(officer, case.reference.lower()) == [case.reference]
    assert set(found(officer, "ALA-2026")) == {case.reference, other.reference}
    assert found(officer, case.erdr_number[-7:], Kind.ERDR) == [case.reference]


def test_only_the_officers_own_cases_are_searched(
    officer, other_officer, reporter, other_reporter, facility_a, facility_b
):
    mine = named_case(reporter, facility_a, suspect="Ахметов Ерлан", iin=SUSPECT_IIN)
    theirs = named_case(other_reporter, facility_b, suspect="Ахметов Ерлан", iin=SUSPECT_IIN)
    for typed in ("Ахметов", SUSPECT_IIN, "ALA-2026"):
        assert found(officer, typed) == [mine.reference], typed
        assert found(other_officer, typed) == [theirs.reference], typed


def test_people_without_case_work_find_nothing(reporter, facility_lead, analyst, administrator, facility_a):
    named_case(reporter, facility_a, suspect="Ахметов Ерлан", iin=SUSPECT_IIN)
    for user in (reporter, facility_lead, analyst, administrator):
        assert found(user, "Ахметов") == [] and found(user, SUSPECT_IIN) == []


def test_a_district_officer_finds_the_cases_routed_to_their_department(reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Цой Виктор")
    Incident.objects.filter(pk=case.pk).update(police_post=None)
    district_officer = factories.make_officer(facility_a.police_posts.get(), username="district")
    district_officer.post_assignments.all().delete()
    district_officer.department_assignments.create(police_department=case.police_department)
    assert found(district_officer, "Tsoi") == [case.reference]


def test_many_matches_show_the_newest_and_count_all(officer, reporter, facility_a):
    made = [named_case(reporter, facility_a, suspect=f"Ахметов {n}") for n in range(5)]
    results = case_search_results(officer, search_query_parse("Ахметов"), limit=3)
    assert results.total == 5 and results.more
    assert [c.pk for c in results.cases] == [c.pk for c in sorted(made, key=lambda c: c.pk, reverse=True)][:3]


def test_a_short_word_or_an_initial_begins_a_word_of_the_name(officer, reporter, facility_a):
    li = named_case(reporter, facility_a, suspect="Ли Алексей")
    aliya = named_case(reporter, facility_a, suspect="Ахметова Алия")
    ivanov = named_case(reporter, facility_a, suspect="Иванов Иван Петрович")
    assert found(officer, "Ли") == [li.reference]  # not "Алия", where "ли" is inside a word
    assert found(officer, "Иванов И. П.") == [ivanov.reference]
    assert found(officer, "Ахметова А") == [aliya.reference]
