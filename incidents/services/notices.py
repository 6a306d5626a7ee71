"""PDF notices of incidents for the police post: requested on commit, rendered and e-mailed by Celery.

A notice is one row per (incident, version, language). `notice_request` creates it PENDING and queues the render
after the surrounding transaction commits, recording when (`queued_at`). The task claims the row PENDING ->
RENDERING under a lease (common/leases.py) renewed while it renders; only the holder of the lease writes the PDF,
once. The beat sweep (`notice_sweep`, every QORGAU_NOTICE_SWEEP_SECONDS) publishes again what is really lost: a
notice whose publish failed (broker outage), whose render lease ran out (the worker died or froze), or whose
message the broker lost; and re-runs a FAILED notice a few times before it waits for an administrator. The
bilingual notice, once READY, is e-mailed to the post by the e-mail outbox's recipe (common/emails.py).
"""

import datetime as dt
import logging
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from common.broker import broker_waiting, task_publish
from common.emails import email_queue, email_send
from common.leases import (
    LeasedRenders,
    lease_published,
)
from common.models import OutgoingEmail
from incidents import events
from incidents.models import Incident, Notice
from incidents.pdf import render_notice_pdf
from incidents.selectors.notices import BILINGUAL, NOTICE_LANGUAGES, case_url, notice_filename, notice_number

logger = logging.getLogger(__name__)

NOTICE_EMAIL_KIND = "notice"  # its outbox rows, and templates/emails/notice-*.txt


class NoticeNotClaimed(Exception):
    """The notice is not to do (rendered, held by a live render, or failed), or its lease was taken over."""


def notice_request(
    *, incident: Incident, actor: User | None = None, language: str = BILINGUAL, new_incident: bool = False
) -> Notice:
    """Create the PENDING notice of the incident's current version and queue its render on commit.

    `new_incident`: the incident was inserted in the caller's transaction, so it has no notice yet and nobody
    else can give it one: the notice is inserted without looking for one first, and without a savepoint.
    """
    if language not in NOTICE_LANGUAGES:
        raise ValueError(f"unknown notice language {language!r}")
    if new_incident:
        notice = Notice.objects.create(incident=incident, version=incident.version, language=language)
        events.notice_queued(notice=notice, actor=actor)
        transaction.on_commit(partial(notice_publish, notice_id=notice.pk), robust=True)
        return notice
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
    """Send the render task to the broker and mark the notice queued; a broker outage is logged, left to the sweep."""
    from incidents.tasks import notice_render_task  # tasks import this module: the Celery pair

    if not task_publish(notice_render_task, notice_id):
        return False
    lease_published(Notice.objects.all(), pk=notice_id)
    return True


# Claim, release, the failure rule and the sweep of notices under their lease (common/leases.py).
RENDERS = LeasedRenders(Notice, pending=Notice.Status.PENDING, rendering=Notice.Status.RENDERING)


