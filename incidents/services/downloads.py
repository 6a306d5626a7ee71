"""Copies of a case's files taken by people: each download is recorded in the case history."""

# File[...] is a type for mypy only: Django's File is not subscriptable at run time.
from __future__ import annotations

from django.core.files import File

from accounts.models import User
from incidents import events
from incidents.models import CaseFile, Evidence, Notice
from incidents.selectors.notices import notice_filename, notice_number


def evidence_download(*, evidence: Evidence, actor: User) -> File[bytes]:
    """Open an evidence file for `actor` (already allowed by an access helper), recording who took a copy."""
    events.evidence_downloaded(evidence=evidence, actor=actor)
    opened: File[bytes] = evidence.file.open("rb")
    return opened


def notice_download(*, notice: Notice, actor: User) -> tuple[File[bytes], str]:
    """Open a notice PDF for `actor`, recording the download; with the file name the case page's number gives."""
    events.notice_downloaded(notice=notice, actor=actor)
    name = notice_filename(notice, number=notice_number(notice.incident, notice.version))
    opened: File[bytes] = notice.file.open("rb")
    return opened, name


def casefile_download(*, casefile: CaseFile, actor: User) -> File[bytes]:
    """Open a READY case file for `actor` (already allowed by an access helper), recording the download."""
    events.casefile_downloaded(casefile=casefile, actor=actor)
    opened: File[bytes] = casefile.file.open("rb")
    return opened
