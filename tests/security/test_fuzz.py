"""Fuzz every form and every filter of the app: no bad input gives a 5xx (issue 10, done when: "The fuzz test runs
in CI with no 500s"), and a report with errors keeps what was typed.

Hypothesis generates the requests, each logged in with the role the page is for: the report form and its
autosave, the officer's case forms (ERDR included), the reporter's answers and additions, login, password reset,
two-factor login, and the GET filters of the inbox, the lead's reports, the facility list, the statistics and
Django admin's change lists (with its bulk actions). Values mix what a person might send by mistake and what an
attacker would: NUL and other control characters, lone surrogates and invalid UTF-8, very long strings, digits of
other scripts, extreme dates, negative and huge numbers, choices that are not choices, and junk field names.

Bounded and deterministic (`derandomize=True`, a fixed number of examples per target), so it runs in the default
suite: `pytest tests/security/test_fuzz.py`. A test client that raises the view's exception makes a 500 fail the
example, and Hypothesis shrinks it to the smallest request that breaks.
"""

import html
import re
import uuid
from urllib.parse import parse_qs, urlencode

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.forms.cases import ACTION_FORMS
from incidents.forms.people import AttackerForm, VictimForm
from incidents.forms.reporting import ReportForm
from incidents.models import Incident, ReportDraft
from incidents.services import cases
from tests import factories
from tests.incidents.reporting_support import minimal_post

pytestmark = pytest.mark.django_db

# What a person sends by mistake and what an attacker tries, value by value.
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01",
    "\x07bell",
    "\x1b[31m",
    "\x1f",
    "\x7f",
    "\t",
    "\r\n",
    "\ud800",  # lone surrogates: sent as the invalid UTF-8 bytes they would be
    "x\udfffy",
    "\ufeff",
    "\u202etxt.exe",
    "😀",
    "Қорғау",
    "x" * 10_000,
    "١" * 300,
    "9" * 400,
    "١٢٣٤٥٦٧",
    "۱۲۳",
    "１２３",
    "²",
    "¹²",
    "0",
    "1",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "inf",
    "0x1F",
    "1.5",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2019-02-30",
    "2018-12-31",
    "2026-03-07",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-03-07T25:61",
    "10000-01-01",
    "-2026-01-01",
    "2026-Q5",
    "2026-13",
    "1900",
    "nonsense",
    "threat",
    "on",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "http://169.254.169.254/",
    "//evil.example/",
    "javascript:alert(1)",
    str(uuid.UUID(int=0)),
    "ALA-2026-000001",
]
# One value per class of bad input, swept over every field of every form and filter. Lone surrogates, other
# scripts' digits and negative numbers are in SPECIAL: Hypothesis mixes them in (a surrogate arrives as U+FFFD).
NASTY = {
    "NUL": "a\x00b",
    "control character": "a\x01\x1bb",
    "huge string": "x" * 10_000,
    "superscript digit": "²",
    "huge number": "99999999999999999999999",
    "earliest date": "0001-01-01",
    "latest date": "9999-12-31T23:59",
    "invalid choice": "nonsense",
}
TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
VALUES = st.one_of(
    st.sampled_from(list(NASTY.values())),
    st.sampled_from(SPECIAL),
    TEXT,
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIAL), st.sampled_from(SPECIAL)),
    st.integers().map(str),
)
JUNK_KEYS = st.one_of(st.sampled_from(["\x00", "a\x00", "\ud800", "x" * 1000, "__proto__", "_selected_action"]), TEXT)

COUNT = {"requests": 0}
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True, scope="module")
def _report_the_count():
    """For the record: how many requests the module generated (`pytest -s` prints it)."""
    yield
    print(f"\nfuzz: {COUNT['requests']} requests generated, none answered 5xx")


def _examples(n: int):
    return settings(FUZZ, max_examples=n)


