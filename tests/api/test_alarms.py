"""Alarms and recordings through the API: a device's key raises alarms in its own place only, once per idempotency
key, and the post's officer sees them; recordings are checked as evidence, hashed, resumable, with their custody."""

import hashlib
import re
import uuid

from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alarms.models import Alarm, AlarmEvent, Device
from api.models import CustodyEntry, Recording, RecordingChunk
from common.problems import PROBLEM_CONTENT_TYPE
from tests.incidents.reporting_support import box, isobmff_bytes, jpeg_bytes, movie_bytes

ALARMS = "/api/v1/alarms/"


def raise_with(api, key, body=None, idempotency=None):
    return api.as_key(key).post(ALARMS, data=body or {}, HTTP_IDEMPOTENCY_KEY=idempotency or str(uuid.uuid4()))


def test_a_key_raises_an_alarm_at_its_post_and_the_officer_sees_it(api, key_a, post_a, officer, client):
    response = raise_with(api, key_a, {"place": "admission, room 3"})
    assert response.status_code == 201, response.json()
    alarm = Alarm.objects.get(pk=response.json()["id"])
    assert alarm.post == post_a and alarm.facility == post_a.facility and alarm.source == Alarm.Source.BUTTON
    assert "room 3" in alarm.place
    client.force_login(officer)
    assert "room 3" in client.get("/alarms/").content.decode()


