"""The whole case file as one PDF, for the investigator or the court: requested by an officer, rendered by Celery.

It follows the notices' recipe (incidents/services/notices.py): `casefile_request` creates a PENDING row and
queues the render once the transaction commits; a broker that is down leaves it PENDING for the sweep
(`casefile_sweep_task`). The task claims the row PENDING -> RENDERING with one UPDATE, so a task delivered
twice renders once; transient errors give it back for a retry; after the last try it is FAILED. The PDF is
stored with its SHA-256; every download is recorded in the case history (`downloads.casefile_download`).
"""

import datetime as dt
import hashlib
import logging
import time
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from common.broker import task_publish
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

    return task_publish(casefile_render_task, casefile_id)


def casefile_sweep(*, older_than_seconds: int | None = None) -> int:
    """Queue again every case file left PENDING (broker outage) and every RENDERING one whose worker died."""
    if older_than_seconds is None:
        older_than_seconds = settings.QORGAU_NOTICE_SWEEP_AFTER_SECONDS
    now = timezone.now()
    stale_claim = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    CaseFile.objects.filter(status=CaseFile.Status.RENDERING, claimed_at__lt=stale_claim).update(
        status=CaseFile.Status.PENDING
    )
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    pending = list(
        CaseFile.objects.filter(status=CaseFile.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[: settings.QORGAU_NOTICE_SWEEP_BATCH]
    )
    queued = 0
    for casefile_id in pending:
        if not casefile_publish(casefile_id=casefile_id):
            break  # the broker is still down: the next sweep tries again
        queued += 1
    if pending:
        logger.info("case file sweep: %s of %s pending case files queued", queued, len(pending))
    return queued


def casefile_claim(*, casefile_id: int) -> CaseFile:
    """Take a PENDING case file for rendering with one UPDATE; raises CaseFileNotClaimed if someone else has it."""
    claimed = CaseFile.objects.filter(pk=casefile_id, status=CaseFile.Status.PENDING).update(
        status=CaseFile.Status.RENDERING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    if not claimed:
        raise CaseFileNotClaimed(casefile_id)
    return CaseFile.objects.select_related("incident", "requested_by").get(pk=casefile_id)


def casefile_release(*, casefile_id: int, error: str) -> None:
    """Give a claimed case file back as PENDING after a transient error, so the retry can claim it again."""
    CaseFile.objects.filter(pk=casefile_id, status=CaseFile.Status.RENDERING).update(
        status=CaseFile.Status.PENDING, error=error[:4000]
    )


def casefile_render(*, casefile: CaseFile) -> CaseFile:
    """Render a claimed case file to PDF and store it with its SHA-256 and size; mark it READY."""
    started = time.perf_counter()
    pdf = render_casefile_pdf(casefile=casefile)
    render_ms = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        casefile = CaseFile.objects.select_for_update(of=("self",)).select_related("incident").get(pk=casefile.pk)
        if casefile.status != CaseFile.Status.RENDERING:
            raise CaseFileNotClaimed(casefile.pk)
        casefile.file.save("casefile.pdf", ContentFile(pdf), save=False)
        casefile.sha256 = hashlib.sha256(pdf).hexdigest()
        casefile.size = len(pdf)
        casefile.status = CaseFile.Status.READY
        casefile.error = ""
        casefile.rendered_at = timezone.now()
        casefile.render_ms = render_ms
        casefile.save(update_fields=["file", "sha256", "size", "status", "error", "rendered_at", "render_ms"])
        events.casefile_ready(casefile=casefile)
    return casefile


def casefile_mark_failed(*, casefile_id: int, error: str) -> None:
    """After the last try: FAILED with the error; the officer may ask for a new one."""
    with transaction.atomic():
        updated = (
            CaseFile.objects.filter(pk=casefile_id)
            .exclude(status=CaseFile.Status.READY)
            .update(status=CaseFile.Status.FAILED, error=error[:4000])
        )
        if updated:
            events.casefile_failed(casefile=CaseFile.objects.get(pk=casefile_id), error=error)
    logger.error("case file %s failed: %s", casefile_id, error)
