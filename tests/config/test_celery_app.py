"""The periodic tasks (`CELERY_BEAT_SCHEDULE` in config/settings/base.py, read by `config/celery_app.py`): one
schedule, naming registered tasks, read by the same beat with a worker and in-process, written to the tables admin
shows."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings


def test_beat_schedule_names_registered_tasks():
    from config.celery_app import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_beat_reads_the_one_schedule_with_a_worker_and_in_process():
    # `make run` with and without REDIS_URL: the same beat, the default (database) scheduler, no schedule of its own.
    for procfile in ("Procfile", "Procfile.eager"):
        lines = (Path(settings.BASE_DIR) / procfile).read_text().splitlines()
        assert [line for line in lines if line.startswith("beat:")] == [
            "beat: .venv/bin/celery -A config beat --loglevel=INFO"
        ]


def test_the_purge_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "incidents.drafts_purge_task" in tasks


@pytest.mark.django_db
def test_schedules_are_in_the_database_for_admin(settings):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from config.celery_app import app

    # What `celery beat` does at start, with a worker or in-process (DatabaseScheduler.setup_schedule): each entry
    # of CELERY_BEAT_SCHEDULE, the one definition of the periodic tasks, written to the tables admin shows.
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        DatabaseScheduler.Entry.from_entry(name, app=app, **entry)

    monthly = PeriodicTask.objects.get(task="analytics.monthly_statistics_report_task")
    assert monthly.enabled and monthly.crontab.day_of_month == "1" and monthly.crontab.hour == "7"
    assert str(monthly.crontab.timezone) == "Asia/Almaty"
    refresh = PeriodicTask.objects.get(task="analytics.snapshot_refresh_task")
    assert refresh.interval.schedule.run_every == dt.timedelta(minutes=10)


def procfile_workers() -> dict[str, list[str]]:
    """Each worker line of Procfile, by name, with the queues it consumes."""
    workers = {}
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        name, _, command = line.partition(": ")
        if " worker " in command:
            queues = next(arg for arg in command.split() if arg.startswith("--queues=")).removeprefix("--queues=")
            workers[name] = queues.split(",")
    return workers


def test_renders_periodic_tasks_and_alarms_each_have_their_own_queue_and_worker():
    from config.celery_app import app

    router = app.amqp.router
    assert router.route({}, "incidents.notice_render_task")["queue"].name == "notices"
    assert router.route({}, "alarms.alarm_raise_task")["queue"].name == "alarms"
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        # The alarm sweep takes the alarms' ladder steps: it waits behind no other periodic task.
        expected = "alarms" if entry["task"] == "alarms.alarm_sweep_task" else "periodic"
        assert router.route({}, entry["task"])["queue"].name == expected, entry["task"]
        assert entry["options"]["expire_seconds"]  # a sweep that waited past its period is dropped, not piled up
    assert router.route({}, "incidents.notice_email_task")["queue"].name == "celery"
    workers = procfile_workers()
    consumed = [queue for queues in workers.values() for queue in queues]
    assert sorted(consumed) == sorted(
        {"notices", "casefiles", "celery", "periodic", "alarms"}
    )  # each queue by one worker
    assert ["alarms"] in workers.values() and ["periodic"] in workers.values()
    # A worker started without --queues (one host running everything) consumes every queue.
    assert {queue.name for queue in app.conf.task_queues} == {"notices", "casefiles", "celery", "periodic", "alarms"}


def test_a_worker_process_is_recycled_before_it_grows_without_bound():
    from config.celery_app import app

    assert 0 < app.conf.worker_max_tasks_per_child <= 2000
    assert 0 < app.conf.worker_max_memory_per_child <= 1_000_000  # KiB
