"""Helpers for the reporting tests: valid POST data for the report form, small real files, reports filed through
the submit service, work run in threads."""

import datetime as dt
import io
import threading
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from incidents.forms.report_page import ReportForms
from incidents.models import Act, Incident, Place
from incidents.services.reporting import ReportInput, VictimInput, incident_submit


def jpeg_bytes(size: tuple[int, int] = (8, 8), color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF (uploads are opened with pypdf and must have pages)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()


# --- Video and audio containers, as small as their structure allows -----------------------------------------


def box(kind: bytes, payload: bytes = b"") -> bytes:
    """One ISO-BMFF box (MP4, MOV, M4A, HEIC): its size, its four-letter type, its payload."""
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def isobmff_bytes(brand: bytes, compatible: bytes, *boxes: bytes) -> bytes:
    return box(b"ftyp", brand + b"\x00\x00\x00\x00" + compatible) + b"".join(boxes)


def movie_bytes(brand: bytes = b"mp42", compatible: bytes = b"mp42isom") -> bytes:
    """A movie's skeleton: `ftyp`, a `moov` with its header, an `mdat` of samples."""
    return isobmff_bytes(brand, compatible, box(b"moov", box(b"mvhd", b"\x00" * 100)), box(b"mdat", b"\x00" * 32))


MP4_BYTES = movie_bytes()
MOV_BYTES = movie_bytes(b"qt  ", b"qt  ")
M4A_BYTES = movie_bytes(b"M4A ", b"M4A mp42isom")


def heic_bytes(width: int = 4032, height: int = 3024) -> bytes:
    """A HEIC's skeleton: `ftyp`, a `meta` whose `ispe` property says the picture's size, an `mdat`."""
    handler = box(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 13)
    extents = box(b"ispe", b"\x00" * 4 + width.to_bytes(4, "big") + height.to_bytes(4, "big"))
    meta = box(b"meta", b"\x00" * 4 + handler + box(b"iprp", box(b"ipco", extents)))
    return isobmff_bytes(b"heic", b"mif1heic", meta, box(b"mdat", b"\x00" * 32))


def ebml(element_id: int, payload: bytes) -> bytes:
    """One EBML element (WebM): its id, its size (one byte when it fits, as muxers write it), its payload."""
    size = bytes([0x80 | len(payload)]) if len(payload) < 0x7F else b"\x01" + len(payload).to_bytes(7, "big")
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + size + payload


def webm_bytes() -> bytes:
    header = ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, b"webm"))
    info = ebml(0x1549A966, ebml(0x2AD7B1, b"\x0f\x42\x40"))
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, b"\x01") + ebml(0x86, b"V_VP8")))
    cluster = ebml(0x1F43B675, ebml(0xE7, b"\x00") + ebml(0xA3, b"\x81\x00\x00\x80" + b"\x00" * 16))
    return header + ebml(0x18538067, info + tracks + cluster)


def ogg_bytes() -> bytes:
    """Two Ogg pages (the signature and the page walk are what is checked, not the codec)."""

    def page(sequence: int, body: bytes) -> bytes:
        header = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + sequence.to_bytes(4, "little")
        return header + b"\x00" * 4 + bytes([1, len(body)]) + body

    return page(0, b"\x01vorbis" + b"\x00" * 22) + page(1, b"\x03vorbis" + b"\x00" * 8)


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def management(prefix: str, total: int = 1) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def minimal_post(facility, **overrides) -> dict:
    """What a nurse sends on the quick path: act, time, place, a few words; everything else as rendered."""
    data = {
        "draft_key": str(uuid.uuid4()),
        "act": "threat",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "facility": str(facility.pk),
        "department": "",
        "place": "admission",
        "district": str(facility.district_id),
        "address": "",
        "reporter_hurt": "on",
        "reporter_role": "nurse",
        "reporter_duty_link": "performing",
        "account": "Родственник пациента угрожал избить меня в приёмном покое.",
        "injury": "none",
        "attackers_count": "1",
        "attackers_agreed": "unknown",
        "wants_prosecution": "unknown",
        "victims-0-full_name": "",
        "victims-0-role": "",
        "victims-0-duty_link": "performing",
        "attackers-0-relation": "patient",
        "attackers-0-description": "",
        "attackers-0-full_name": "",
        "attackers-0-iin": "",
        "attackers-0-minor": "unknown",
        **management("victims"),
        **management("attackers"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def ensure_roles() -> None:
    """Transactional tests flush every table; put the role groups back, with their permissions."""
    from accounts.roles import ensure_role_groups

    ensure_role_groups()


def bound(user, facility, **overrides) -> ReportForms:
    """The report page's forms bound to the quick path's POST, with `overrides`."""
    data = QueryDict(mutable=True)
    for key, value in minimal_post(facility, **overrides).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return ReportForms(user=user, data=data)


def report_for(facility, **overrides) -> ReportInput:
    """A threat at the admission of `facility` half an hour ago, as the submit service takes it."""
    values = {
        "act": Act.THREAT,
        "occurred_at": timezone.now() - dt.timedelta(minutes=30),
        "facility": facility,
        "place": Place.ADMISSION,
        "account": "Угрожал избить.",
    }
    values.update(overrides)
    return ReportInput(**values)


def me(user) -> VictimInput:
    """The reporter as the victim."""
    return VictimInput(role=user.profession, is_reporter=True, full_name=user.get_full_name())


def submit(reporter, facility, *, key=None, victims=None, **kwargs) -> Incident:
    """A report filed through the submit service (`incidents.services.reporting.incident_submit`)."""
    return incident_submit(
        reporter=reporter,
        report=kwargs.pop("report", None) or report_for(facility),
        victims=victims or [me(reporter)],
        idempotency_key=key or uuid.uuid4(),
        **kwargs,
    )


def in_threads(count: int, work) -> list:
    """`work(index)` run in `count` threads released together; their results, or the first errors raised."""
    results, errors = [None] * count, []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
