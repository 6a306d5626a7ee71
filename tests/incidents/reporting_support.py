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