def test_the_same_idempotency_key_never_makes_a_second_alarm(api, key_a):
    key = str(uuid.uuid4())
    first, second = raise_with(api, key_a, idempotency=key), raise_with(api, key_a, idempotency=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Alarm.objects.count() == 1


def test_an_idempotency_key_is_required(api, key_a):
    response = api.as_key(key_a).post(ALARMS, data={})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Alarm.objects.count() == 0


def test_a_key_of_another_post_is_refused(api, key_b, post_a):
    response = raise_with(api, key_b, {"post": post_a.code})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert Alarm.objects.count() == 0
    # Control: its own post.
    assert raise_with(api, key_b).status_code == 201


def test_a_key_cannot_name_another_facility(api, key_b, facility_a):
    assert raise_with(api, key_b, {"facility": facility_a.code}).status_code == 403
    assert Alarm.objects.count() == 0


def test_an_idempotency_key_of_another_places_alarm_is_refused_not_shown(api, key_a, key_b):
    key = str(uuid.uuid4())
    assert raise_with(api, key_a, idempotency=key).status_code == 201
    response = raise_with(api, key_b, idempotency=key)
    assert response.status_code == 400
    assert "id" not in response.json()


def test_a_registered_device_of_another_place_is_refused(api, key_a, key_b, facility_a):
    Device.objects.create(device_id="BTN-1", facility=facility_a, room="Room 3")
    assert raise_with(api, key_b, {"device_id": "BTN-1"}).status_code == 403
    response = raise_with(api, key_a, {"device_id": "BTN-1"})
    assert response.status_code == 201
    assert Alarm.objects.get().device.device_id == "BTN-1"


def test_pressed_by_names_a_member_of_the_facility(api, key_a, reporter, other_reporter):
    assert raise_with(api, key_a, {"pressed_by": other_reporter.username}).status_code == 403
    response = raise_with(api, key_a, {"pressed_by": reporter.username})
    assert response.status_code == 201
    assert Alarm.objects.get().raised_by == reporter


def test_a_user_raises_an_alarm_for_their_own_facility(api, reporter, facility_a, facility_b):
    response = api.as_token(reporter).post(ALARMS, data={}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201
    alarm = Alarm.objects.get()
    assert alarm.facility == facility_a and alarm.raised_by == reporter and alarm.source == Alarm.Source.SOS
    other = api.as_token(reporter).post(
        ALARMS, data={"facility": facility_b.code}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert other.status_code == 403


def test_wrong_types_and_unknown_fields_name_the_field(api, key_a):
    for body, field in (({"drill": "often"}, "drill"), ({"department": "x"}, "department"), ({"colour": 1}, "colour")):
        response = raise_with(api, key_a, body)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Alarm.objects.count() == 0


# --- Recordings -----------------------------------------------------------------------------------------------


def _alarm(api, key):
    return raise_with(api, key).json()["id"]


def test_a_whole_recording_is_checked_hashed_and_in_custody(api, key_a):
    alarm_id = _alarm(api, key_a)
    body = movie_bytes()
    response = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/",
        data=body,
        content_type="video/mp4",
        HTTP_X_FILE_NAME="badge.mp4",
        HTTP_X_DEVICE_ID="BADGE-7",
    )
    assert response.status_code == 201, response.json()
    recording = Recording.objects.get()
    assert recording.status == Recording.Status.STORED
    assert recording.sha256 == hashlib.sha256(body).hexdigest()
    assert recording.uploader_name.startswith("panic button, admission")
    assert recording.device_id == "BADGE-7"
    assert recording.file.read() == body
    kinds = list(recording.custody.values_list("kind", flat=True))
    assert kinds == [CustodyEntry.Kind.STARTED, CustodyEntry.Kind.CHUNK, CustodyEntry.Kind.STORED]


def test_a_recording_in_chunks_resumes_where_it_stopped(api, key_a):
    alarm_id = _alarm(api, key_a)
    body = movie_bytes()
    total = len(body)
    assert total > 150
    first = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/",
        data=body[:100],
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 0-99/{total}",
        HTTP_X_FILE_NAME="badge.mp4",
    )
    assert first.status_code == 202
    url = first["Location"]
    # A part that skips ahead is refused with where to resume.
    skipped = api.as_key(key_a).post(
        url,
        data=body[150:],
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 150-{total - 1}/{total}",
    )
    assert skipped.status_code == 409 and skipped["Upload-Offset"] == "100"
    assert api.as_key(key_a).get(url).json()["received"] == 100
    rest = api.as_key(key_a).post(
        url,
        data=body[100:],
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 100-{total - 1}/{total}",
        HTTP_X_CONTENT_SHA256=hashlib.sha256(body).hexdigest(),
    )
    assert rest.status_code == 201, rest.json()
    assert Recording.objects.get().sha256 == hashlib.sha256(body).hexdigest()


def test_content_that_is_no_recording_is_refused_and_kept_refused(api, key_a):
    alarm_id = _alarm(api, key_a)
    response = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/", data=b"<html><script>x</script></html>", content_type="video/mp4"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    recording = Recording.objects.get()
    assert recording.status == Recording.Status.REFUSED
    assert recording.custody.last().kind == CustodyEntry.Kind.REFUSED
    # Control: a photo is accepted by the same check.
    ok = api.as_key(key_a).post(f"{ALARMS}{alarm_id}/recordings/", data=jpeg_bytes(), content_type="image/jpeg")
    assert ok.status_code == 201


def test_a_wrong_sha256_is_refused(api, key_a):
    alarm_id = _alarm(api, key_a)
    response = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/", data=movie_bytes(), content_type="video/mp4", HTTP_X_CONTENT_SHA256="0" * 64
    )
    assert response.status_code == 400
    assert Recording.objects.get().status == Recording.Status.REFUSED


def test_a_key_of_another_post_cannot_upload_to_the_alarm(api, key_a, key_b):
    alarm_id = _alarm(api, key_a)
    response = api.as_key(key_b).post(f"{ALARMS}{alarm_id}/recordings/", data=movie_bytes(), content_type="video/mp4")
    assert response.status_code == 404
    assert Recording.objects.count() == 0


def test_a_bad_content_range_names_the_header(api, key_a):
    alarm_id = _alarm(api, key_a)
    for header in ("bytes 0-10/5", "bytes=0-1/2", "bytes 0-99/1000"):
        response = api.as_key(key_a).post(
            f"{ALARMS}{alarm_id}/recordings/", data=b"abc", content_type="video/mp4", HTTP_CONTENT_RANGE=header
        )
        assert response.status_code == 400, header
        assert response.json()["errors"][0]["field"] == "Content-Range"


