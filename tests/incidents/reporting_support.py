"""Helpers for the reporting tests: valid POST data for the report form, small real files."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image


def jpeg_bytes(size: tuple[int, int] = (8, 8), color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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
