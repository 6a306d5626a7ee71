"""Alarms from panic buttons, video badges and the app, and the badges' recordings.

Thin views over `api.services` (which scopes a device to its key's place and calls the alarms app's
`alarm_raise`): a key raises alarms only in its own post or facility, a user only in their own facility.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alarms import access as alarm_access
from alarms.models import Alarm
from alarms.services import AlarmRefused
from api import services
from api.forms_bridge import StrictSerializer
from api.models import Recording
from api.parsers import RawBytesParser
from api.permissions import IsDeviceOrUser, api_key_of
from api.views.base import MethodFirst


class AlarmIn(StrictSerializer):
    facility = serializers.CharField(required=False, max_length=64, help_text="Facility code (default: the key's).")
    post = serializers.CharField(required=False, max_length=32, help_text="Police post code (default: the key's).")
    department = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, allow_null=True)
    place = serializers.CharField(required=False, max_length=200, allow_blank=True, help_text="Room, corridor…")
    device_id = serializers.CharField(required=False, max_length=64, allow_blank=True)
    pressed_by = serializers.CharField(
        required=False, max_length=150, allow_blank=True, help_text="Username of who pressed it, if known."
    )
    kind = serializers.ChoiceField(
        choices=[Alarm.Source.BUTTON, Alarm.Source.BADGE], required=False, help_text="A key's device: button or badge."
    )
    drill = serializers.BooleanField(required=False)


class AlarmOut(serializers.ModelSerializer):
    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    post = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Alarm
        fields = ["id", "status", "facility", "post", "place", "source", "drill", "raised_at"]
        read_only_fields = fields


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A UUID (or any stable string up to 100 characters) per press: sent again, it never makes a second "
    "alarm.",
)


class AlarmCreate(MethodFirst, APIView):
    permission_classes = [IsDeviceOrUser]
    extra_errors = ("409",)

    @extend_schema(
        operation_id="alarms_create",
        request=AlarmIn,
        parameters=[IDEMPOTENCY],
        responses={201: AlarmOut, 200: AlarmOut},
        summary="Raise an alarm",
    )
    def post(self, request: Request) -> Response:
        raw_key = (request.headers.get("Idempotency-Key") or "").strip()
        if not raw_key or len(raw_key) > 100 or not raw_key.isprintable():
            raise exceptions.ValidationError({"Idempotency-Key": [_("Send an Idempotency-Key header (a UUID).")]})
        incoming = AlarmIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        wanted = services.AlarmRequest(
            facility=data.get("facility", ""),
            post=data.get("post", ""),
            department=data.get("department"),
            place=data.get("place", ""),
            device_id=data.get("device_id", ""),
            pressed_by=data.get("pressed_by", ""),
            kind=data.get("kind") or Alarm.Source.BUTTON,
            drill=data.get("drill", False),
        )
        key = api_key_of(request)
        if key is None and not request.user.has_perm("incidents.report_incident"):
            # The SOS button's own role gate (alarms.views.sos): 403 for officers, analysts, administrators.
            raise exceptions.PermissionDenied()
        try:
            alarm, created = services.alarm_raise(
                key=key, user=None if key else request.user, wanted=wanted, idempotency_key=raw_key
            )
        except services.OutOfScope as refused:
            if refused.field == "Idempotency-Key":
                raise exceptions.ValidationError({refused.field: [refused.message]}) from None
            raise exceptions.PermissionDenied({refused.field: refused.message}) from None
        except AlarmRefused as refused:
            raise exceptions.ValidationError({"non_field_errors": [refused.message]}) from None
        return Response(AlarmOut(alarm).data, status=201 if created else 200)


def _alarm_for(request: Request, alarm_id: int) -> Alarm:
    """The alarm within the caller's reach: the key's place, or what alarms.access lets the user see; else 404."""
    key = api_key_of(request)
    if key is not None:
        return get_object_or_404(services.alarms_of_key(key), pk=alarm_id)
    return alarm_access.alarm_for(request.user, alarm_id)


CONTENT_RANGE = re.compile(r"^bytes (\d{1,15})-(\d{1,15})/(\d{1,15})$")


def _chunk(request: Request) -> services.Chunk:
    data: bytes = request.data if isinstance(request.data, bytes) else b""
    header = request.headers.get("Content-Range")
    if header is None:
        return services.Chunk(data=data, start=0, total=len(data))
    match = CONTENT_RANGE.match(header.strip())
    if match is None:
        raise exceptions.ValidationError({"Content-Range": [_("Write it as “bytes 0-1048575/5242880”.")]})
    start, end, total = (int(part) for part in match.groups())
    if end < start or end >= total or end - start + 1 != len(data):
        raise exceptions.ValidationError({"Content-Range": [_("The range does not match the bytes sent.")]})
    return services.Chunk(data=data, start=start, total=total)


class RecordingOut(serializers.ModelSerializer):
    custody = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = [
            "id",
            "alarm",
            "status",
            "total_size",
            "received",
            "kind",
            "content_type",
            "sha256",
            "uploader_name",
            "device_id",
            "created_at",
            "stored_at",
            "custody",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_custody(self, recording: Recording) -> list[dict[str, Any]]:
        return [
            {"kind": entry.kind, "by": entry.actor_name, "at": entry.created_at.isoformat(), "data": entry.data}
            for entry in recording.custody.all()
        ]


def _progress(recording: Recording, refusal: ValidationError | None, *, created: bool) -> Response:
    if refusal is not None:
        raise exceptions.ValidationError({"file": refusal.messages})
    headers = {"Location": reverse("api:recording", args=[recording.alarm_id, recording.pk])}
    if recording.received:
        headers["Range"] = f"bytes=0-{recording.received - 1}"
    if recording.status == Recording.Status.STORED:
        return Response(RecordingOut(recording).data, status=201, headers=headers)
    return Response(RecordingOut(recording).data, status=202 if created else 200, headers=headers)


BINARY_BODY = {"application/octet-stream": OpenApiTypes.BINARY}
UPLOAD_HEADERS = [
    OpenApiParameter(
        "Content-Range", type=str, location=OpenApiParameter.HEADER, description="bytes START-END/TOTAL (a part)"
    ),
    OpenApiParameter("X-File-Name", type=str, location=OpenApiParameter.HEADER, description="e.g. badge-0193.mp4"),
    OpenApiParameter(
        "X-Content-SHA256", type=str, location=OpenApiParameter.HEADER, description="The whole file's SHA-256 (hex)"
    ),
]


def _expected_sha256(request: Request) -> str:
    value = (request.headers.get("X-Content-SHA256") or "").strip().lower()
    if value and not re.fullmatch(r"[0-9a-f]{64}", value):
        raise exceptions.ValidationError({"X-Content-SHA256": [_("Give the SHA-256 as 64 hexadecimal digits.")]})
    return value


class RecordingCreate(MethodFirst, APIView):
    """Start a recording: the whole file, or its first part with Content-Range (then 202 and where to resume)."""

    permission_classes = [IsDeviceOrUser]
    parser_classes = [RawBytesParser]
    extra_errors = ("409",)

    @extend_schema(
        operation_id="alarms_recordings_create",
        request=BINARY_BODY,
        parameters=UPLOAD_HEADERS,
        responses={201: RecordingOut, 202: RecordingOut},
        summary="Upload a recording",
    )
    def post(self, request: Request, alarm_id: int) -> Response:
        alarm = _alarm_for(request, alarm_id)
        chunk = _chunk(request)
        expected = _expected_sha256(request)
        key = api_key_of(request)
        if chunk.start != 0:
            raise exceptions.ValidationError({"Content-Range": [_("A new recording starts at byte 0.")]})
        try:
            recording = services.recording_start(
                alarm=alarm,
                key=key,
                user=None if key else request.user,
                total=chunk.total,
                name=(request.headers.get("X-File-Name") or "")[:255],
                device_id=(request.headers.get("X-Device-Id") or "")[:64],
            )
            recording, refusal = services.recording_chunk_add(
                recording=recording, chunk=chunk, expected_sha256=expected
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"file": error.messages}) from None
        return _progress(recording, refusal, created=True)


class RecordingDetail(MethodFirst, APIView):
    """Where an upload stands (the byte to resume from), and its next parts."""

    permission_classes = [IsDeviceOrUser]
    parser_classes = [RawBytesParser]
    extra_errors = ("409",)

    def _recording(self, request: Request, alarm_id: int, recording_id: int) -> Recording:
        alarm = _alarm_for(request, alarm_id)
        return get_object_or_404(alarm.recordings.all(), pk=recording_id)

    @extend_schema(operation_id="alarms_recordings_retrieve", responses={200: RecordingOut}, summary="A recording")
    def get(self, request: Request, alarm_id: int, recording_id: int) -> Response:
        recording = self._recording(request, alarm_id, recording_id)
        return _progress(recording, None, created=False)

    @extend_schema(
        operation_id="alarms_recordings_append",
        request=BINARY_BODY,
        parameters=UPLOAD_HEADERS,
        responses={201: RecordingOut, 200: RecordingOut},
        summary="Upload the next part",
    )
    def post(self, request: Request, alarm_id: int, recording_id: int) -> Response:
        recording = self._recording(request, alarm_id, recording_id)
        chunk = _chunk(request)
        try:
            recording, refusal = services.recording_chunk_add(
                recording=recording, chunk=chunk, expected_sha256=_expected_sha256(request)
            )
        except services.UploadOutOfOrder as late:
            raise ResumeFrom(late.received) from None
        except ValidationError as error:
            raise exceptions.ValidationError({"Content-Range": error.messages}) from None
        return _progress(recording, refusal, created=False)


class ResumeFrom(exceptions.APIException):
    status_code = 409
    default_code = "resume"

    def __init__(self, received: int) -> None:
        super().__init__(_("Send the part that starts at byte %(received)s.") % {"received": received})
        # Where to resume, as a tus or Content-Range client reads it.
        self.extra_headers = {
            "Range": f"bytes=0-{received - 1}" if received else "bytes=0-0",
            "Upload-Offset": str(received),
        }
