"""The API's own writes: keys for a post or a facility, alarms raised through the alarms app's service within the
key's place, and recordings received in chunks and checked as evidence is."""

import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from alarms import services as alarm_services
from alarms.events import KeyActor
from alarms.models import Alarm, Device
from api.models import CustodyEntry, PlaceAPIKey, Recording, RecordingChunk
from facilities.models import Department, Facility, PolicePost
from facilities.selectors import member_facility
from incidents.services.evidence import upload_check

logger = logging.getLogger(__name__)


@transaction.atomic
def apikey_create(*, name: str, post_code: str = "", facility_code: str = "") -> tuple[PlaceAPIKey, str]:
    """A key for the post (by code) or the facility (by code); returns the row and the key, which is never stored."""
    name = " ".join(name.split())
    if not name or len(name) > 50:
        raise ValidationError(_("Name the key (at most 50 characters)."), code="name")
    if bool(post_code) == bool(facility_code):
        raise ValidationError(_("Give either a police post or a facility."), code="place")
    post = facility = None
    if post_code:
        post = PolicePost.objects.filter(code=post_code).first()
        if post is None:
            raise ValidationError(_("No police post has the code %(code)s.") % {"code": post_code}, code="post")
    else:
        facility = Facility.objects.filter(code=facility_code).first()
        if facility is None:
            raise ValidationError(_("No facility has the code %(code)s.") % {"code": facility_code}, code="facility")
    return PlaceAPIKey.objects.create_key(name=name, post=post, facility=facility)


def apikey_revoke(*, key: PlaceAPIKey, actor: User | None = None) -> None:
    """A revoked key is refused from its next request on; this cannot be undone. Recorded in the log (the key's
    prefix and who revoked it: a user's id, or `manage.py`)."""
    if PlaceAPIKey.objects.filter(pk=key.pk, revoked=False).update(revoked=True):
        logger.info("API key %s revoked by %s", key.prefix, f"user {actor.pk}" if actor is not None else "manage.py")
    key.revoked = True


# --- Alarms from devices and the app: scoped to the key's place, raised by the alarms app's one service ------------