def encoded(data: dict) -> str:
    """The form encoding a browser would send; a lone surrogate becomes the invalid UTF-8 bytes it stands for."""
    pairs = [
        (key, value) for key, values in data.items() for value in (values if isinstance(values, list) else [values])
    ]
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def as_received(value: str) -> str:
    """What Django reads of a value sent by `encoded`."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def send(client: Client, method: str, url: str, data: dict, **extra):
    COUNT["requests"] += 1
    if extra.get("REMOTE_ADDR") == "new":  # a login attempt from an address of its own: no lockout in the way
        extra["REMOTE_ADDR"] = (
            f"10.{COUNT['requests'] >> 16 & 255}.{COUNT['requests'] >> 8 & 255}.{COUNT['requests'] & 255}"
        )
    if method == "get":
        response = client.get(f"{url}?{encoded(data)}", **extra)
    else:
        response = client.post(url, encoded(data), content_type="application/x-www-form-urlencoded", **extra)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a CSV is built while it is sent
    assert response.status_code < 500, (method, url, data, response.status_code)
    return response


# Django admin's change lists are many (third-party apps' too) and share one filter machinery, and the middleware
# answers a NUL before any of it: the classes that reach their lookups are enough there, a date for date lookups.
ADMIN_KINDS = ("huge number",)
ADMIN_DATE_KINDS = ("huge number", "latest date")
DATE_LOOKUPS = ("__gte", "__lt", "__lte", "__gt", "__year", "__month", "__day")


def sweep(client: Client, method: str, url: str, base: dict, fields, *, kinds=tuple(NASTY), **extra) -> list:
    """Each field with each class of bad input, one request each; the 5xx answers and exceptions, listed."""
    failures = []
    for field in sorted(fields):
        for kind in kinds:
            value = NASTY[kind]
            try:
                with transaction.atomic():  # a database error must not hide the requests after it
                    send(client, method, url, {**base, field: value}, **extra)
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                failures.append((url, field, kind, f"{type(error).__name__}: {str(error)[:120]}"))
    return failures


def overrides(fields):
    """Some of the form's fields with bad values, and now and then a field no form has."""
    return st.tuples(
        st.dictionaries(st.sampled_from(sorted(fields)), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=5),
        st.dictionaries(JUNK_KEYS, VALUES, max_size=1),
    ).map(lambda pair: {**pair[1], **pair[0]})


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# The report form and its autosave.

