"""File downloads of a case (evidence, PDF notices, the case file): one way to send them; the service records each one.

The callers have already loaded the file through an access helper; these only build the response.
"""

from django.http import FileResponse

from accounts.models import User
from incidents.models import CaseFile, Evidence, Notice
from incidents.services import downloads


def _private(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_response(evidence: Evidence, *, user: User) -> FileResponse:
    """The evidence file as a download, never rendered inline."""
    response = FileResponse(
        downloads.evidence_download(evidence=evidence, actor=user),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-SHA256"] = evidence.sha256
    return _private(response)


def notice_response(notice: Notice, *, user: User) -> FileResponse:
    """The notice PDF as a download."""
    file, name = downloads.notice_download(notice=notice, actor=user)
    response = FileResponse(file, content_type="application/pdf", as_attachment=True, filename=name)
    response["X-Content-SHA256"] = notice.sha256
    return _private(response)


def casefile_response(casefile: CaseFile, *, user: User, filename: str) -> FileResponse:
    """The whole case file as a download, with its stored SHA-256."""
    file = downloads.casefile_download(casefile=casefile, actor=user)
    response = FileResponse(file, content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-SHA256"] = casefile.sha256
    return _private(response)
