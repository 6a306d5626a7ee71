"""Helpers for the case file tests: an evidence item stored as a file, a case file requested with its task run."""

import hashlib

from django.core.files.base import ContentFile

from incidents.models import CaseFile, Evidence, Incident
from incidents.services import casefiles


def stored_evidence(incident: Incident, *, name: str = "bruise.jpg", content: bytes = b"\xff\xd8 a photo") -> Evidence:
    """An evidence item whose file holds `content`, with its real SHA-256."""
    evidence = Evidence(
        incident=incident,
        kind=Evidence.Kind.PHOTO,
        original_name=name,
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=incident.reporter,
    )
    evidence.file.save("x", ContentFile(content))
    return evidence


def request_and_run(incident: Incident, actor, capture, **kwargs) -> CaseFile:
    """A case file requested, its task run on commit (`capture`: the django_capture_on_commit_callbacks fixture)."""
    with capture(execute=True):
        casefile = casefiles.casefile_request(incident=incident, actor=actor, **kwargs)
    casefile.refresh_from_db()
    return casefile
