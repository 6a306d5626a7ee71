"""File downloads of a case (evidence, PDF notices): one way to send them, and each download audited.

The callers have already loaded the file through an access helper; these only build the response.
"""

from django.http import FileResponse

from accounts.models import User
from incidents.models import Evidence, IncidentEvent, Notice
from incidents.selectors.notices import notice_filename, notice_number


def _audited(response: FileResponse, *, kind: str, incident_id: int, user: User, **data) -> FileResponse:
    # Who took a copy of personal data, and when, belongs in the case history.
    IncidentEvent.objects.create(incident_id=incident_id, kind=kind, actor=user, data=data)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_response(evidence: Evidence, *, user: User) -> FileResponse:
    """The evidence file as a download, never rendered inline."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-SHA256"] = evidence.sha256
    return _audited(
        response,
        kind=IncidentEvent.Kind.EVIDENCE_DOWNLOADED,
        incident_id=evidence.incident_id,
        user=user,
        evidence_id=evidence.pk,
        sha256=evidence.sha256,
    )


def notice_response(notice: Notice, *, user: User) -> FileResponse:
    """The notice PDF as a download."""
    name = notice_filename(notice, number=notice_number(notice.incident, notice.version))
    response = FileResponse(notice.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name)
    response["X-Content-SHA256"] = notice.sha256
    return _audited(
        response,
        kind=IncidentEvent.Kind.NOTICE_DOWNLOADED,
        incident_id=notice.incident_id,
        user=user,
        notice_id=notice.pk,
        sha256=notice.sha256,
    )
