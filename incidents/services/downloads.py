"""Copies of a case's files taken by people: each download is recorded in the case history."""

# File[...] is a type for mypy only: Django's File is not subscriptable at run time.
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files import File

from accounts.models import User
from incidents import access, events
from incidents.models import CaseFile, Evidence, ForwardMeans, Notice
from incidents.selectors.notices import notice_filename, notice_number


def evidence_download(*, evidence: Evidence, actor: User) -> File[bytes]:
    """Open an evidence file for `actor` (already allowed by an access helper), recording who took a copy."""
    events.evidence_downloaded(evidence=evidence, actor=actor)
    opened: File[bytes] = evidence.file.open("rb")
    return opened


def evidence_forward(*, evidence: Evidence, actor: User, recipient: str, means: str) -> None:
    """Record that `actor` handed a copy of an evidence file over to `recipient` (outside Qorgau), by `means`.

    Only an officer of the case's post does: the copy was theirs to give, from a download this history also holds.
    """
    if not access.incidents_for_officer(actor).filter(pk=evidence.incident_id).exists():
        raise PermissionDenied("Only an officer of the case's police post records a hand-over of its evidence.")
    if means not in ForwardMeans.values:
        raise ValueError(f"unknown means {means!r}")
    recipient = recipient.strip()
    if not recipient:
        raise ValueError("a hand-over names its recipient")
    events.evidence_forwarded(evidence=evidence, actor=actor, recipient=recipient, means=means)


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
