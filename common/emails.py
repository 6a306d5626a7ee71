"""Every e-mail by one recipe: an outbox row, a Celery task that sends it, at most once, never in a request.

- `email_queue`, inside the transaction of the action the e-mail is about, records it PENDING (once per kind
  and row: asking again finds the row) and publishes its task on commit through the broker-down guard.
- The task (`<kind>_email_task(object_id)`, on `common.tasks.EmailTask`) re-reads the row it is about and
  calls its app's service, which calls `email_send`: it claims the outbox row PENDING -> SENDING with one
  UPDATE, so a task delivered twice sends once; renders the subject and body from
  `templates/emails/<kind>-subject.txt` and `-body.txt` (and `-body.html` when there is one) in the site's
  language; sends; marks it SENT. An error gives the claim back for the task's retry (with backoff); after
  the last try the task marks it FAILED, and an administrator can send it again from admin.
- A broker outage leaves the row PENDING and `email_sweep` (beat, every minute) publishes its task again.
  A row left SENDING by a worker that died goes back to PENDING and is sent again: the message may have gone
  out, but an e-mail twice beats a police post that never hears of a case. A FAILED e-mail (the mail server
  was down through every retry) is sent again by the sweep QORGAU_EMAIL_AUTO_RERUNS times, waiting longer each
  time, before it waits for an administrator.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from common.broker import task_publish, task_publish_on_commit
from common.models import OutgoingEmail

logger = logging.getLogger(__name__)

# The longest wait between two tries of an e-mail task (its backoff doubles up to this).
RETRY_BACKOFF_MAX_SECONDS = 600
SWEEP_BATCH = 500

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def email_task_hard_limit() -> int:
    """Seconds after which an e-mail task is killed; a claim older than this cannot still be sending."""
    return int(settings.QORGAU_EMAIL_TIME_LIMIT) + 30


def email_queue(*, kind: str, object_id: int, task: Task) -> OutgoingEmail:
    """Record the `kind` e-mail about row `object_id` (once) and publish `task` when the transaction commits."""
    email, created = OutgoingEmail.objects.get_or_create(kind=kind, object_id=object_id, defaults={"task": task.name})
    if created:
        task_publish_on_commit(task, object_id)
    return email


def email_send(
    *,
    kind: str,
    object_id: int,
    to: Sequence[str],
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> bool:
    """Send the queued `kind` e-mail about `object_id` once: claim its row, render its templates, send, mark it.

    False, sending nothing, when its row is not PENDING (sent, being sent, failed, or never queued) or there
    is nobody to send it to. An error while rendering or sending gives the claim back and is raised.
    """
    row = OutgoingEmail.objects.filter(kind=kind, object_id=object_id)
    claimed = row.filter(status=OutgoingEmail.Status.PENDING).update(
        status=OutgoingEmail.Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
    )
    if not claimed:
        return False
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        row.update(status=OutgoingEmail.Status.NO_ADDRESS)
        logger.warning("%s e-mail about %s: nobody to send it to", kind, object_id)
        return False
    try:
        message = _render(kind, context, recipients, language=language or settings.LANGUAGE_CODE)
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        message.send()
    except Exception as exc:
        row.filter(status=OutgoingEmail.Status.SENDING).update(
            status=OutgoingEmail.Status.PENDING, error=f"{type(exc).__name__}: {exc}"[:4000]
        )
        raise
    row.update(status=OutgoingEmail.Status.SENT, recipients=recipients, sent_at=timezone.now(), error="")
    return True


def email_send_now(*, kind: str, to: Sequence[str], context: dict[str, Any], timeout: float) -> str:
    """Render the `kind` e-mail and send it at once over a connection that waits at most `timeout` seconds; its
    Message-ID. For a channel whose caller keeps its own delivery row (notifications/channels/email.py): no outbox
    row here. Errors are raised."""
    message = _render(kind, context, list(to), language=settings.LANGUAGE_CODE)
    message.extra_headers["Message-ID"] = message_id = make_msgid()
    message.connection = get_connection(timeout=timeout)
    message.send()
    return message_id


def _render(kind: str, context: dict[str, Any], to: list[str], *, language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        # One line whatever the template's line breaks: a subject is a header.
        subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", context).split())
        body = render_to_string(f"emails/{kind}-body.txt", context)
        try:
            html_template = get_template(f"emails/{kind}-body.html")
        except TemplateDoesNotExist:
            html_template = None
        html = html_template.render(context) if html_template else None
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message


def email_mark_failed(*, task: str, object_id: int, error: str) -> None:
    """After the task's last try: FAILED with the error, shown to administrators, who can send it again."""
    updated = OutgoingEmail.objects.filter(
        task=task,
        object_id=object_id,
        status__in=(OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING),
    ).update(status=OutgoingEmail.Status.FAILED, error=error[:4000], failed_at=timezone.now())
    if updated:
        logger.error("%s for %s failed: %s", task, object_id, error)