def test_a_refusal_of_the_alarms_service_is_a_400_problem_not_a_500(api, key_a, monkeypatch):
    """What alarm_raise itself refuses (a device switched off between the API's check and the alarm's) is answered
    with its message."""
    from alarms.services import AlarmRefused

    def refuse(**kwargs):
        raise AlarmRefused("This device is not registered.")

    monkeypatch.setattr("api.services.alarm_raise", refuse)
    response = raise_with(api, key_a)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["errors"][0]["detail"] == "This device is not registered."


def test_an_idempotency_key_of_another_posts_alarm_in_the_same_facility_is_refused_not_shown(api, key_a, facility_a):
    """A post's key reaches its post's alarms only (`alarms_of_key`), even in a facility with a second post."""
    from api.services import apikey_create
    from tests import factories

    second_post = factories.PolicePostFactory(facility=facility_a)
    _row, key_second = apikey_create(name="panic button, second post", post_code=second_post.code)
    key = str(uuid.uuid4())
    assert raise_with(api, key_a, idempotency=key).status_code == 201
    response = raise_with(api, key_second, idempotency=key)
    assert response.status_code == 400
    assert "id" not in response.json()
    # Control: the key that raised it gets it back.
    assert raise_with(api, key_a, idempotency=key).status_code == 200


def test_a_refusal_out_of_the_keys_place_names_the_field_and_says_why(api, key_b, post_a):
    response = raise_with(api, key_b, {"post": post_a.code})
    assert response.status_code == 403
    body = response.json()
    assert body["errors"] == [
        {"field": "post", "detail": "This key is not for that police post.", "code": "permission_denied"}
    ]
    assert body["detail"] == "post: This key is not for that police post."


def test_an_alarm_a_key_raised_names_the_key_in_its_history(api, key_a, officer, client):
    """Audit: the alarm's history names the device's key (its name and public prefix, never the secret)."""
    response = raise_with(api, key_a, {"place": "admission"})
    assert response.status_code == 201
    alarm = Alarm.objects.get(pk=response.json()["id"])
    prefix = key_a.partition(".")[0]
    raised = alarm.events.get(kind=AlarmEvent.Kind.RAISED)
    assert (raised.actor_key_name, raised.actor_key_prefix) == ("panic button, admission", prefix)
    assert raised.actor is None
    client.force_login(officer)
    history = client.get(f"/alarms/{alarm.pk}/").content.decode().split('id="alarm-history"')[1]
    assert "panic button, admission" in history and prefix in history
    assert key_a.partition(".")[2] not in history


def test_an_alarm_a_key_raised_for_a_member_names_both_in_its_history(api, key_a, reporter):
    response = raise_with(api, key_a, {"pressed_by": reporter.username})
    assert response.status_code == 201
    raised = AlarmEvent.objects.get(alarm_id=response.json()["id"], kind=AlarmEvent.Kind.RAISED)
    assert raised.actor == reporter and raised.actor_key_name == "panic button, admission"


