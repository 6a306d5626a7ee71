"""PDF notices of incidents for the police post: requested on commit, rendered and e-mailed by Celery.

A notice is one row per (incident, version, language). `notice_request` creates it PENDING and queues
the render after the surrounding transaction commits; a broker that is down leaves it PENDING and the
beat sweep (`notice_sweep_task`) queues it again later. The task claims the row PENDING -> RENDERING
with one UPDATE, so a task delivered twice renders once. The bilingual notice, once READY, is e-mailed to
the post by the e-mail outbox's recipe (common/emails.py).
"""

import datetime as dt
import hashlib
import logging
import time
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from common.broker import task_publish
from common.emails import email_queue, email_send
from incidents import events
from incidents.models import Incident, Notice
from incidents.pdf import render_notice_pdf
from incidents.selectors.notices import BILINGUAL, NOTICE_LANGUAGES, case_url, notice_filename, notice_number

logger = logging.getLogger(__name__)


class NoticeNotClaimed(Exception):
    """The notice is not PENDING (already rendered, being rendered, or failed): nothing to do."""


def notice_request(*, incident: Incident, actor: User | None = None, language: str = BILINGUAL) -> Notice:
    """Create the PENDING notice of the incident's current version and queue its render on commit."""
    if language not in NOTICE_LANGUAGES:
        raise ValueError(f"unknown notice language {language!r}")
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            incident=incident,
            version=incident.version,
            language=language,
        )
        if created:
            events.notice_queued(notice=notice, actor=actor)
        if notice.status == Notice.Status.PENDING:
            transaction.on_commit(partial(notice_publish, notice_id=notice.pk), robust=True)
    return notice


def notice_publish(*, notice_id: int) -> bool:
    """Send the render task to the broker; a broker outage is logged and left to the sweep."""
    from incidents.tasks import notice_render_task  # tasks import this module: the Celery pair

    return task_publish(notice_render_task, notice_id)


def notice_sweep(*, older_than_seconds: int | None = None) -> int:
    """Queue again every notice left PENDING (broker outage) and every RENDERING one whose worker died."""
    if older_than_seconds is None:
        older_than_seconds = settings.QORGAU_NOTICE_SWEEP_AFTER_SECONDS
    now = timezone.now()
    stale_claim = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    # A claim older than the hard time limit cannot still be running: give it back.
    Notice.objects.filter(status=Notice.Status.RENDERING, claimed_at__lt=stale_claim).update(
        status=Notice.Status.PENDING,
    )
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    pending = list(
        Notice.objects.filter(status=Notice.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[: settings.QORGAU_NOTICE_SWEEP_BATCH]
    )
    queued = 0
    for notice_id in pending:
        if not notice_publish(notice_id=notice_id):
            break  # the broker is still down: the next sweep tries again
        queued += 1
    if pending:
        logger.info("notice sweep: %s of %s pending notices queued", queued, len(pending))
    return queued


def notice_claim(*, notice_id: int) -> Notice:
    """Take a PENDING notice for rendering with one UPDATE; raises NoticeNotClaimed if someone else has it."""
    claimed = Notice.objects.filter(pk=notice_id, status=Notice.Status.PENDING).update(
        status=Notice.Status.RENDERING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    if not claimed:
        raise NoticeNotClaimed(notice_id)
    return Notice.objects.select_related("incident").get(pk=notice_id)


def notice_release(*, notice_id: int, error: str) -> None:
    """Give a claimed notice back as PENDING after a transient error, so the retry can claim it again."""
    Notice.objects.filter(pk=notice_id, status=Notice.Status.RENDERING).update(
        status=Notice.Status.PENDING,
        error=error[:4000],
    )


def notice_render(*, notice: Notice) -> Notice:
    """Render a claimed notice to PDF, store it with its SHA-256, mark it READY and queue the e-mail."""
    started = time.perf_counter()
    pdf = render_notice_pdf(incident=notice.incident, language=notice.language, version=notice.version)
    render_ms = int((time.perf_counter() - started) * 1000)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        notice = Notice.objects.select_for_update(of=("self",)).select_related("incident").get(pk=notice.pk)
        if notice.status != Notice.Status.RENDERING:
            raise NoticeNotClaimed(notice.pk)
        notice.file.save("notice.pdf", ContentFile(pdf), save=False)
        notice.sha256 = digest
        notice.status = Notice.Status.READY
        notice.error = ""
        notice.rendered_at = timezone.now()
        notice.render_ms = render_ms
        notice.save(update_fields=["file", "sha256", "status", "error", "rendered_at", "render_ms"])
        events.notice_ready(notice=notice)
        if notice.language == BILINGUAL:
            _notice_email_queue(notice_id=notice.pk)
    return notice


def notice_mark_failed(*, notice_id: int, error: str) -> None:
    """After the last try: FAILED with the error, shown to administrators, who can re-run it."""
    with transaction.atomic():
        updated = (
            Notice.objects.filter(pk=notice_id)
            .exclude(status=Notice.Status.READY)
            .update(
                status=Notice.Status.FAILED,
                error=error[:4000],
            )
        )
        if updated:
            notice = Notice.objects.get(pk=notice_id)
            events.notice_failed(notice=notice, error=error)
    logger.error("notice %s failed: %s", notice_id, error)


def notice_rerun(*, notice: Notice, actor: User | None = None) -> bool:
    """Send a FAILED notice back to PENDING with fresh attempts and queue it (admin action)."""
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.FAILED).update(
            status=Notice.Status.PENDING,
            attempts=0,
            error="",
        )
        if updated:
            events.notice_queued(notice=notice, actor=actor, rerun=True)
            transaction.on_commit(partial(notice_publish, notice_id=notice.pk), robust=True)
    return bool(updated)


def _notice_email_queue(*, notice_id: int) -> None:
    from incidents.tasks import notice_email_task  # tasks import this module: the Celery pair

    email_queue(kind="notice", object_id=notice_id, task=notice_email_task)


def notice_recipients(*, incident: Incident) -> list[str]:
    """The post's address, else its police department's; a case routed straight to a department uses that."""
    post = incident.police_post
    for address in (
        post.email if post else "",
        post.police_department.email if post else "",
        incident.police_department.email,
    ):
        if address:
            return [address]
    return []


def notice_email(*, notice_id: int) -> bool:
    """E-mail a READY notice to the post once, with the PDF attached (`notice_email_task`); records emailed_at."""
    notice = Notice.objects.select_related(
        "incident__police_post__police_department", "incident__police_department", "incident__facility"
    ).get(pk=notice_id)
    if notice.status != Notice.Status.READY:
        return False
    incident = notice.incident
    recipients = notice_recipients(incident=incident)
    number = notice_number(incident, notice.version)
    context = {
        "incident": incident,
        "notice": notice,
        "number": number,
        "case_url": case_url(incident),
        "site_url": settings.SITE_URL,
    }
    with notice.file.open("rb") as fh:
        pdf = fh.read()
    attachment = (notice_filename(notice, number=number), pdf, "application/pdf")
    if not email_send(kind="notice", object_id=notice.pk, to=recipients, context=context, attachments=[attachment]):
        return False
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        events.notice_sent(notice=notice, recipients=recipients)
    return True
