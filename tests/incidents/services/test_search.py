"""Every officer's search is recorded (`incidents/services/search.py`): who, when, by what, how many cases; a name
or an IIN only as a keyed digest."""

from incidents.models import CaseSearch
from incidents.selectors.search import search_query_parse
from incidents.services.search import case_search, search_query_digest
from legal.iin import iin_digest
from tests.incidents.search_support import SUSPECT_IIN, named_case


def test_a_search_by_iin_is_recorded_with_its_digest_never_the_iin(officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Ахметов Ерлан", iin=SUSPECT_IIN)
    results = case_search(user=officer, query=search_query_parse(SUSPECT_IIN))
    assert [c.pk for c in results.cases] == [case.pk]
    entry = CaseSearch.objects.get()
    assert (entry.user, entry.kind, entry.results, entry.query) == (officer, CaseSearch.Kind.IIN, 1, "")
    # The same digest as the suspect's row: an auditor holding the IIN can find who searched for it.
    assert entry.query_digest == iin_digest(SUSPECT_IIN) == case.attackers.get().iin_digest
    stored = [str(value) for value in CaseSearch.objects.values_list().get()]
    assert not any(SUSPECT_IIN in value for value in stored)


def test_a_search_by_name_keeps_only_a_digest_of_the_name(officer, reporter, facility_a):
    named_case(reporter, facility_a, suspect="Ахметов Ерлан")
    case_search(user=officer, query=search_query_parse("Akhmetov"))
    entry = CaseSearch.objects.get()
    assert (entry.kind, entry.results, entry.query) == (CaseSearch.Kind.NAME, 1, "")
    assert entry.query_digest == search_query_digest(search_query_parse("Ахметов"))  # any spelling, one digest
    assert len(entry.query_digest) == 64
    assert not any("ahmetov" in str(value).lower() for value in CaseSearch.objects.values_list().get())


def test_a_search_by_reference_is_kept_as_typed_with_no_results_too(officer):
    case_search(user=officer, query=search_query_parse("ala-2026-999"))
    entry = CaseSearch.objects.get()
    assert (entry.kind, entry.query, entry.query_digest, entry.results) == ("reference", "ALA-2026-999", "", 0)


def test_the_count_recorded_is_every_case_found_not_only_those_shown(officer, reporter, facility_a, monkeypatch):
    for n in range(3):
        named_case(reporter, facility_a, suspect=f"Ким {n}")
    monkeypatch.setattr("incidents.selectors.search.SEARCH_LIMIT", 2)
    results = case_search(user=officer, query=search_query_parse("Ким"))
    assert results.total == 3 and len(results.cases) == 2
    assert CaseSearch.objects.get().results == 3