class OutOfScope(Exception):
    """The key (or user) is not of the place named: `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AlarmRequest:
    facility: str = ""
    post: str = ""
    department: int | None = None
    place: str = ""
    device_id: str = ""
    pressed_by: str = ""
    kind: str = Alarm.Source.BUTTON
    drill: bool = False


def _place_of_key(key: PlaceAPIKey, wanted: AlarmRequest) -> tuple[Facility, PolicePost | None]:
    post = key.post
    facility = post.facility if post is not None else key.facility
    assert facility is not None  # noqa: S101 (the check constraint: a post or a facility)
    if wanted.facility and wanted.facility != facility.code:
        raise OutOfScope("facility", _("This key is not for that facility."))
    if wanted.post:
        named = PolicePost.objects.filter(code=wanted.post).first()
        if named is None or not key.covers_post(named):
            raise OutOfScope("post", _("This key is not for that police post."))
        post = named
    return facility, post


def _place_of_user(user: User, wanted: AlarmRequest) -> tuple[Facility, PolicePost | None]:
    facility = member_facility(user, code=wanted.facility)
    if facility is None:
        raise OutOfScope("facility", _("You are not a member of that facility."))
    post = None
    if wanted.post:
        post = facility.police_posts.filter(code=wanted.post).first()
        if post is None:
            raise OutOfScope("post", _("That police post does not serve your facility."))
    return facility, post


def alarm_raise(
    *, key: PlaceAPIKey | None, user: User | None, wanted: AlarmRequest, idempotency_key: str
) -> tuple[Alarm, bool]:
    """An alarm from a device (its key's place) or a user (their facility); (alarm, created). The same key again
    returns the first alarm; a key another place's alarm already has is refused, never shown."""
    existing = alarm_services.alarm_replayed(idempotency_key)
    if existing is not None:
        if (key is not None and alarms_of_key(key).filter(pk=existing.pk).exists()) or (
            key is None and user is not None and existing.raised_by_id == user.pk
        ):
            return existing, False
        raise OutOfScope("Idempotency-Key", _("This key is already used."))
    if key is not None:
        facility, post = _place_of_key(key, wanted)
        raised_by = None
        if wanted.pressed_by:
            raised_by = User.objects.filter(
                username=wanted.pressed_by, is_active=True, facility_memberships__facility=facility
            ).first()
            if raised_by is None:
                raise OutOfScope("pressed_by", _("No member of this facility has that username."))
        source = wanted.kind
    else:
        assert user is not None  # noqa: S101 (a key or a user: the view's permission)
        facility, post = _place_of_user(user, wanted)
        raised_by, source = user, Alarm.Source.SOS
    if wanted.device_id:
        device = Device.objects.filter(device_id=wanted.device_id, is_active=True).first()
        if device is None:
            raise OutOfScope("device_id", _("This device is not registered here."))
        if device.facility_id != facility.pk or (post is not None and device.post_id not in (None, post.pk)):
            raise OutOfScope("device_id", _("This device is registered to another place."))
    department = None
    if wanted.department is not None:
        department = Department.objects.filter(pk=wanted.department, facility=facility).first()
        if department is None:
            raise OutOfScope("department", _("This department is not in the facility."))
    # The alarm takes the place as one line; the department named by the device goes first, as Device.place does.
    place = ", ".join(part for part in (str(department or ""), wanted.place) if part)
    alarm = alarm_services.alarm_raise(
        facility=facility,
        post=post,
        place=place,
        device_id=wanted.device_id,
        raised_by=raised_by,
        source=source,
        idempotency_key=idempotency_key,
        drill=wanted.drill,
        raised_by_key=KeyActor(name=key.name, prefix=key.prefix) if key is not None else None,
        replay_checked=True,
    )
    return alarm, True


def alarms_of_key(key: PlaceAPIKey) -> QuerySet[Alarm]:
    """The alarms of the key's place: its post's, or every alarm of its facility."""
    if key.post_id is not None:
        return Alarm.objects.filter(post_id=key.post_id)
    return Alarm.objects.filter(facility_id=key.facility_id)


# --- Recordings: whole or in chunks, then checked as evidence is -------------------------------------------------


class UploadOutOfOrder(Exception):
    """A chunk that does not start where the received bytes end: the client resumes from `received`."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


@dataclass(frozen=True)
class Chunk:
    data: bytes
    start: int
    total: int


def _custody(recording: Recording, kind: str, actor: str, **data: object) -> CustodyEntry:
    return CustodyEntry.objects.create(recording=recording, kind=kind, actor_name=actor, data=data)


def uploader_name(*, key: PlaceAPIKey | None, user: User | None) -> str:
    if key is not None:
        return f"{key.name} ({key.prefix})"
    assert user is not None  # noqa: S101
    return user.get_full_name() or user.get_username()


@transaction.atomic
def recording_start(
    *, alarm: Alarm, key: PlaceAPIKey | None, user: User | None, total: int, name: str, device_id: str
) -> Recording:
    """A new recording of `total` bytes for the alarm; its first hand in the chain of custody is the uploader."""
    if total <= 0:
        raise ValidationError(_("The recording is empty."), code="empty")
    if total > settings.QORGAU_RECORDING_MAX_BYTES:
        raise ValidationError(
            _("The recording is too large; the limit is %(limit)s bytes.")
            % {"limit": settings.QORGAU_RECORDING_MAX_BYTES},
            code="too_large",
        )
    by = uploader_name(key=key, user=user)
    recording = Recording.objects.create(
        alarm=alarm,
        total_size=total,
        original_name=os.path.basename(name)[:255],
        uploaded_by_key=key,
        uploaded_by_user=user,
        uploader_name=by,
        device_id=device_id[:64],
    )
    _custody(recording, CustodyEntry.Kind.STARTED, by, total=total, device_id=device_id[:64])
    return recording


@transaction.atomic
def recording_chunk_add(
    *, recording: Recording, chunk: Chunk, expected_sha256: str = ""
) -> tuple[Recording, ValidationError | None]:
    """Keep one chunk (in order); when the last one is in, check the whole file by content and store it. Returns
    the recording and, when the whole file was refused (kept REFUSED, with its custody), why."""
    recording = Recording.objects.select_for_update().get(pk=recording.pk)
    if recording.status != Recording.Status.RECEIVING:
        raise ValidationError(_("This recording is already complete."), code="complete")
    if chunk.total != recording.total_size:
        raise ValidationError(_("The total size differs from the one this upload started with."), code="total")
    if chunk.start != recording.received:
        raise UploadOutOfOrder(recording.received)
    end = chunk.start + len(chunk.data)
    if not chunk.data or end > recording.total_size:
        raise ValidationError(_("This part does not fit in the recording."), code="range")
    # The part goes to the media storage at once: the parts of a long recording never wait in memory.
    part = RecordingChunk(recording=recording, start=chunk.start, size=len(chunk.data))
    part.file.save(str(chunk.start), ContentFile(chunk.data), save=False)
    part.save()
    recording.received = end
    recording.save(update_fields=["received"])
    _custody(
        recording,
        CustodyEntry.Kind.CHUNK,
        recording.uploader_name,
        start=chunk.start,
        end=end - 1,
        sha256=hashlib.sha256(chunk.data).hexdigest(),
    )
    refusal = None
    if end == recording.total_size:
        refusal = _recording_store(recording, expected_sha256=expected_sha256)
    return recording, refusal


def _recording_store(recording: Recording, *, expected_sha256: str) -> ValidationError | None:
    # The parts joined in a file on disk (never in memory), checked and hashed as evidence is, then stored.
    with tempfile.TemporaryFile() as joined:
        for name in recording.chunks.order_by("start").values_list("file", flat=True):
            with default_storage.open(name, "rb") as part:
                shutil.copyfileobj(part, joined, COPY_BUFFER_BYTES)
        joined.seek(0)
        upload = File(joined, name=recording.original_name or "recording")
        upload.size = recording.total_size
        try:
            checked = upload_check(upload, max_bytes=settings.QORGAU_RECORDING_MAX_BYTES)
            if expected_sha256 and checked.sha256 != expected_sha256.lower():
                raise ValidationError(_("The SHA-256 of the received file differs from the one sent."), code="sha256")
        except ValidationError as error:
            recording.status = Recording.Status.REFUSED
            recording.save(update_fields=["status"])
            _custody(recording, CustodyEntry.Kind.REFUSED, "qorgau", code=error.code or "invalid")
            _parts_drop(recording)
            # Kept refused, not rolled back: the chain of custody says what was sent and why it was refused.
            return error
        recording.sha256 = checked.sha256
        recording.kind = checked.kind
        recording.content_type = checked.content_type
        recording.status = Recording.Status.STORED
        recording.stored_at = timezone.now()
        recording.file.save(recording.original_name or f"recording-{recording.pk}", checked.file, save=False)
        recording.save(update_fields=["sha256", "kind", "content_type", "status", "stored_at", "file"])
        _custody(recording, CustodyEntry.Kind.STORED, "qorgau", sha256=checked.sha256, size=checked.size)
        _parts_drop(recording)
    return None


COPY_BUFFER_BYTES = 1024 * 1024


def _parts_drop(recording: Recording) -> None:
    """Forget the parts of a recording that is whole; their files go once this is committed (a rollback keeps
    them, with their rows, for the client to finish the upload)."""
    names = list(recording.chunks.values_list("file", flat=True))
    recording.chunks.all().delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names], robust=True)
