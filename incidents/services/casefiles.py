"""The whole case file as one PDF, for the investigator or the court: requested by an officer, rendered by Celery.

It follows the notices' recipe (incidents/services/notices.py) and their lease (common/leases.py):
`casefile_request` creates a PENDING row and queues the render on the case-file queue once the transaction commits,
recording when (`queued_at`). The task claims the row PENDING -> RENDERING under a lease renewed while it renders;
only the holder of the lease writes the PDF, once. The beat sweep (`casefile_sweep_task`) publishes again only
what is really lost: a file whose publish failed (broker outage), whose lease ran out (the worker died or froze),
or whose message the broker lost; never one that merely waits behind others. Transient errors give the row back
for a retry; after the last try it is FAILED. The PDF is stored with its SHA-256; every download is recorded in the
case history (`downloads.casefile_download`).
"""

import datetime as dt
import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.broker import broker_waiting, task_publish
from common.leases import (
    LeasedRenders,
    lease_published,
)
from incidents import access, events
from incidents.models import CaseFile, Incident
from incidents.pdf import render_casefile_pdf

logger = logging.getLogger(__name__)

CASEFILE_LANGUAGES = ("ru", "kk", "en")


class CaseFileNotClaimed(Exception):
    """The case file is not PENDING (ready, being rendered, or failed): nothing to do."""


def casefile_request(*, incident: Incident, actor: User, language: str = "ru") -> CaseFile:
    """Ask for the case file as it stands now; one still being made is returned instead of a second one."""
    if language not in CASEFILE_LANGUAGES:
        raise ValueError(f"unknown case file language {language!r}")
    if not access.incidents_for_officer(actor).filter(pk=incident.pk).exists():
        raise PermissionDenied("Only an officer of the case's police post asks for its case file.")
    with transaction.atomic():
        # The case row's lock queues two clicks of the button: the second finds the first one's file.
        Incident.objects.select_for_update().filter(pk=incident.pk).first()
        unfinished = CaseFile.objects.filter(
            incident=incident, language=language, status__in=(CaseFile.Status.PENDING, CaseFile.Status.RENDERING)
        ).first()
        if unfinished is not None:
            return unfinished
        casefile = CaseFile.objects.create(incident=incident, requested_by=actor, language=language)
        events.casefile_requested(casefile=casefile, actor=actor)
        transaction.on_commit(partial(casefile_publish, casefile_id=casefile.pk), robust=True)
    return casefile


def casefile_publish(*, casefile_id: int) -> bool:
    """Send the render task to the broker; a broker outage is logged and left to the sweep."""
    from incidents.tasks import casefile_render_task  # tasks import this module: the Celery pair

    if not task_publish(casefile_render_task, casefile_id):
        return False
    lease_published(CaseFile.objects.all(), pk=casefile_id)
    return True


# Claim, release, the failure rule and the sweep of case files under their lease, as notices' (common/leases.py).
RENDERS = LeasedRenders(CaseFile, pending=CaseFile.Status.PENDING, rendering=CaseFile.Status.RENDERING)


def casefile_sweep(*, older_than_seconds: int | None = None, waiting: int | None = None) -> int:
    """Publish again the render of every case file whose task is lost (see the module's docstring).

    `waiting` is how many messages the case-file queue holds (asked of the broker when None); case files newer
    than `older_than_seconds` are left to their own publish.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.QORGAU_NOTICE_SWEEP_AFTER_SECONDS
    now = timezone.now()
    recent = now - dt.timedelta(seconds=older_than_seconds)
    if waiting is None:
        waiting = broker_waiting(settings.QORGAU_QUEUE_CASEFILES)
        if waiting is None:
            return 0  # the broker is down: nothing can be published; the next sweep tries again
    return RENDERS.sweep(
        publish=lambda casefile_id: casefile_publish(casefile_id=casefile_id),
        waiting=waiting,
        recent=recent,
        suspect_seconds=max(1, settings.QORGAU_NOTICE_SWEEP_SECONDS - 1),
        batch=settings.QORGAU_NOTICE_SWEEP_BATCH,
    )


def casefile_claim(*, casefile_id: int) -> CaseFile:
    """Take the case file for rendering under a new lease; raises CaseFileNotClaimed if it is not to do."""
    if RENDERS.claim(pk=casefile_id, seconds=settings.QORGAU_NOTICE_LEASE_SECONDS) is None:
        raise CaseFileNotClaimed(casefile_id)
    return CaseFile.objects.select_related("incident", "requested_by").get(pk=casefile_id)


def casefile_release(*, casefile_id: int, token: uuid.UUID | None, error: str, retry_at: dt.datetime) -> None:
    """Give a claimed case file back as PENDING after a transient error, queued again for its retry at `retry_at`."""
    RENDERS.release(pk=casefile_id, token=token, error=error, retry_at=retry_at)


def casefile_render(*, casefile: CaseFile) -> CaseFile:
    """Render a claimed case file to PDF and store it with its SHA-256 and size; mark it READY.

    The lease is renewed while WeasyPrint works; the file is written only while the lease is still this render's,
    inside the transaction that marks it READY (and removed if that transaction fails): one PDF per case file.
    """
    return RENDERS.render_and_store(  # type: ignore[no-any-return]
        casefile,
        render=lambda: render_casefile_pdf(casefile=casefile),
        filename="casefile.pdf",
        seconds=settings.QORGAU_NOTICE_LEASE_SECONDS,
        not_claimed=CaseFileNotClaimed,
        ready=CaseFile.Status.READY,
        related=("incident",),
        then=lambda stored: events.casefile_ready(casefile=stored),
    )


def casefile_mark_failed(*, casefile_id: int, error: str, token: uuid.UUID | None = None) -> bool:
    """After the last try: FAILED with the error; the officer may ask for a new one.

    Not while another render holds a live lease on it (`token` is the failing render's own, if it had claimed it).
    """
    with transaction.atomic():
        updated = (
            CaseFile.objects.filter(pk=casefile_id)
            .filter(RENDERS.failable(token=token, now=timezone.now()))
            .update(status=CaseFile.Status.FAILED, error=error[:4000], lease_token=None, lease_expires_at=None)
        )
        if updated:
            events.casefile_failed(casefile=CaseFile.objects.get(pk=casefile_id), error=error)
            logger.error("case file %s failed: %s", casefile_id, error)
    return bool(updated)
