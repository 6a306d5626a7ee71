"""factory_boy factories for the whole project. Personas are built from these in conftest.py."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import FacilityMembership, PostAssignment, Profession, Role, User
from facilities.models import District, Facility, FacilityKind, PoliceDepartment, PolicePost
from incidents.models import Act, Incident, Place, Victim
from incidents.services.deadlines import incident_deadline_refresh

PASSWORD = "correct-horse-battery-staple"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class PoliceDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceDepartment

    code = factory.Sequence(lambda n: f"pd-{n}")
    district = factory.SubFactory(DistrictFactory)
    name_ru = factory.Sequence(lambda n: f"УП района {n}")
    name_kk = factory.Sequence(lambda n: f"Аудан ПБ {n}")
    name_en = factory.Sequence(lambda n: f"District police department {n}")
    email = factory.Sequence(lambda n: f"pd{n}@police.example")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    code = factory.Sequence(lambda n: f"facility-{n}")
    kind = FacilityKind.MULTI_PROFILE
    district = factory.SubFactory(DistrictFactory)
    name_ru = factory.Sequence(lambda n: f"Городская больница № {n}")
    name_kk = factory.Sequence(lambda n: f"№ {n} қалалық аурухана")
    name_en = factory.Sequence(lambda n: f"City Hospital No. {n}")
    address = "Almaty"
    is_sample = True


class PolicePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicePost

    code = factory.Sequence(lambda n: f"POST-{n:02d}")
    facility = factory.SubFactory(FacilityFactory)
    police_department = factory.LazyAttribute(
        lambda post: (
            PoliceDepartment.objects.filter(district=post.facility.district).first()
            or PoliceDepartmentFactory(district=post.facility.district)
        )
    )
    phone = "+7 727 000 00 00"
    email = factory.Sequence(lambda n: f"post{n}@police.example")
    status = PolicePost.Status.ACTIVE
    opened_on = dt.date(2026, 3, 7)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))
        if create:
            self.save()


def make_reporter(facility: Facility, *, profession: str = Profession.NURSE, **kwargs) -> User:
    user = UserFactory(roles=[Role.REPORTER], profession=profession, **kwargs)
    FacilityMembership.objects.create(user=user, facility=facility)
    return user


def make_facility_lead(facility: Facility, **kwargs) -> User:
    user = UserFactory(roles=[Role.REPORTER, Role.FACILITY_LEAD], profession=Profession.DOCTOR, **kwargs)
    FacilityMembership.objects.create(user=user, facility=facility, is_lead=True)
    return user


def make_officer(post: PolicePost, **kwargs) -> User:
    user = UserFactory(roles=[Role.POLICE_OFFICER], **kwargs)
    PostAssignment.objects.create(user=user, post=post)
    return user


def make_analyst(**kwargs) -> User:
    return UserFactory(roles=[Role.MINISTRY_ANALYST], **kwargs)


def make_administrator(**kwargs) -> User:
    return UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True, **kwargs)


def incident_update(incident: Incident, **changes) -> Incident:
    """Change an incident's row by hand (a state the test needs), its stored deadline kept as the services keep it."""
    Incident.objects.filter(pk=incident.pk).update(**changes)
    incident.refresh_from_db()
    return incident_deadline_refresh(incident=incident)


class IncidentFactory(factory.django.DjangoModelFactory):
    """A bare incident row, for tests that need one without going through the reporting service."""

    class Meta:
        model = Incident
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"ALA-2026-{n + 1:06d}")
    reporter = factory.LazyAttribute(lambda i: make_reporter(i.facility))
    facility = factory.SubFactory(FacilityFactory)
    act = Act.THREAT
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    submitted_at = factory.LazyFunction(timezone.now)
    place = Place.ADMISSION
    account = "Угрожал расправой в приёмном покое."
    police_post = factory.LazyAttribute(lambda i: i.facility.active_post())
    police_department = factory.LazyAttribute(
        lambda i: (
            i.police_post.police_department
            if i.police_post
            else PoliceDepartment.objects.filter(district=i.facility.district).first()
            or PoliceDepartmentFactory(district=i.facility.district)
        )
    )

    @factory.post_generation
    def with_reporter_victim(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Victim.objects.create(
                incident=self,
                user=self.reporter,
                is_reporter=True,
                full_name=str(self.reporter),
                role=self.reporter.profession or Profession.NURSE,
            )

    @factory.post_generation
    def deadline(self, create, extracted, **kwargs):
        # The stored deadline, as the services keep it (tests that change the row by hand refresh it).
        if create:
            incident_deadline_refresh(incident=self)
