"""Reports kept through an expired session: tied to the nurse who typed them, handed back to her alone, and
never a way for anyone (logged in or not) to fill the disk.

Issue 10, medium: on a shared ward computer a second nurse received the first nurse's account text and the
attacker's name and IIN as her draft; and each anonymous post of the form stored about 4.7 MB, limited only
per session cookie.
"""

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import DraftUpload, Incident, ReportDraft
from incidents.services import drafts
from tests import factories
from tests.incidents.reporting_support import jpeg_bytes, minimal_post, photo

pytestmark = pytest.mark.django_db

REPORT = reverse("incidents:report")
ACCOUNT = "Сын пациентки Ерлан Сапаров ударил меня в ординаторской."
ATTACKER = "Сапаров Ерлан Болатович"
ATTACKER_IIN = "900101300017"


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The per-address counts live in the cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def colleague(facility_a):
    """A second nurse of the same ward, who logs in next on the shared computer."""
    return factories.make_reporter(facility_a, username="dana")


def browser() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def open_form(client: Client, user) -> dict:
    """Log in, open the report form and return the hidden fields the page carries (key, signed value)."""
    client.force_login(user)
    html = client.get(REPORT).content.decode()
    key = re.search(r'name="draft_key" value="([^"]+)"', html).group(1)
    token = re.search(r'name="keep_token" value="([^"]*)"', html)
    return {"draft_key": key, "keep_token": token.group(1) if token else ""}


def typed_report(facility, hidden: dict, **extra) -> dict:
    return minimal_post(
        facility,
        account=ACCOUNT,
        **{"attackers-0-full_name": ATTACKER, "attackers-0-iin": ATTACKER_IIN},
        **hidden,
        **extra,
    )


def send_after_expiry(client: Client, data: dict, **request):
    client.logout()  # the session expires while the form is open
    response = client.post(REPORT, data, **request)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/"), response
    return response


def log_in_from(client: Client, login_url: str, user):
    """Log in on the login page the post was sent to, then follow it to where it leads."""
    response = client.post(login_url, {"username": user.username, "password": factories.PASSWORD}, follow=True)
    assert response.status_code in (200, 404)
    return response


def shows_the_report(response) -> bool:
    html = response.content.decode()
    return ACCOUNT in html or ATTACKER in html or ATTACKER_IIN in html


# --- Handed back to the nurse who typed it, and to nobody else ----------------------------------------------------


def test_the_next_nurse_on_the_shared_computer_gets_nothing_of_the_kept_report(client, reporter, colleague, facility_a):
    hidden = open_form(client, reporter)
    login_url = send_after_expiry(client, typed_report(facility_a, hidden)).url

    seen = log_in_from(client, login_url, colleague)
    assert seen.status_code == 404 and not shows_the_report(seen)
    for page in (REPORT, reverse("incidents:my_reports")):
        assert not shows_the_report(client.get(page))
    assert not ReportDraft.objects.filter(owner=colleague).exists()
    assert ReportDraft.objects.get(owner__isnull=True).kept_for == reporter  # still waiting for its author


def test_the_nurse_who_typed_it_gets_it_back_after_her_login(client, reporter, colleague, facility_a):
    hidden = open_form(client, reporter)
    login_url = send_after_expiry(client, typed_report(facility_a, hidden, evidence=[photo("bruise.jpg")])).url
    restore = login_url.split("next=")[1].replace("%2F", "/")

    other = browser()
    other.force_login(colleague)
    assert other.get(restore).status_code == 404  # the link alone gives nothing to another user

    shown = log_in_from(client, login_url, reporter)
    assert shown.status_code == 200 and ACCOUNT in shown.content.decode() and "bruise.jpg" in shown.content.decode()
    draft = ReportDraft.objects.get(key=hidden["draft_key"])
    assert draft.owner == reporter and draft.uploads.get().original_name == "bruise.jpg"


def test_a_nurse_of_another_facility_cannot_claim_it_with_the_link(client, reporter, other_reporter, facility_a):
    hidden = open_form(client, reporter)
    restore = send_after_expiry(client, typed_report(facility_a, hidden)).url.split("next=")[1].replace("%2F", "/")
    stranger = browser()
    stranger.force_login(other_reporter)
    response = stranger.get(restore)
    assert response.status_code == 404 and not shows_the_report(response)
    assert ReportDraft.objects.get(owner__isnull=True).kept_for == reporter


