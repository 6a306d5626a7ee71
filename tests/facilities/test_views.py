import pytest
from django.urls import reverse

from facilities.models import FacilityKind, PolicePost
from tests import factories

LIST_URL = reverse("facilities:list")


def detail_url(facility):
    return reverse("facilities:detail", args=[facility.code])


@pytest.mark.parametrize("persona", ["officer", "facility_lead", "administrator"])
def test_leads_officers_and_administrators_see_the_list_with_posts(client, request, persona, post_a, post_b):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for post in (post_a, post_b):
        assert post.code in html
        assert post.facility.name in html
        assert post.phone in html
        assert detail_url(post.facility) in html


@pytest.mark.parametrize("persona", ["reporter", "analyst"])
def test_reporters_and_analysts_get_403(client, request, persona, facility_a, facility_b):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(facility_a)).status_code == 403
    assert client.get(detail_url(facility_b)).status_code == 403


def test_reporter_of_facility_a_cannot_open_facility_b(client, reporter, facility_b):
    client.force_login(reporter)

    response = client.get(detail_url(facility_b))

    assert response.status_code == 403
    assert facility_b.name not in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, facility_a):
    for url in (LIST_URL, detail_url(facility_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_list_filters_by_district_and_kind(client, officer, facility_a):
    other_district = factories.FacilityFactory(kind=FacilityKind.CHILDREN)
    same_district_other_kind = factories.FacilityFactory(kind=FacilityKind.POLYCLINIC, district=facility_a.district)
    client.force_login(officer)

    by_district = client.get(LIST_URL, {"district": facility_a.district.code}).context["facilities"]
    by_kind = client.get(LIST_URL, {"kind": FacilityKind.CHILDREN}).context["facilities"]
    both = client.get(LIST_URL, {"district": facility_a.district.code, "kind": FacilityKind.POLYCLINIC})

    assert set(by_district) == {facility_a, same_district_other_kind}
    assert list(by_kind) == [other_district]
    assert list(both.context["facilities"]) == [same_district_other_kind]


def test_the_list_searches_names_codes_and_post_codes(client, officer, post_a, post_b):
    client.force_login(officer)

    assert list(client.get(LIST_URL, {"q": post_b.code}).context["facilities"]) == [post_b.facility]
    assert list(client.get(LIST_URL, {"q": post_a.facility.name_en}).context["facilities"]) == [post_a.facility]


def test_unknown_filter_values_show_everything_instead_of_failing(client, officer, facility_a, facility_b):
    client.force_login(officer)

    response = client.get(LIST_URL, {"district": "atlantis", "kind": "castle"})

    assert response.status_code == 200
    assert set(response.context["facilities"]) == {facility_a, facility_b}


def test_sample_entries_are_marked(client, officer):
    sample = factories.FacilityFactory(is_sample=True)
    real = factories.FacilityFactory(is_sample=False)
    client.force_login(officer)

    listing = client.get(LIST_URL, {"q": sample.code}).content.decode()
    real_listing = client.get(LIST_URL, {"q": real.code}).content.decode()
    sample_page = client.get(detail_url(sample)).content.decode()
    real_page = client.get(detail_url(real)).content.decode()

    assert listing.count('class="badge text-bg-warning"') == 1
    assert 'class="badge text-bg-warning"' not in real_listing
    assert 'class="badge text-bg-warning"' in sample_page
    assert 'class="badge text-bg-warning"' not in real_page


def test_detail_shows_post_department_and_fallback_police(client, facility_lead, post_a):
    factories.PolicePostFactory(
        facility=post_a.facility,
        code="POST-A2",
        status=PolicePost.Status.PLANNED,
        opened_on=None,
        police_department=post_a.police_department,
    )
    post_a.facility.departments.create(kind="icu")
    client.force_login(facility_lead)

    response = client.get(detail_url(post_a.facility))

    html = response.content.decode()
    assert response.status_code == 200
    assert "POST-A" in html and "POST-A2" in html
    assert f'href="tel:{post_a.phone.replace(" ", "")}"' in html
    assert post_a.police_department.name in html
    assert [d.kind for d in response.context["facility"].departments.all()] == ["icu"]


def test_a_facility_without_a_post_names_the_district_police(client, officer):
    polyclinic = factories.FacilityFactory(kind=FacilityKind.POLYCLINIC)
    department = factories.PoliceDepartmentFactory(district=polyclinic.district)
    client.force_login(officer)

    html = client.get(detail_url(polyclinic)).content.decode()

    assert department.name in html


def test_an_unknown_code_is_404(client, officer):
    client.force_login(officer)

    assert client.get(reverse("facilities:detail", args=["no-such-facility"])).status_code == 404


def test_the_list_pages_with_filters_kept(client, officer):
    district = factories.DistrictFactory()
    factories.FacilityFactory.create_batch(30, district=district)
    client.force_login(officer)

    first = client.get(LIST_URL, {"district": district.code})
    second = client.get(LIST_URL, {"district": district.code, "page": 2})

    assert len(first.context["facilities"]) == 25
    assert len(second.context["facilities"]) == 5
    assert f"district={district.code}&amp;page=2" in first.content.decode()


def test_the_list_query_count_does_not_grow_with_facilities(client, officer, django_assert_max_num_queries):
    for _ in range(10):
        factories.PolicePostFactory()
    client.force_login(officer)

    with django_assert_max_num_queries(12):
        client.get(LIST_URL)
