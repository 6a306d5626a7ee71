"""The access matrix of Django admin (issue 10): every changelist and change page of every registered model, for
a superuser, an administrator, an administrator who is also an officer of the case's post, and one who is an
officer of another post.

Admins manage reference data and users, not cases: case content is read-only for everyone and masked unless the
user also works the case's post. Each denial is paired with its control: the officer of the post reads, on the
same page, what the others are refused, and the others' page shows the row with its mask. A model registered
without a masking decision fails `test_every_registered_model_has_a_masking_decision`.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    NotificationPreferences,
    PoliceDepartmentAssignment,
    PostAssignment,
    PushSubscription,
    Role,
    User,
)
from alarms.models import Alarm, AlarmDelivery, AlarmEvent, Device, DutyEntry
from analytics.models import MonthlyCount, MonthlyDuration, Snapshot, StatisticsReport
from api.models import PlaceAPIKey
from common.models import OutgoingEmail
from facilities.models import Department, DepartmentKind
from incidents import events
from incidents.admin import MASKED, CaseContentMixin
from incidents.models import (
    Attacker,
    CaseFile,
    CaseMessage,
    CaseSearch,
    DraftUpload,
    EpisodeLink,
    Evidence,
    Incident,
    IncidentEvent,
    Notice,
    ReferenceCounter,
    ReportDraft,
    Victim,
    VictimCompensation,
)
from legal.models import LegalAssessment, MciValue, PartOverride
from notifications.models import Delivery
from tests import factories

# What only the officers of the case's post may read. Identities also appear where users are managed.
REPORTER = "Confidentova"
REPORTER_EMAIL = "zh.confidentova@example.com"
OFFICER = "Postofficerov"
IDENTITIES = (REPORTER, REPORTER_EMAIL, OFFICER)
VICTIM = "Victimova"
ATTACKER = "Attackerov"
IIN = "900101350018"
ACCOUNT = "SECRET-ACCOUNT-hit-me-at-the-desk"
ADDRESS = "SECRET-ADDRESS-Abay-99"
MESSAGE = "SECRET-MESSAGE-he-came-back"
OVERRIDE_REASON = "SECRET-OVERRIDE-REASON"
EVIDENCE_NAME = "secret-bruises-of-victimova.jpg"
DRAFT_FILE = "secret-draft-photo.jpg"
REPEAT_REF = "ALA-2025-000777"
CONTENT = (VICTIM, ATTACKER, IIN, ACCOUNT, ADDRESS, MESSAGE, OVERRIDE_REASON, EVIDENCE_NAME, DRAFT_FILE, REPEAT_REF)

# What the officers of the post read on each case page: the control of each mask.
SHOWN_TO_THE_POST = {
    ("incidents.incident", "change"): {REPORTER, VICTIM, ATTACKER, IIN, ACCOUNT, ADDRESS},
    ("incidents.incidentevent", "changelist"): {REPORTER},
    ("incidents.incidentevent", "change"): {REPORTER},
    ("incidents.casemessage", "changelist"): {REPORTER},
    ("incidents.casemessage", "change"): {REPORTER, MESSAGE},
    ("incidents.evidence", "changelist"): {EVIDENCE_NAME},
    ("incidents.evidence", "change"): {EVIDENCE_NAME, REPORTER},
    ("incidents.reportdraft", "changelist"): {REPORTER},
    ("incidents.reportdraft", "change"): {REPORTER, DRAFT_FILE},
    ("legal.legalassessment", "changelist"): {REPORTER},
    ("legal.legalassessment", "change"): {REPORTER, REPEAT_REF},
    ("legal.partoverride", "changelist"): {OFFICER},
    ("legal.partoverride", "change"): {OFFICER, OVERRIDE_REASON},
    ("common.outgoingemail", "changelist"): {REPORTER_EMAIL},
    ("common.outgoingemail", "change"): {REPORTER_EMAIL},
}

# Registered models that are not case content, and why. A new model needs a line here or a case-content admin.
NOT_CASE_CONTENT = {
    "auth.group": "roles: their permissions change only by a superuser",
    "accounts.user": "users are what administrators manage",
    "accounts.facilitymembership": "memberships: grants, refused to oneself",
    "accounts.postassignment": "memberships: grants, superusers only",
    "accounts.policedepartmentassignment": "memberships: grants, superusers only",
    "facilities.district": "reference data",
    "facilities.facility": "reference data",
    "facilities.department": "reference data",
    "facilities.policedepartment": "reference data",
    "facilities.policepost": "reference data",
    "analytics.statisticsreport": "aggregates only",
    "analytics.snapshot": "aggregates only",
    "analytics.monthlycount": "aggregates only",
    "analytics.monthlyduration": "aggregates only",
    "analytics.snapshotchange": "a facility and a month's group to recount, kept until the next refresh; no incident",
    "django_celery_beat.periodictask": "schedules",
    "django_celery_beat.clockedschedule": "schedules",
    "django_celery_beat.crontabschedule": "schedules",
    "django_celery_beat.solarschedule": "schedules",
    "django_celery_beat.intervalschedule": "schedules",
    "axes.accessattempt": "login throttling",
    "axes.accesslog": "login throttling",
    "axes.accessfailurelog": "login throttling",
    "otp_totp.totpdevice": "second factors",
    "otp_static.staticdevice": "second factors",
    "otp_static.statictoken": "second factors",
    "incidents.referencecounter": "the last reference number of each year",
    "incidents.casesearch": "the audit of officers' searches: who, when, by what; a name or IIN only as a digest",
    "auditlog.logentry": "the audit of grants: users, roles, memberships",
    "accounts.notificationpreferences": "which notifications a user chose: no case in them",
    "accounts.pushsubscription": "a browser's push subscription: its endpoint and keys are not shown",
    "notifications.delivery": "a sentence with a case's reference and a link, never a name; the recipient masked",
    "legal.mcivalue": "reference data: a year's MCI (issue 19)",
    "facilities.department#inline": "reference data",
    "api.placeapikey": "API keys of devices and systems: a name, a place and the key's hash",
    "alarms.device": "panic buttons and badges: where each is installed",
    "alarms.dutyentry": "the duty roster: which officer of a post is on duty",
}
ROLES = ("superuser", "admin_not_officer", "admin_officer_of_post", "admin_officer_of_other_post")
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _reaches_a_case(model: type[models.Model], seen: frozenset = frozenset()) -> bool:
    """Whether rows of `model` belong to a case: the incident itself, or a foreign key that leads to one."""
    if model is Incident:
        return True
    return any(
        field.is_relation
        and field.many_to_one | field.one_to_one
        and field.concrete
        and field.related_model not in seen
        and field.related_model is not None
        and _reaches_a_case(field.related_model, seen | {model})
        for field in model._meta.get_fields()
    )


@pytest.fixture
def world(facility_a, post_a, post_b):
    """One confidential report at post A with everything a case holds, and a row of every other registered model."""
    reporter = factories.make_reporter(
        facility_a, username="zhansaya", first_name="Zhansaya", last_name=REPORTER, email=REPORTER_EMAIL
    )
    officer = factories.make_officer(post_a, username="postofficer", first_name="Arman", last_name=OFFICER)
    incident = factories.IncidentFactory(
        facility=facility_a, reporter=reporter, reporter_confidential=True, account=ACCOUNT, address=ADDRESS
    )
    victim = Victim.objects.create(incident=incident, full_name=f"{VICTIM} Aigerim", role="nurse")
    compensation = VictimCompensation.objects.create(victim=victim, claim_status="filed", claimed_moral=500000)
    # Who asked for the case file is an officer's identity: masked on the case's admin page like the others.
    CaseFile.objects.create(incident=incident, requested_by=officer, status=CaseFile.Status.READY, sha256="3" * 64)
    Attacker.objects.create(incident=incident, full_name=f"{ATTACKER} Serik", iin=IIN, description="tall")
    submitted = events.report_submitted(
        incident=incident, actor=reporter, police_post_id=post_a.pk, police_department_id=1, evidence_count=1
    )
    message = CaseMessage.objects.create(incident=incident, kind=CaseMessage.Kind.INFO, author=reporter, body=MESSAGE)
    evidence = Evidence.objects.create(
        incident=incident,
        file=ContentFile(b"jpeg", name="e.jpg"),
        kind=Evidence.Kind.PHOTO,
        original_name=EVIDENCE_NAME,
        content_type="image/jpeg",
        size=4,
        sha256="0" * 64,
        uploaded_by=reporter,
    )
    draft = ReportDraft.objects.create(owner=reporter, data={"account": [ACCOUNT]}, submitted_incident=incident)
    DraftUpload.objects.create(
        draft=draft,
        file=ContentFile(b"jpeg", name="d.jpg"),
        kind=Evidence.Kind.PHOTO,
        original_name=DRAFT_FILE,
        content_type="image/jpeg",
        size=4,
        sha256="1" * 64,
    )
    assessment = LegalAssessment.objects.create(
        incident=incident,
        sequence=1,
        rules_version="test",
        trigger="submitted",
        facts={"repeat": True, "repeat_of": [REPEAT_REF]},
        result={"part": 2, "reasons": [{"code": "feature_repeat", "references": [REPEAT_REF]}]},
        applicable=True,
        part=2,
        created_by=reporter,
    )
    override = PartOverride.objects.create(
        incident=incident, part=1, reason=OVERRIDE_REASON, assessment=assessment, created_by=officer
    )
    MciValue.objects.create(year=2027, value=4500, source="Budget law 2027")
    earlier = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    EpisodeLink.objects.create(incident=incident, earlier=earlier, created_by=officer)
    notice = Notice.objects.create(incident=incident, version=1, status=Notice.Status.READY, sha256="2" * 64)
    email = OutgoingEmail.objects.create(
        kind="case-question",
        object_id=message.pk,
        task="incidents.case_question_email_task",
        status=OutgoingEmail.Status.SENT,
        recipients=[REPORTER_EMAIL],
    )
    ReferenceCounter.objects.get_or_create(year=2026)
    _rows_of_everything_else(facility_a, officer, post_a)
    return {
        Incident: incident,
        IncidentEvent: submitted,
        CaseMessage: message,
        Evidence: evidence,
        ReportDraft: draft,
        LegalAssessment: assessment,
        PartOverride: override,
        Notice: notice,
        OutgoingEmail: email,
        VictimCompensation: compensation,
    }


def _rows_of_everything_else(facility, officer, post) -> None:
    now = timezone.now()
    Department.objects.create(facility=facility, kind=DepartmentKind.EMERGENCY)
    PoliceDepartmentAssignment.objects.create(user=officer, police_department=post.police_department)
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="matrix", task="analytics.snapshot_refresh_task", interval=interval)
    ClockedSchedule.objects.create(clocked_time=now)
    CrontabSchedule.objects.create()
    SolarSchedule.objects.create(event="sunrise", latitude=43.25, longitude=76.9)
    web = {"user_agent": "pytest", "http_accept": "*/*", "path_info": "/accounts/login/", "username": "someone"}
    AccessAttempt.objects.create(**web, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**web)
    AccessFailureLog.objects.create(**web)
    TOTPDevice.objects.create(user=officer, name="phone")
    StaticDevice.objects.create(user=officer, name="recovery")
    StatisticsReport.objects.create(period="2026")
    PlaceAPIKey.objects.create_key(name="panic button", post=post)
    Snapshot.objects.create(cutoff=now, refreshed_at=now, duration_ms=1, incidents=1)
    MonthlyCount.objects.create(month=dt.date(2026, 3, 1), facility=facility, dimension="part", value="3", count=5)
    MonthlyDuration.objects.create(month=dt.date(2026, 3, 1), facility=facility, metric="ack", value=10, count=5)
    CaseSearch.objects.create(user=officer, kind=CaseSearch.Kind.NAME, query_digest="3" * 64, results=1)
    NotificationPreferences.objects.create(user=officer, by_email=False)
    PushSubscription.objects.create(
        user=officer, endpoint="https://fcm.googleapis.com/fcm/send/m", p256dh="p", auth="a"
    )
    Delivery.objects.create(
        kind="new_case",
        object_id=1,
        user=officer,
        channel="telegram",
        recipient="555",
        text="New case",
        due_at=now,
        idempotency_key="matrix",
    )
    # An alarm of the post, acknowledged by its officer (an identity, masked outside the post), with its history.
    alarm = Alarm.objects.create(
        facility=facility,
        post=post,
        source=Alarm.Source.SOS,
        raised_at=now,
        acknowledged_by=officer,
        acknowledged_at=now,
    )
    AlarmEvent.objects.create(alarm=alarm, kind=AlarmEvent.Kind.ACKNOWLEDGED, actor=officer)
    AlarmDelivery.objects.create(alarm=alarm, channel="sms", recipient="+77010000000", step=1, idempotency_key="k")
    Device.objects.create(device_id="BTN-1", facility=facility, post=post, room="12")
    DutyEntry.objects.create(post=post, officer=officer, on_duty=True)


def _administrator(username: str, *, post=None) -> User:
    roles = [Role.ADMINISTRATOR, Role.POLICE_OFFICER] if post else [Role.ADMINISTRATOR]
    user = factories.UserFactory(username=username, is_staff=True, roles=roles)
    if post is not None:
        PostAssignment.objects.create(user=user, post=post)
    return user


@pytest.fixture
def as_role(client, post_a, post_b):
    def login(role: str) -> User:
        if role == "superuser":
            user = User.objects.create_superuser("root", "root@example.com", "x-root-password")
        elif role == "admin_not_officer":
            user = _administrator("admin")
        elif role == "admin_officer_of_post":
            user = _administrator("admin-officer", post=post_a)
        else:
            user = _administrator("admin-officer-b", post=post_b)
        client.force_login(user)
        return user

    return login


def _is_case_content(model_admin) -> bool:
    return isinstance(model_admin, CaseContentMixin)


def test_every_registered_model_has_a_masking_decision():
    """A model (or an inline) in admin is either case content, read-only and masked, or named here as not."""
    undecided, unmasked_cases = [], []
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin, "")] + [(inline.model, inline, "#inline") for inline in model_admin.inlines]
        for shown, shown_by, suffix in admins:
            masked = _is_case_content(shown_by) if suffix == "" else issubclass(shown_by, CaseContentMixin)
            if _reaches_a_case(shown) and not masked:
                unmasked_cases.append(_label(shown) + suffix)
            elif (
                not masked and _label(shown) + suffix not in NOT_CASE_CONTENT and _label(shown) not in NOT_CASE_CONTENT
            ):
                undecided.append(_label(shown) + suffix)
    assert unmasked_cases == []
    assert undecided == []


def test_the_case_test_finds_the_models_of_a_case():
    """The control of the walk above: it tells a case's rows from reference data."""
    assert all(_reaches_a_case(m) for m in (Incident, Victim, Attacker, Evidence, DraftUpload, ReportDraft))
    assert all(_reaches_a_case(m) for m in (LegalAssessment, PartOverride, Notice, IncidentEvent, CaseMessage))
    assert not any(_reaches_a_case(m) for m in (User, Group, PostAssignment, MonthlyCount, StatisticsReport))


