"""Uploads are judged by their content: type, size, a name that does not lie, a picture that decodes."""

import io
import wave

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Evidence
from incidents.services.evidence import upload_check
from tests.incidents.reporting_support import (
    M4A_BYTES,
    MOV_BYTES,
    MP4_BYTES,
    PDF_BYTES,
    jpeg_bytes,
    png_bytes,
    webm_bytes,
)

# Whole (if tiny) containers: a signature followed by padding is refused since uploads are walked, not sniffed.
MP4_HEAD = MP4_BYTES
M4A_HEAD = M4A_BYTES
MOV_HEAD = MOV_BYTES
WEBM_HEAD = webm_bytes()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "name,content,kind,mime",
    [
        ("photo.jpg", jpeg_bytes(), Evidence.Kind.PHOTO, "image/jpeg"),
        ("PHOTO.JPEG", jpeg_bytes(), Evidence.Kind.PHOTO, "image/jpeg"),
        ("screen.png", png_bytes(), Evidence.Kind.PHOTO, "image/png"),
        ("IMG_0001", jpeg_bytes(), Evidence.Kind.PHOTO, "image/jpeg"),  # no extension: the content decides
        ("справка.pdf", PDF_BYTES, Evidence.Kind.DOCUMENT, "application/pdf"),
        ("voice.wav", wav_bytes(), Evidence.Kind.AUDIO, "audio/x-wav"),
        ("clip.mp4", MP4_HEAD, Evidence.Kind.VIDEO, "video/mp4"),
        ("clip.mov", MOV_HEAD, Evidence.Kind.VIDEO, "video/quicktime"),
        ("clip.webm", WEBM_HEAD, Evidence.Kind.VIDEO, "video/webm"),
        ("voice.m4a", M4A_HEAD, Evidence.Kind.AUDIO, "audio/mp4"),
    ],
)
def test_allowed_files_are_accepted_by_content(name, content, kind, mime):
    checked = upload_check(upload(name, content))
    assert (checked.kind, checked.content_type, checked.size) == (kind, mime, len(content))
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("photo.jpg", PDF_BYTES, "name_mismatch"),  # a PDF pretending to be a photo
        ("report.pdf", jpeg_bytes(), "name_mismatch"),  # a photo pretending to be a PDF
        ("notes.txt", jpeg_bytes(), "name_mismatch"),  # an extension no allowed type uses
        ("virus.jpg", b"MZ\x90\x00" + b"\x00" * 200, "type_not_allowed"),
        ("script.html", b"<html><script>alert(1)</script></html>", "type_not_allowed"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 100, "type_not_allowed"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "broken_picture"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, content))
    assert caught.value.code == code
    assert name in caught.value.messages[0]


def test_size_limit_comes_from_settings(settings):
    settings.QORGAU_UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("photo.jpg", jpeg_bytes()))
    assert caught.value.code == "too_large"


def test_lying_name_message_is_translated():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        upload_check(upload("photo.jpg", PDF_BYTES))
    assert caught.value.messages[0].startswith("“photo.jpg” is not what its name says")
