"""File downloads of a case (evidence, PDF notices, the case file): one way to send them; the service records each one.

The callers have already loaded the file through an access helper; these only build the response.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from accounts.models import User
from incidents.models import CaseFile, Evidence, Notice
from incidents.services import downloads


def _attachment(file: File, *, filename: str, content_type: str) -> FileResponse | HttpResponse:
    """The file as a download: sent by nginx (X-Accel-Redirect) when it is set up so, else streamed by Django."""
    prefix: str = settings.QORGAU_X_ACCEL_REDIRECT_PREFIX
    # nginx can send only files on its disk: from object storage Django streams them.
    if not prefix or not isinstance(getattr(file, "storage", None), FileSystemStorage):
        return FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    # nginx serves the file from its `internal` location under MEDIA_ROOT: the worker is free at once.
    storage_name = file.name or ""
    file.close()
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(storage_name)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _private(response: FileResponse | HttpResponse) -> FileResponse | HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_response(evidence: Evidence, *, user: User) -> FileResponse | HttpResponse:
    """The evidence file as a download, never rendered inline."""
    response = _attachment(
        downloads.evidence_download(evidence=evidence, actor=user),
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-SHA256"] = evidence.sha256
    return _private(response)


def notice_response(notice: Notice, *, user: User) -> FileResponse | HttpResponse:
    """The notice PDF as a download."""
    file, name = downloads.notice_download(notice=notice, actor=user)
    response = _attachment(file, filename=name, content_type="application/pdf")
    response["X-Content-SHA256"] = notice.sha256
    return _private(response)


def casefile_response(casefile: CaseFile, *, user: User, filename: str) -> FileResponse:
    """The whole case file as a download, with its stored SHA-256."""
    file = downloads.casefile_download(casefile=casefile, actor=user)
    response = FileResponse(file, content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-SHA256"] = casefile.sha256
    return _private(response)