def notice_sweep(*, older_than_seconds: int | None = None, waiting: int | None = None) -> int:
    """Publish again the render of every notice whose task is lost; re-run FAILED ones a bounded number of times.

    Lost: never published (a broker outage), its lease ran out with no task queued since (the render's worker
    died or froze; or the broker held fewer messages than notices queued, `leases_suspect`). `waiting` is how
    many render messages the broker holds (asked of the broker when None). Notices newer than
    `older_than_seconds` are left to their own publish.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.QORGAU_NOTICE_SWEEP_AFTER_SECONDS
    now = timezone.now()
    recent = now - dt.timedelta(seconds=older_than_seconds)
    notice_auto_rerun(now=now)
    notice_email_requeue(older_than=recent)
    if waiting is None:
        waiting = broker_waiting(settings.QORGAU_QUEUE_NOTICES)
        if waiting is None:
            return 0  # the broker is down: nothing can be published; the next sweep tries again
    return RENDERS.sweep(
        publish=lambda notice_id: notice_publish(notice_id=notice_id),
        waiting=waiting,
        recent=recent,
        suspect_seconds=max(1, settings.QORGAU_NOTICE_SWEEP_SECONDS - 1),
        batch=settings.QORGAU_NOTICE_SWEEP_BATCH,
    )


def notice_auto_rerun(*, now: dt.datetime) -> int:
    """Send FAILED notices back to PENDING, each at most QORGAU_NOTICE_AUTO_RERUNS times, waiting longer each time."""
    limit = settings.QORGAU_NOTICE_AUTO_RERUNS
    after = settings.QORGAU_NOTICE_AUTO_RERUN_AFTER_SECONDS
    candidates = Notice.objects.filter(status=Notice.Status.FAILED, auto_reruns__lt=limit, failed_at__isnull=False)
    rerun = 0
    for notice in candidates.only("pk", "incident_id", "version", "language", "auto_reruns", "failed_at"):
        if notice.failed_at and notice.failed_at > now - dt.timedelta(seconds=after * 2**notice.auto_reruns):
            continue
        with transaction.atomic():
            updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.FAILED).update(
                status=Notice.Status.PENDING,
                attempts=0,
                auto_reruns=F("auto_reruns") + 1,
                queued_at=None,
                lease_token=None,
                lease_expires_at=None,
            )
            if updated:
                events.notice_queued(notice=notice, actor=None, rerun=True)
                rerun += 1
    return rerun


def notice_email_requeue(*, older_than: dt.datetime) -> int:
    """Queue the e-mail of every READY bilingual notice that has none (rendered before the e-mail could be recorded);
    the e-mail sweep (common/emails.py) sends again the ones that were recorded and lost."""
    recorded = OutgoingEmail.objects.filter(kind=NOTICE_EMAIL_KIND).values("object_id")
    unsent = list(
        Notice.objects.filter(
            status=Notice.Status.READY, language=BILINGUAL, emailed_at__isnull=True, rendered_at__lt=older_than
        )
        .exclude(pk__in=recorded)
        .values_list("pk", flat=True)[: settings.QORGAU_NOTICE_SWEEP_BATCH]
    )
    for notice_id in unsent:
        with transaction.atomic():
            _notice_email_queue(notice_id=notice_id)
    return len(unsent)


def notice_claim(*, notice_id: int) -> Notice:
    """Take the notice for rendering under a new lease; raises NoticeNotClaimed if it is not to do."""
    if RENDERS.claim(pk=notice_id, seconds=settings.QORGAU_NOTICE_LEASE_SECONDS) is None:
        raise NoticeNotClaimed(notice_id)
    return Notice.objects.select_related("incident").get(pk=notice_id)


def notice_release(*, notice_id: int, token: uuid.UUID | None, error: str, retry_at: dt.datetime) -> None:
    """Give a claimed notice back as PENDING after a transient error, queued again for its retry at `retry_at`."""
    RENDERS.release(pk=notice_id, token=token, error=error, retry_at=retry_at)


def notice_render(*, notice: Notice) -> Notice:
    """Render a claimed notice to PDF, store it with its SHA-256, mark it READY and queue the e-mail.

    The lease is renewed while WeasyPrint works; the file is written only while the lease is still this render's,
    inside the transaction that marks it READY (and removed if that transaction fails): one PDF per notice.
    """

    def ready(stored: Notice) -> None:
        events.notice_ready(notice=stored)
        if stored.language == BILINGUAL:
            _notice_email_queue(notice_id=stored.pk)

    return RENDERS.render_and_store(  # type: ignore[no-any-return]
        notice,
        render=lambda: render_notice_pdf(incident=notice.incident, language=notice.language, version=notice.version),
        filename="notice.pdf",
        seconds=settings.QORGAU_NOTICE_LEASE_SECONDS,
        not_claimed=NoticeNotClaimed,
        ready=Notice.Status.READY,
        related=("incident",),
        then=ready,
    )


def notice_mark_failed(*, notice_id: int, error: str, token: uuid.UUID | None = None) -> bool:
    """After the last try: FAILED with the error, shown to administrators; the sweep re-runs it a few times.

    Not while another render holds a live lease on it (`token` is the failing render's own, if it had claimed it).
    """
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Notice.objects.filter(pk=notice_id)
            .filter(RENDERS.failable(token=token, now=now))
            .update(
                status=Notice.Status.FAILED,
                error=error[:4000],
                failed_at=now,
                lease_token=None,
                lease_expires_at=None,
            )
        )
        if updated:
            notice = Notice.objects.get(pk=notice_id)
            events.notice_failed(notice=notice, error=error)
            logger.error("notice %s failed: %s", notice_id, error)
    return bool(updated)


def notice_rerun(*, notice: Notice, actor: User | None = None) -> bool:
    """Send a FAILED notice back to PENDING with fresh attempts and queue it (admin action)."""
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.FAILED).update(
            status=Notice.Status.PENDING,
            attempts=0,
            auto_reruns=0,
            error="",
            queued_at=None,
        )
        if updated:
            events.notice_queued(notice=notice, actor=actor, rerun=True)
            transaction.on_commit(partial(notice_publish, notice_id=notice.pk), robust=True)
    return bool(updated)


def _notice_email_queue(*, notice_id: int) -> None:
    from incidents.tasks import notice_email_task  # tasks import this module: the Celery pair

    email_queue(kind=NOTICE_EMAIL_KIND, object_id=notice_id, task=notice_email_task)


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
    if not email_send(
        kind=NOTICE_EMAIL_KIND, object_id=notice.pk, to=recipients, context=context, attachments=[attachment]
    ):
        return False
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        events.notice_sent(notice=notice, recipients=recipients)
    return True