REPORT_FIELDS = (
    set(ReportForm.base_fields)
    | {f"victims-{i}-{name}" for i in (0, 1) for name in VictimForm.base_fields}
    | {f"attackers-{i}-{name}" for i in (0, 1) for name in AttackerForm.base_fields}
    | {f"{prefix}-{name}" for prefix in ("victims", "attackers") for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    | {"action", "remove_upload", "keep_token"}
) - {"evidence"}


def _check_draft_kept(post: dict, key: str) -> None:
    """The draft holds what was typed (NULs left out: PostgreSQL cannot store them)."""
    draft = ReportDraft.objects.filter(key=key).first()
    assert draft is not None, post
    account = post["account"]
    typed = [as_received(value).replace("\x00", "") for value in (account if isinstance(account, list) else [account])]
    assert draft.data.get("account", []) == typed


def test_every_class_of_bad_input_in_the_report_form_keeps_the_draft(reporter, facility_a):
    """Each class in every field at once, and in the account and the date alone; the form and the autosave."""
    client = logged_in(reporter)
    for kind, value in NASTY.items():
        for fields in (REPORT_FIELDS - {"draft_key"}, {"account"}, {"occurred_at"}):
            for name in ("incidents:report", "incidents:draft_save"):
                key = str(uuid.uuid4())
                post = {**minimal_post(facility_a), **dict.fromkeys(fields, value), "draft_key": key}
                response = send(client, "post", reverse(name), post)
                assert response.status_code in (200, 302), (kind, fields, response.status_code)
                if response.status_code == 200:
                    _check_draft_kept(post, key)


@_examples(25)
@given(bad=overrides(REPORT_FIELDS))
def test_the_report_form(reporter, facility_a, bad):
    key = str(uuid.uuid4())
    post = {**minimal_post(facility_a), **bad, "draft_key": key}
    response = send(logged_in(reporter), "post", reverse("incidents:report"), post)
    if response.status_code == 200:  # shown again with its errors
        _check_draft_kept(post, key)
        assert not Incident.objects.filter(idempotency_key=key).exists()


@_examples(15)
@given(bad=overrides(REPORT_FIELDS))
def test_the_report_autosave(reporter, facility_a, bad):
    key = str(uuid.uuid4())
    post = {**minimal_post(facility_a), **bad, "draft_key": key}
    response = send(logged_in(reporter), "post", reverse("incidents:draft_save"), post)
    if response.status_code == 200 and response.json()["saved"]:
        _check_draft_kept(post, key)


@_examples(5)
@given(draft=VALUES)
def test_the_report_form_resumed_from_a_draft(reporter, facility_a, draft):
    send(logged_in(reporter), "get", reverse("incidents:report"), {"draft": draft})


# The police side: every case action's form, and the reporter's answers.


@pytest.fixture
def case(incident, officer):
    cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    return Incident.objects.get(pk=incident.pk)


ACTION_FIELDS = {action: {f"{action}-{name}" for name in form.base_fields} for action, form in ACTION_FORMS.items()}


@_examples(20)
@given(action=st.sampled_from(sorted(ACTION_FORMS)), data=st.data())
def test_the_officers_case_forms(officer, case, action, data):
    case.refresh_from_db()
    bad = data.draw(overrides(ACTION_FIELDS[action]))
    post = {f"{action}-version": str(case.version), **bad}
    send(logged_in(officer), "post", reverse("incidents:case_action", args=[case.pk, action]), post)


@_examples(10)
@given(bad=overrides({"info-body", "q-body", "body"}), answer=st.booleans())
def test_the_reporters_answers_and_additions(reporter, officer, case, bad, answer):
    question = cases.case_question_ask(incident=case, actor=officer, body="Когда это было?")
    if answer:
        url = reverse("incidents:report_answer", args=[case.pk, question.pk])
        post = {f"q{question.pk}-body": "Вчера.", **{k.replace("q-", f"q{question.pk}-"): v for k, v in bad.items()}}
    else:
        url, post = reverse("incidents:report_add_info", args=[case.pk]), {"info-body": "Ещё одно.", **bad}
    send(logged_in(reporter), "post", url, post)


VALID_IIN = "900101300017"
ACTION_BASE = {
    "question": {"body": "Когда это было?"},
    "erdr": {"erdr_number": "261750031000123", "registered_on": "today"},
    "forensic": {"harm": "light"},
    "suspect": {"full_name": "Иванов Иван", "iin": VALID_IIN},
    "override": {"part": "1", "reason": "Причина"},
    "handover": {"post": "", "reason": "Причина"},
    "close": {"outcome": "refused", "reason": "Причина"},
}


def test_every_case_form_field_takes_every_class_of_bad_input(officer, case):
    client, failures = logged_in(officer), []
    for action, fields in sorted(ACTION_FIELDS.items()):
        if action != "acknowledge":  # the case version is one field of every form: swept once
            fields = fields - {f"{action}-version"}
        case.refresh_from_db()
        base = {f"{action}-{name}": value for name, value in ACTION_BASE.get(action, {}).items()}
        base = {key: str(timezone.localdate()) if value == "today" else value for key, value in base.items()}
        base[f"{action}-version"] = str(case.version)
        failures += sweep(client, "post", reverse("incidents:case_action", args=[case.pk, action]), base, fields)
    assert failures == []


# Logging in.


def test_every_login_field_takes_every_class_of_bad_input(reporter, officer, other_officer, settings):
    failures = []
    base = {"username": "alice", "password": "wrong"}
    for url in (reverse("accounts:login"), "/admin/login/"):
        failures += sweep(Client(), "post", url, base, {"username", "password", "next"}, REMOTE_ADDR="new")
    failures += sweep(Client(), "post", reverse("accounts:password_reset"), {}, {"email"})
    settings.QORGAU_2FA_REQUIRED = True
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    for user, name in ((officer, "two_factor_verify"), (other_officer, "two_factor_setup")):
        failures += sweep(logged_in(user), "post", reverse(f"accounts:{name}"), {"code": "123456"}, {"code", "next"})
    assert failures == []


@_examples(10)
@given(bad=overrides({"username", "password", "next"}), admin_login=st.booleans())
def test_login(reporter, bad, admin_login):
    url = "/admin/login/" if admin_login else reverse("accounts:login")
    post = {"username": "alice", "password": "wrong", **bad}
    send(Client(), "post", url, post, REMOTE_ADDR="new")


@_examples(5)
@given(bad=overrides({"email"}))
def test_password_reset(reporter, bad):
    send(Client(), "post", reverse("accounts:password_reset"), {"email": "alice@example.kz", **bad})


@_examples(10)
@given(bad=overrides({"code", "next"}), setup=st.booleans(), method=st.sampled_from(["get", "post"]))
def test_two_factor_login(officer, other_officer, settings, bad, setup, method):
    settings.QORGAU_2FA_REQUIRED = True
    if not TOTPDevice.objects.filter(user=officer).exists():
        TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    user, name = (other_officer, "two_factor_setup") if setup else (officer, "two_factor_verify")
    send(logged_in(user), method, reverse(f"accounts:{name}"), {"code": "123456", **bad})


# GET filters.

FILTERS = {
    "officer": [
        ("incidents:case_inbox", {"q", "status", "part", "facility", "period_from", "period_to", "overdue", "page"}),
        ("incidents:case_inbox_poll", {"partial"}),
        ("facilities:list", {"q", "district", "kind", "page"}),
    ],
    "facility_lead": [("incidents:facility_reports", {"facility", "status", "page"})],
    "reporter": [("incidents:my_reports", {"page"})],
    "analyst": [
        ("analytics:dashboard", {"period", "district", "facility_kind"}),
        ("analytics:export_csv", {"period", "district", "facility_kind"}),
        ("analytics:export_xlsx", {"period", "district", "facility_kind"}),
    ],
}
FILTER_TARGETS = [(role, name, fields) for role, pages in FILTERS.items() for name, fields in pages]


def test_every_filter_takes_every_class_of_bad_input(request, incident):
    failures = []
    # The exports read the dashboard's form: Hypothesis sends them bad filters too.
    for role, name, fields in [target for target in FILTER_TARGETS if "export" not in target[1]]:
        failures += sweep(logged_in(request.getfixturevalue(role)), "get", reverse(name), {}, fields)
    assert failures == []


@_examples(20)
@given(target=st.sampled_from(FILTER_TARGETS), data=st.data())
def test_the_filters(request, incident, target, data):
    role, name, fields = target
    user = request.getfixturevalue(role)
    send(logged_in(user), "get", reverse(name), data.draw(overrides(fields | {"partial"})))


# Django admin: the change lists' filters, search and ordering, and bulk actions.


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _admin_params(model) -> set[str]:
    """The query parameters of the change list: its filters' (from the model admin) and the list's own."""
    model_admin = admin.site._registry[model]
    names = {"q", "o", "p", "e", "all", "_popup", "_to_field"}
    for entry in model_admin.list_filter:
        field = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(field, str):
            names |= {f"{field}__exact", f"{field}__id__exact", f"{field}__isnull", f"{field}__gte", f"{field}__lt"}
            names |= {field, f"{field}__in"}
        else:
            names.add(getattr(field, "parameter_name", None) or "role")
    return names


def _filter_params(client: Client, model) -> set[str]:
    """The query parameters of the change list's filter links, as the page offers them."""
    page = client.get(_changelist(model)).content.decode()
    return {key for query in re.findall(r'href="\?([^"#]*)"', page) for key in parse_qs(html.unescape(query))}


def test_every_admin_filter_takes_every_class_of_bad_input(superuser, incident):
    client, failures = logged_in(superuser), []
    for model in ADMIN_MODELS:
        params = _filter_params(client, model) | {"q", "o", "p"}
        hierarchy = admin.site._registry[model].date_hierarchy
        if hierarchy:
            params |= {f"{hierarchy}__{part}" for part in ("year", "month", "day")}
        dates = {param for param in params if param.endswith(DATE_LOOKUPS)}
        failures += sweep(client, "get", _changelist(model), {}, params - dates, kinds=ADMIN_KINDS)
        failures += sweep(client, "get", _changelist(model), {}, dates, kinds=ADMIN_DATE_KINDS)
    assert failures == []


@_examples(30)
@given(model=st.sampled_from(ADMIN_MODELS), data=st.data())
def test_admin_change_lists(superuser, incident, model, data):
    send(logged_in(superuser), "get", _changelist(model), data.draw(overrides(_admin_params(model))))


@_examples(15)
@given(model=st.sampled_from(ADMIN_MODELS), data=st.data())
def test_admin_bulk_actions(superuser, incident, model, data):
    actions = sorted(name for _func, name, _desc in admin.site._registry[model]._get_base_actions())
    post = {
        "action": data.draw(st.one_of(st.sampled_from(actions or ["delete_selected"]), VALUES)),
        "_selected_action": data.draw(st.lists(VALUES, min_size=1, max_size=3)),
        "index": data.draw(VALUES),
        "select_across": data.draw(st.sampled_from(["0", "1", "x"])),
    }
    send(logged_in(superuser), "post", _changelist(model), post)
