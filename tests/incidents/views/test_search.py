"""The officer's case search page (`incidents/views/search.py`): who may open it, what it shows, and that every
search made through it is recorded while a refused query is not."""

import pytest
from django.urls import reverse

from incidents.models import CaseSearch
from tests.incidents.search_support import SUSPECT_IIN, named_case

URL = reverse("incidents:case_search")


def test_the_officer_finds_a_case_of_their_post_by_suspect_name_and_sees_who_matched(
    client, officer, reporter, facility_a
):
    case = named_case(reporter, facility_a, suspect="Семёнов Пётр", iin=SUSPECT_IIN)
    client.force_login(officer)
    response = client.get(URL, {"q": "Semenov"})
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("incidents:case_detail", args=[case.pk]) in body
    assert "Suspect: Семёнов Пётр" in body and SUSPECT_IIN in body
    assert "1 case found" in body
    assert CaseSearch.objects.get().kind == CaseSearch.Kind.NAME


def test_another_posts_case_is_not_found_nor_hinted(client, other_officer, reporter, facility_a):
    case = named_case(reporter, facility_a, suspect="Семёнов Пётр", iin=SUSPECT_IIN)
    client.force_login(other_officer)
    for typed in ("Семёнов", SUSPECT_IIN, case.reference):
        response = client.get(URL, {"q": typed})
        assert response.context["results"].cases == []
        results = response.content.decode().split('id="search-summary"')[1]
        assert case.reference not in results and "Семёнов" not in results
        assert 'id="search-none"' in results
    assert list(CaseSearch.objects.values_list("results", flat=True)) == [0, 0, 0]


def test_a_wrong_iin_is_refused_keeping_what_was_typed_and_nothing_is_recorded(client, officer):
    client.force_login(officer)
    response = client.get(URL, {"q": "900101300018", "kind": "iin"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "wrong check digit" in body and 'value="900101300018"' in body
    assert not CaseSearch.objects.exists()


def test_the_empty_page_searches_nothing(client, officer):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["results"] is None
    assert not CaseSearch.objects.exists()


@pytest.mark.parametrize("persona", ["reporter", "facility_lead", "analyst", "administrator"])
def test_without_case_work_the_page_is_forbidden(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"q": "Ахметов"}).status_code == 403
    assert not CaseSearch.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL, {"q": "Ахметов"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_offers_search_to_officers_only(client, officer, reporter):
    client.force_login(officer)
    assert URL in client.get(reverse("incidents:case_inbox")).content.decode()
    client.force_login(reporter)
    assert URL not in client.get(reverse("incidents:my_reports")).content.decode()


@pytest.mark.parametrize(
    "params",
    [{"q": "Ахметов\x00"}, {"q": "Ахметов", "kind": "bogus"}, {"q": "а" * 500}, {"q": "%_%"}, {"q": "'; --"}],
)
def test_bad_input_is_refused_or_found_nothing_never_a_500(client, officer, params):
    client.force_login(officer)
    response = client.get(URL, params)
    if "\x00" in params["q"]:
        assert response.status_code == 400  # the request guard refuses a NUL in the address (common/middleware.py)
        return
    assert response.status_code == 200
    assert response.context["form"].errors or response.context["results"].cases == []