def email_rerun(*, email: OutgoingEmail) -> bool:
    """Send a FAILED (or unaddressed) e-mail again with fresh attempts (admin action)."""
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(
            pk=email.pk, status__in=(OutgoingEmail.Status.FAILED, OutgoingEmail.Status.NO_ADDRESS)
        ).update(status=OutgoingEmail.Status.PENDING, attempts=0, auto_reruns=0, error="")
        if updated:
            task_publish_on_commit(_task_named(email.task), email.object_id)
    return bool(updated)


def email_sweep(*, older_than_seconds: int | None = None) -> int:
    """Publish again each e-mail whose task was lost: left PENDING (a broker outage, a lost retry), left SENDING by
    a worker that died, or FAILED and due one of its bounded automatic re-runs."""
    if older_than_seconds is None:
        older_than_seconds = settings.QORGAU_EMAIL_SWEEP_AFTER_SECONDS
    now = timezone.now()
    claim_expired = now - dt.timedelta(seconds=email_task_hard_limit() + 60)
    OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, claimed_at__lt=claim_expired).update(
        status=OutgoingEmail.Status.PENDING,
        error="The worker stopped while sending: sent again, so it may arrive twice.",
    )
    email_auto_rerun(now=now)
    # Never tried: its task was not published. Tried: its retry waits at most the longest backoff.
    retry_lost = claim_expired - dt.timedelta(seconds=RETRY_BACKOFF_MAX_SECONDS)
    pending = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
        .filter(
            Q(attempts=0, created_at__lt=now - dt.timedelta(seconds=older_than_seconds))
            | Q(attempts__gt=0, claimed_at__lt=retry_lost)
        )
        .order_by("created_at")
        .values_list("task", "object_id")[:SWEEP_BATCH]
    )
    queued = 0
    for task_name, object_id in pending:
        if not task_publish(_task_named(task_name), object_id):
            break  # the broker is still down: the next sweep tries again
        queued += 1
    if pending:
        logger.info("e-mail sweep: %s of %s pending e-mails queued", queued, len(pending))
    return queued


def email_auto_rerun(*, now: dt.datetime) -> int:
    """FAILED e-mails back to PENDING (fresh attempts), each at most QORGAU_EMAIL_AUTO_RERUNS times, waiting longer
    each time (QORGAU_EMAIL_AUTO_RERUN_AFTER_SECONDS, doubling)."""
    after = settings.QORGAU_EMAIL_AUTO_RERUN_AFTER_SECONDS
    due = [
        email.pk
        for email in OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.FAILED,
            auto_reruns__lt=settings.QORGAU_EMAIL_AUTO_RERUNS,
            failed_at__isnull=False,
        ).only("pk", "auto_reruns", "failed_at")
        if email.failed_at and email.failed_at <= now - dt.timedelta(seconds=after * 2**email.auto_reruns)
    ]
    # attempts=0 and an old created_at: the sweep publishes it at once.
    return OutgoingEmail.objects.filter(pk__in=due, status=OutgoingEmail.Status.FAILED).update(
        status=OutgoingEmail.Status.PENDING, attempts=0, auto_reruns=F("auto_reruns") + 1
    )


def _task_named(name: str) -> Task:
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # a web process has not imported every app's tasks
    return current_app.tasks[name]


def emails_failed_count() -> int:
    """E-mails FAILED with every automatic re-run used, waiting for an administrator (for /readyz and monitoring)."""
    return OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.FAILED, auto_reruns__gte=settings.QORGAU_EMAIL_AUTO_RERUNS
    ).count()
