"""The periodic tasks (`CELERY_BEAT_SCHEDULE` in config/settings/base.py, read by `config/celery_app.py`): one
schedule, naming registered tasks, read by the same beat with a worker and in-process."""

from pathlib import Path

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