def test_an_alarm_a_user_raised_names_no_key(api, reporter):
    response = api.as_token(reporter).post(ALARMS, data={}, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201
    raised = AlarmEvent.objects.get(alarm_id=response.json()["id"], kind=AlarmEvent.Kind.RAISED)
    assert raised.actor == reporter and (raised.actor_key_name, raised.actor_key_prefix) == ("", "")


def _long_movie(samples: int) -> bytes:
    """A movie whose samples (`mdat`) are `samples` bytes long, with no markup anywhere in it."""
    data = (bytes(range(48, 58)) * (samples // 10 + 1))[:samples]
    return isobmff_bytes(b"mp42", b"mp42isom", box(b"moov", box(b"mvhd", b"\x00" * 100)), box(b"mdat", data))


def test_a_recording_larger_than_the_evidence_limit_comes_in_parts_kept_in_storage(
    api, key_a, settings, django_capture_on_commit_callbacks
):
    """The whole recording may pass the evidence limit (QORGAU_RECORDING_MAX_BYTES), each part may not
    (QORGAU_RECORDING_CHUNK_MAX_BYTES); the parts wait in storage, not in memory nor in the database."""
    settings.QORGAU_UPLOAD_MAX_BYTES = 1000
    settings.QORGAU_RECORDING_CHUNK_MAX_BYTES = 1000
    settings.QORGAU_RECORDING_MAX_BYTES = 8000
    alarm_id = _alarm(api, key_a)
    body = _long_movie(5000)
    total, size = len(body), 1000
    assert total > 5 * size
    too_big = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/",
        data=body[: size + 1],
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 0-{size}/{total}",
    )
    assert too_big.status_code == 413
    url = f"{ALARMS}{alarm_id}/recordings/"
    for start in range(0, total, size):
        part = body[start : start + size]
        with django_capture_on_commit_callbacks(execute=True):
            response = api.as_key(key_a).post(
                url,
                data=part,
                content_type="application/octet-stream",
                HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(part) - 1}/{total}",
                HTTP_X_FILE_NAME="badge.mp4",
                HTTP_X_CONTENT_SHA256=hashlib.sha256(body).hexdigest(),
            )
        assert response.status_code in (200, 201, 202), response.json()
        if start == 0:
            url = response["Location"]
            first_part = RecordingChunk.objects.get().file.name
            with default_storage.open(first_part) as kept:
                assert kept.read() == part
        if start + size < total:  # the first part opens it (202), the next ones add to it (200)
            assert response.status_code == (202 if start == 0 else 200)
    assert response.status_code == 201
    recording = Recording.objects.get()
    assert recording.status == Recording.Status.STORED and recording.total_size == total
    assert recording.sha256 == hashlib.sha256(body).hexdigest()
    assert recording.file.read() == body
    assert not RecordingChunk.objects.exists()
    assert not default_storage.exists(first_part)
    kinds = list(recording.custody.values_list("kind", flat=True))
    assert kinds.count(CustodyEntry.Kind.CHUNK) == 6 and kinds[-1] == CustodyEntry.Kind.STORED


def test_a_recording_over_the_recording_limit_is_refused_at_its_start(api, key_a, settings):
    settings.QORGAU_RECORDING_CHUNK_MAX_BYTES = 1000
    settings.QORGAU_RECORDING_MAX_BYTES = 3000
    alarm_id = _alarm(api, key_a)
    response = api.as_key(key_a).post(
        f"{ALARMS}{alarm_id}/recordings/",
        data=b"\x00" * 1000,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE="bytes 0-999/3001",
    )
    assert response.status_code == 400
    assert "3000" in response.json()["errors"][0]["detail"]
    assert not Recording.objects.exists()


def test_an_alarm_post_sends_each_statement_once(
    api, key_a, post_a, officer, monkeypatch, django_capture_on_commit_callbacks
):
    """The key read once (with its post and facility), the replay check, the alarm, its roster, deliveries and
    history written once each; after the commit, the live page reached and that recorded, from the rows in hand."""
    from tests.alarms.support import use_channels

    use_channels(monkeypatch)  # the live channel only: each outside channel adds its own deliveries and tasks
    monkeypatch.setattr("alarms.live._process.serves_pages", True)
    assert raise_with(api, key_a).status_code == 201  # the key's first use also stamps its last use
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        response = raise_with(api, key_a, {"place": "admission"})
    assert response.status_code == 201
    statements = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert [(sql.split()[0], re.search(r'"(\w+)"', sql).group(1)) for sql in statements] == [
        ("SELECT", "api_placeapikey"),
        ("SELECT", "alarms_alarm"),  # the replay check
        ("INSERT", "alarms_alarm"),
        ("SELECT", "accounts_user"),
        ("INSERT", "alarms_alarmdelivery"),
        ("INSERT", "alarms_alarmevent"),  # raised, first step
        ("UPDATE", "alarms_alarmdelivery"),  # the live page reached
        ("INSERT", "alarms_alarmevent"),
    ], statements
    live = Alarm.objects.get(pk=response.json()["id"]).deliveries.get()
    assert live.status == live.Status.SENT and live.attempts == 1
