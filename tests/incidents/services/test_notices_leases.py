"""The notice render under a lease (`incidents/services/notices.py` with common/leases.py): a render whose worker
died is taken over as soon as its lease runs out, only the holder of the lease writes the PDF, a queued render is
published again only when it is lost, and FAILED notices get a bounded number of automatic re-runs (issue 12)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.models import IncidentEvent, Notice
from incidents.services import notices
from incidents.tasks import notice_render_task
from tests.incidents.notice_support import tagged_incident


@pytest.fixture
def incident(reporter, facility_a, post_a):
    return tagged_incident(reporter, facility_a)


@pytest.fixture
def notice(incident):
    old = timezone.now() - dt.timedelta(minutes=5)
    created = Notice.objects.create(incident=incident, version=incident.version)
    Notice.objects.filter(pk=created.pk).update(created_at=old, queued_at=old)
    created.refresh_from_db()
    return created


def media_pdfs() -> set[Path]:
    return set(Path(settings.MEDIA_ROOT).glob("notices/**/*.pdf"))


def run_out(notice: Notice) -> None:
    """The lease of the render that holds `notice` runs out: its worker died (or froze) and renewed nothing."""
    Notice.objects.filter(pk=notice.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))


def test_claim_gives_a_lease_that_expires_soon(notice):
    claimed = notices.notice_claim(notice_id=notice.pk)
    assert claimed.status == Notice.Status.RENDERING and claimed.lease_token is not None
    lease = (claimed.lease_expires_at - timezone.now()).total_seconds()
    assert 0 < lease <= settings.QORGAU_NOTICE_LEASE_SECONDS <= 30


def test_a_render_whose_worker_died_is_rendered_by_the_next_sweep_once_its_lease_runs_out(notice):
    notices.notice_claim(notice_id=notice.pk)  # the worker claims it, then is killed with -9
    # The broker hands the task out again while the lease is live: nothing is done twice.
    assert notice_render_task.apply(args=[notice.pk]).get() == "skipped"
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0
    run_out(notice)
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY and notice.attempts == 2
    assert notice.lease_token is None and notice.lease_expires_at is None
    assert notice.incident.events.filter(kind=IncidentEvent.Kind.NOTICE_READY).count() == 1


def test_a_redelivered_task_takes_over_a_render_whose_lease_ran_out(notice):
    notices.notice_claim(notice_id=notice.pk)
    run_out(notice)
    assert notice_render_task.apply(args=[notice.pk]).get() == "ready"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY


def test_a_render_that_lost_its_lease_writes_no_pdf_and_the_one_that_took_over_writes_one(notice):
    frozen = notices.notice_claim(notice_id=notice.pk)  # this worker freezes (SIGSTOP) mid-render
    run_out(notice)
    before = media_pdfs()
    assert notice_render_task.apply(args=[notice.pk]).get() == "ready"  # another worker takes it over
    rendered = Notice.objects.get(pk=notice.pk)
    # The frozen worker wakes up and finishes its render: it no longer holds the lease, so it writes nothing.
    with pytest.raises(notices.NoticeNotClaimed):
        notices.notice_render(notice=frozen)
    assert len(media_pdfs() - before) == 1
    after = Notice.objects.get(pk=notice.pk)
    assert (after.file.name, after.sha256, after.rendered_at) == (
        rendered.file.name,
        rendered.sha256,
        rendered.rendered_at,
    )
    assert notice.incident.events.filter(kind=IncidentEvent.Kind.NOTICE_READY).count() == 1


def test_a_failed_transaction_leaves_no_pdf_behind(notice, monkeypatch):
    claimed = notices.notice_claim(notice_id=notice.pk)
    before = media_pdfs()

    def database_gone(**kwargs):
        from django.db import OperationalError

        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(notices.events, "notice_ready", database_gone)
    with pytest.raises(Exception, match="server closed"):
        notices.notice_render(notice=claimed)
    assert media_pdfs() == before


def test_a_database_error_while_claiming_is_retried(notice, monkeypatch):
    from django.db import OperationalError

    real_claim = notices.notice_claim
    calls = []

    def claim_once_failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real_claim(**kwargs)

    monkeypatch.setattr(notices, "notice_claim", claim_once_failing)
    assert notice_render_task.apply(args=[notice.pk]).get() == "ready"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY and len(calls) == 2


def test_a_queued_render_still_in_the_broker_is_not_published_again(notice):
    # The broker holds its message (a backlog): the sweep leaves it alone, however long it waits.
    assert notices.notice_sweep(older_than_seconds=0, waiting=1) == 0
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING and notice.lease_expires_at is None


def test_a_render_the_broker_lost_is_published_again_once_its_queue_lease_runs_out(notice):
    # The broker restarted empty: one sweep marks the notice (it may just have been handed to a worker) …
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING and notice.lease_expires_at > timezone.now()
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0  # still within its queue lease
    # … and the next one, if no worker claimed it meanwhile, publishes it again: once.
    run_out(notice)
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.READY and notice.attempts == 1


def test_only_the_renders_the_broker_lost_are_marked_oldest_first(incident):
    old = timezone.now() - dt.timedelta(minutes=5)
    queued = []
    for language, minutes in (("ru-kk", 3), ("en", 2)):
        created = Notice.objects.create(incident=incident, version=incident.version, language=language)
        Notice.objects.filter(pk=created.pk).update(
            created_at=old, queued_at=timezone.now() - dt.timedelta(minutes=minutes)
        )
        queued.append(created.pk)
    assert notices.notice_sweep(older_than_seconds=0, waiting=1) == 0
    marked = set(Notice.objects.filter(lease_expires_at__isnull=False).values_list("pk", flat=True))
    assert marked == {queued[0]}


def test_a_retry_waiting_for_its_countdown_is_not_published_again(notice):
    claimed = notices.notice_claim(notice_id=notice.pk)
    notices.notice_release(
        notice_id=notice.pk,
        token=claimed.lease_token,
        error="OSError",
        retry_at=timezone.now() + dt.timedelta(seconds=40),
    )
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING and notice.lease_expires_at is None


def test_a_failed_notice_is_rerun_by_the_sweep_a_bounded_number_of_times(notice, settings):
    settings.QORGAU_NOTICE_AUTO_RERUNS = 2
    after = settings.QORGAU_NOTICE_AUTO_RERUN_AFTER_SECONDS
    assert notices.notice_mark_failed(notice_id=notice.pk, error="OSError: disk full")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED and notice.failed_at is not None
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0  # not yet: it waits before a re-run
    for rerun in (1, 2):
        Notice.objects.filter(pk=notice.pk).update(
            failed_at=timezone.now() - dt.timedelta(seconds=after * 2 ** (rerun - 1) + 1)
        )
        assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 1
        notice.refresh_from_db()
        assert notice.status == Notice.Status.READY and notice.auto_reruns == rerun
        # It fails again (say the disk filled up again).
        Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.FAILED)
    Notice.objects.filter(pk=notice.pk).update(failed_at=timezone.now() - dt.timedelta(days=1))
    assert notices.notice_sweep(older_than_seconds=0, waiting=0) == 0  # now it waits for an administrator
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.FAILED


def test_failing_never_overrides_a_live_render_of_another_task(notice):
    notices.notice_claim(notice_id=notice.pk)
    assert not notices.notice_mark_failed(notice_id=notice.pk, error="TimeLimitExceeded")
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.RENDERING


def test_a_notice_taken_over_again_and_again_fails_for_a_human(notice, settings):
    Notice.objects.filter(pk=notice.pk).update(attempts=settings.QORGAU_NOTICE_MAX_RETRIES + 3)
    assert notice_render_task.apply(args=[notice.pk]).get() == "failed"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED and "gave up" in notice.error
