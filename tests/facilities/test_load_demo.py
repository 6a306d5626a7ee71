from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import FacilityMembership, PoliceDepartmentAssignment, PostAssignment, Role, User
from facilities.models import Department, District, Facility, FacilityKind, PoliceDepartment, PolicePost
from tests.conftest import login_with_password

DEMO_PASSWORD = "demo-password-for-tests"
CONFIRMED_NAMES = {
    "City Clinical Hospital No. 1",
    "City Clinical Hospital No. 4",
    "City Clinical Hospital No. 7",
    "Central City Clinical Hospital",
    "City Emergency Hospital",
    "Children's City Clinical Hospital No. 2",
    "City Perinatal Centre",
    "Maternity Hospital No. 1",
    "City Ambulance Station",
}
MODELS = (
    District,
    PoliceDepartment,
    Facility,
    Department,
    PolicePost,
    User,
    FacilityMembership,
    PostAssignment,
    PoliceDepartmentAssignment,
)


def load_demo(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["user groups"] = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    return rows


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("QORGAU_DEMO_PASSWORD", DEMO_PASSWORD)
    return DEMO_PASSWORD


def test_loading_twice_finds_36_posts_once_split_by_kind(db, demo_password):
    load_demo()
    first = snapshot()
    output = load_demo()

    assert snapshot() == first
    assert "nothing changed" in output
    assert PolicePost.objects.count() == 36
    assert sorted(PolicePost.objects.values_list("code", flat=True)) == [f"ALA-PP-{n:02d}" for n in range(1, 37)]
    split = Counter(PolicePost.objects.values_list("facility__kind", flat=True))
    assert split == {
        FacilityKind.MULTI_PROFILE: 23,
        FacilityKind.CHILDREN: 5,
        FacilityKind.PERINATAL: 5,
        FacilityKind.MATERNITY: 3,
    }


def test_the_eight_districts_each_have_a_police_department(db):
    load_demo("--no-accounts")

    districts = {d.code: d for d in District.objects.all()}
    assert set(districts) == {"alatau", "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib"}
    assert districts["auezov"].name_kk == "Әуезов ауданы"
    assert districts["turksib"].name_ru == "Турксибский район"
    for district in districts.values():
        department = district.police_department
        assert department.name_ru.startswith("Управление полиции")
        assert department.name_ru.endswith("Департамента полиции города Алматы")


def test_posts_use_their_districts_police_department_and_most_are_active(db):
    load_demo("--no-accounts")

    posts = PolicePost.objects.select_related("facility", "police_department")
    assert all(post.police_department.district_id == post.facility.district_id for post in posts)
    active = posts.filter(status=PolicePost.Status.ACTIVE)
    assert active.count() > 30
    assert {post.opened_on.isoformat() for post in active} == {"2026-03-07"}
    assert set(posts.filter(status=PolicePost.Status.PLANNED).values_list("opened_on", flat=True)) == {None}


def test_only_names_confirmed_in_public_reports_are_not_marked_sample(db):
    load_demo("--no-accounts")

    real = Facility.objects.filter(is_sample=False)
    assert set(real.values_list("name_en", flat=True)) == CONFIRMED_NAMES
    for facility in Facility.objects.filter(is_sample=True):
        assert "(demo)" in facility.name_en and facility.name_ru.startswith("Образец")


def test_ambulance_substations_hang_off_the_station_with_a_crew_and_no_post(db):
    load_demo("--no-accounts")

    station = Facility.objects.get(kind=FacilityKind.AMBULANCE, parent__isnull=True)
    substations = station.branches.all()
    assert substations.count() >= 3
    for substation in [station, *substations]:
        assert substation.kind == FacilityKind.AMBULANCE
        assert substation.departments.filter(kind="ambulance_crew").exists()
        assert not substation.police_posts.exists()
    polyclinics = Facility.objects.filter(kind=FacilityKind.POLYCLINIC)
    assert polyclinics.count() >= 2
    assert not PolicePost.objects.filter(facility__in=polyclinics).exists()


def test_every_role_has_a_demo_account_that_can_log_in(db, demo_password, client):
    load_demo()

    roles = {role: User.objects.filter(groups__name=role) for role in Role.values}
    assert all(users.exists() for users in roles.values())
    nurse = User.objects.get(username="nurse")
    membership = nurse.facility_memberships.get()
    assert membership.facility.name_en == "City Clinical Hospital No. 7" and membership.department.kind == "emergency"
    lead = User.objects.get(username="lead")
    assert lead.facility_memberships.get(is_lead=True).facility == membership.facility
    officer = User.objects.get(username="officer")
    assert officer.post_assignments.get().post.facility == membership.facility
    assert User.objects.get(username="officer2").post_assignments.get().post.facility != membership.facility
    paramedic = User.objects.get(username="paramedic")
    assert paramedic.facility_memberships.get().facility.parent.kind == FacilityKind.AMBULANCE
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser and admin.is_administrator
    assert login_with_password(client, "nurse", DEMO_PASSWORD)


def test_a_matching_password_is_left_alone_and_a_changed_one_is_reset(db, demo_password, monkeypatch):
    load_demo()
    nurse_hash = User.objects.get(username="nurse").password
    doctor = User.objects.get(username="doctor")
    doctor.set_password("changed-by-someone")
    doctor.save()

    load_demo()

    assert User.objects.get(username="nurse").password == nurse_hash
    assert User.objects.get(username="doctor").check_password(DEMO_PASSWORD)


def test_no_duplicate_memberships_or_groups_when_run_again(db, demo_password):
    load_demo()
    load_demo()

    nurse = User.objects.get(username="nurse")
    assert nurse.facility_memberships.count() == 1
    assert list(nurse.groups.values_list("name", flat=True)) == ["reporter"]
    assert PostAssignment.objects.filter(user__username="officer").count() == 1


def test_it_refuses_to_create_accounts_without_a_password(db, monkeypatch):
    monkeypatch.delenv("QORGAU_DEMO_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="QORGAU_DEMO_PASSWORD"):
        load_demo()

    assert not User.objects.exists()
    assert not Facility.objects.exists()


def test_no_accounts_loads_reference_data_only(db, monkeypatch):
    monkeypatch.delenv("QORGAU_DEMO_PASSWORD", raising=False)

    load_demo("--no-accounts")

    assert PolicePost.objects.count() == 36
    assert not User.objects.exists()
    assert Group.objects.filter(name="reporter").exists()


def test_list_accounts_prints_one_line_per_account_without_passwords(db, demo_password):
    load_demo()

    lines = load_demo("--list-accounts").strip().splitlines()

    assert len(lines) == User.objects.count()
    assert DEMO_PASSWORD not in "\n".join(lines)
    nurse_line = next(line for line in lines if line.startswith("nurse "))
    assert "Reporter" in nurse_line and "City Clinical Hospital No. 7" in nurse_line
    officer_line = next(line for line in lines if line.startswith("officer "))
    assert "ALA-PP-03" in officer_line


def test_a_demo_officer_of_the_nurses_district_police_department_sees_her_street_reports(db, demo_password):
    """Issue 11: a street report of the demo nurse goes to her hospital district's police department; its
    officer has a demo account."""
    load_demo()
    nurse = User.objects.get(username="nurse")
    district = nurse.facility_memberships.get().facility.district
    assignment = PoliceDepartmentAssignment.objects.get(police_department__district=district)
    assert assignment.user.username == "street_officer" and assignment.user.has_perm("incidents.work_case")