def _page(client, model, view: str, obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    response = client.get(reverse(name, args=[obj.pk] if obj is not None else []))
    assert response.status_code in (200, 403), (name, response.status_code)
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_admin_pages_mask_case_content_unless_the_user_works_the_post(client, world, as_role, role, model):
    as_role(role)
    reads_the_case = role == "admin_officer_of_post"
    obj = world.get(model) or model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {_label(model)} row to open"
    is_case = _is_case_content(admin.site._registry[model])

    for view, page in (
        ("changelist", _page(client, model, "changelist")),
        ("change", _page(client, model, "change", obj)),
    ):
        if role == "superuser" or is_case:
            assert page, (view, _label(model))  # every administrator sees a case's rows, masked or not
        if not page:
            continue
        # Content of a case is on no page of anyone outside its post, reference pages included.
        leaked = [secret for secret in CONTENT if secret in page]
        shown = SHOWN_TO_THE_POST.get((_label(model), view), set())
        if reads_the_case:
            assert shown <= {secret for secret in (*CONTENT, *IDENTITIES) if secret in page}, (view, _label(model))
            assert set(leaked) <= shown | (SHOWN_TO_THE_POST.get((_label(model), "change"), set())), view
            continue
        assert leaked == [], (view, _label(model))
        if is_case:
            # The identities of the case's people are not on its pages either; their mask says something is hidden.
            assert [secret for secret in IDENTITIES if secret in page] == [], (view, _label(model))
            if shown:
                assert str(MASKED) in page, (view, _label(model))


CASE_MODELS = [model for model in REGISTERED if _is_case_content(admin.site._registry[model])]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", CASE_MODELS, ids=_label)
def test_no_case_content_changes_through_admin(client, world, as_role, role, model):
    as_role(role)
    obj = world.get(model) or model._default_manager.order_by("pk").first()
    before = model_to_dict(obj)
    count = model._default_manager.count()
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    changed = client.post(reverse(f"{prefix}_change", args=[obj.pk]), {**_posted(before), "_save": "Save"})
    added = client.post(reverse(f"{prefix}_add"), _posted(before))
    deleted = client.post(reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"})

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    obj.refresh_from_db()
    assert model_to_dict(obj) == before and model._default_manager.count() == count


def _posted(values: dict) -> dict:
    posted = {}
    for key, value in values.items():
        if value is None or isinstance(value, FieldFile):
            posted[key] = ""
        elif isinstance(value, dict | list):
            posted[key] = "[]"
        elif hasattr(value, "pk"):
            posted[key] = value.pk
        elif isinstance(value, bool):
            if value:
                posted[key] = "on"
        else:
            posted[key] = str(value) + "-changed" if isinstance(value, str) else value
    return posted


@pytest.mark.parametrize("role", ROLES)
def test_each_opening_of_a_case_page_in_admin_is_recorded_in_its_history(client, world, as_role, role):
    user = as_role(role)
    incident = world[Incident]
    opened = [model for model in CASE_MODELS if model in world]

    for model in opened:
        client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[world[model].pk]))
        client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))

    recorded = incident.events.filter(kind="admin_viewed", actor=user)
    assert recorded.count() == len(opened)
    assert {events.admin_view_of(event)["model"] for event in recorded} == {_label(m) for m in opened}
    assert {events.admin_view_of(event)["masked"] for event in recorded} == {role != "admin_officer_of_post"}


@pytest.mark.parametrize("role", ROLES)
def test_an_e_mails_error_is_shown_without_the_addresses_it_quotes(client, world, as_role, role):
    as_role(role)
    email = world[OutgoingEmail]
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED,
        error=f"SMTPRecipientsRefused: {{'{REPORTER_EMAIL}': (550, b'5.1.1 <{REPORTER_EMAIL}>: mailbox unavailable')}}",
    )

    pages = [
        client.get(reverse("admin:common_outgoingemail_changelist")).content.decode(),
        client.get(reverse("admin:common_outgoingemail_change", args=[email.pk])).content.decode(),
    ]

    for page in pages:
        assert "SMTPRecipientsRefused" in page and "mailbox unavailable" in page
        error = page.split("SMTPRecipientsRefused", 1)[1][:300]
        assert REPORTER_EMAIL not in error