def test_the_claim_refuses_anyone_but_the_author(reporter, colleague):
    kept = drafts.report_keep(author=reporter, data={"account": [ACCOUNT]}, uploads=[], resume_key=None)
    with pytest.raises(PermissionDenied):
        drafts.kept_report_claim(kept=kept, user=colleague)
    assert drafts.kept_report_claim(kept=kept, user=reporter).owner == reporter


def test_a_report_kept_before_reports_were_tied_to_users_goes_to_nobody(reporter):
    legacy = ReportDraft.objects.create(owner=None, data={"account": [ACCOUNT]})  # no author recorded
    with pytest.raises(PermissionDenied):
        drafts.kept_report_claim(kept=legacy, user=reporter)


def test_a_form_left_open_is_not_sent_under_the_next_nurses_name(client, reporter, colleague, facility_a):
    hidden = open_form(client, reporter)
    client.force_login(colleague)  # the colleague logged in on the same computer since; the first form is still open
    response = client.post(REPORT, typed_report(facility_a, hidden))
    assert response.status_code == 409 and not shows_the_report(response)
    assert "This form belongs to another user" in response.content.decode()
    assert not Incident.objects.exists() and not ReportDraft.objects.exists()
    # Her own form goes through.
    assert client.post(REPORT, typed_report(facility_a, open_form(client, colleague))).status_code == 302
    assert Incident.objects.get().reporter == colleague


def test_a_form_left_open_is_not_autosaved_under_the_next_nurses_name(client, reporter, colleague, facility_a):
    hidden = open_form(client, reporter)
    client.force_login(colleague)
    autosave = reverse("incidents:draft_save")
    response = client.post(autosave, {**hidden, "account": ACCOUNT})
    assert response.status_code == 409 and response.json()["reason"] == "another_user"
    assert not ReportDraft.objects.exists()
    own = open_form(client, colleague)
    assert client.post(autosave, {**own, "account": "моё"}).json()["saved"] is True


# --- Stored only for a user who was logged in when the form was opened -------------------------------------------


def test_an_anonymous_post_of_the_form_stores_nothing(facility_a, settings):
    anonymous = browser()
    big = SimpleUploadedFile("big.jpg", jpeg_bytes((1200, 1200)), content_type="image/jpeg")
    response = anonymous.post(REPORT, minimal_post(facility_a, account=ACCOUNT, evidence=[big, photo()]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not ReportDraft.objects.exists() and not DraftUpload.objects.exists()
    login_page = anonymous.get(response.url).content.decode()
    assert "this report could not be kept" in login_page


@pytest.mark.parametrize(
    "tamper",
    [
        lambda hidden, other_key: {**hidden, "keep_token": hidden["keep_token"] + "x"},  # forged signature
        lambda hidden, other_key: {**hidden, "draft_key": other_key},  # the value of another form
        lambda hidden, other_key: {**hidden, "keep_token": ""},  # none at all
    ],
)
def test_a_forged_or_borrowed_signed_value_stores_nothing(client, reporter, facility_a, tamper):
    hidden = open_form(client, reporter)
    other_key = open_form(client, reporter)["draft_key"]
    response = send_after_expiry(client, typed_report(facility_a, tamper(hidden, other_key)))
    assert not ReportDraft.objects.filter(owner__isnull=True).exists()
    assert "this report could not be kept" in client.get(response.url).content.decode()


def test_a_form_over_someone_elses_draft_is_not_kept(client, reporter, colleague, facility_a):
    # The colleague's own page, pointed at the reporter's saved draft: it must not be merged into it.
    theirs = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={"account": ["мой черновик"]})
    data = typed_report(facility_a, {"draft_key": str(theirs.key)})
    data["keep_token"] = drafts.report_form_token(user=colleague, key=theirs.key)
    send_after_expiry(client, data)
    assert not ReportDraft.objects.filter(owner__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.data == {"account": ["мой черновик"]}


def test_a_user_who_may_no_longer_report_has_nothing_kept(client, reporter, facility_a):
    hidden = open_form(client, reporter)
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])
    send_after_expiry(client, typed_report(facility_a, hidden))
    assert not ReportDraft.objects.filter(owner__isnull=True).exists()


# --- Limits: per user, per address, overall; each with a message, never an error ----------------------------------


def test_sending_the_same_form_again_replaces_its_kept_copy(client, reporter, facility_a):
    hidden = open_form(client, reporter)
    for _ in range(3):
        send_after_expiry(client, typed_report(facility_a, hidden, evidence=[photo()]))
    assert ReportDraft.objects.filter(owner__isnull=True).count() == 1
    assert DraftUpload.objects.count() == 1


def test_a_user_has_at_most_the_set_number_of_reports_waiting(client, reporter, facility_a, settings):
    settings.QORGAU_KEPT_PER_USER = 2
    forms = [open_form(client, reporter) for _ in range(3)]
    for hidden in forms[:2]:
        send_after_expiry(client, typed_report(facility_a, hidden))
    refused = send_after_expiry(client, typed_report(facility_a, forms[2]))
    assert ReportDraft.objects.filter(owner__isnull=True, kept_for=reporter).count() == 2
    assert "could not be kept this time" in client.get(refused.url).content.decode()


def test_another_user_is_not_held_by_the_first_users_limit(client, reporter, colleague, facility_a, settings):
    settings.QORGAU_KEPT_PER_USER = 1
    send_after_expiry(client, typed_report(facility_a, open_form(client, reporter)))
    send_after_expiry(client, typed_report(facility_a, open_form(client, colleague)))
    assert ReportDraft.objects.filter(owner__isnull=True).count() == 2


def test_one_address_keeps_at_most_the_set_number_per_hour(client, reporter, colleague, facility_a, settings):
    settings.QORGAU_KEPT_PER_ADDRESS_PER_HOUR = 2
    for user in (reporter, colleague):
        send_after_expiry(client, typed_report(facility_a, open_form(client, user)), REMOTE_ADDR="10.0.0.7")
    refused = send_after_expiry(client, typed_report(facility_a, open_form(client, reporter)), REMOTE_ADDR="10.0.0.7")
    assert ReportDraft.objects.filter(owner__isnull=True).count() == 2
    assert "could not be kept this time" in client.get(refused.url).content.decode()
    # Another address is not held by it.
    send_after_expiry(client, typed_report(facility_a, open_form(client, colleague)), REMOTE_ADDR="10.0.0.8")
    assert ReportDraft.objects.filter(owner__isnull=True).count() == 3


def test_the_number_of_reports_waiting_overall_is_capped(client, reporter, colleague, facility_a, settings):
    settings.QORGAU_KEPT_PENDING_MAX_REPORTS = 1
    send_after_expiry(client, typed_report(facility_a, open_form(client, reporter)))
    refused = send_after_expiry(client, typed_report(facility_a, open_form(client, colleague)))
    assert ReportDraft.objects.filter(owner__isnull=True).count() == 1
    assert "could not be kept this time" in client.get(refused.url).content.decode()


def test_files_beyond_the_overall_storage_cap_are_asked_for_again(client, reporter, facility_a, settings):
    settings.QORGAU_KEPT_PENDING_MAX_BYTES = len(jpeg_bytes()) + 10  # room for one small photo
    hidden = open_form(client, reporter)
    login_url = send_after_expiry(
        client, typed_report(facility_a, hidden, evidence=[photo("first.jpg"), photo("second.jpg")])
    ).url
    kept = ReportDraft.objects.get(owner__isnull=True)
    assert [upload.original_name for upload in kept.uploads.all()] == ["first.jpg"]
    shown = log_in_from(client, login_url, reporter).content.decode()
    assert ACCOUNT in shown and "Please attach these files again: second.jpg." in shown


def test_kept_reports_nobody_claimed_go_when_their_link_expires(reporter, django_capture_on_commit_callbacks):
    kept = drafts.report_keep(author=reporter, data={}, uploads=[], resume_key=None)
    ReportDraft.objects.filter(pk=kept.pk).update(updated_at=timezone.now() - drafts.KEPT_MAX_AGE * 1.1)
    fresh_draft = drafts.draft_save(owner=reporter, key=uuid.uuid4(), data={})
    ReportDraft.objects.filter(pk=fresh_draft.pk).update(updated_at=timezone.now() - drafts.KEPT_MAX_AGE * 1.1)
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts.kept_reports_purge(older_than=dt.timedelta(days=30)) == 1
    assert list(ReportDraft.objects.all()) == [fresh_draft]  # a nurse's own draft keeps its 30 days
