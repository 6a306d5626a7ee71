"""The render tasks' last word: a task that died of what it could not catch marks its row FAILED with the error."""

import pytest
from celery.exceptions import TimeLimitExceeded

from incidents.models import CaseFile, Notice
from incidents.tasks import casefile_render_task, notice_render_task

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("as_keyword", [False, True], ids=["positional", "keyword"])
def test_a_notice_render_that_died_marks_the_notice_failed(incident, as_keyword):
    notice = Notice.objects.create(incident=incident, version=1, status=Notice.Status.PENDING)
    args, kwargs = ((), {"notice_id": notice.pk}) if as_keyword else ((notice.pk,), {})

    notice_render_task.on_failure(TimeLimitExceeded(300), "task-id", args, kwargs, None)

    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED and notice.error.startswith("TimeLimitExceeded")


def test_a_case_file_render_that_died_marks_the_case_file_failed(incident, officer):
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer, language="ru")

    casefile_render_task.on_failure(TimeLimitExceeded(300), "task-id", (casefile.pk,), {}, None)

    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.FAILED and casefile.error.startswith("TimeLimitExceeded")


def test_a_ready_case_file_stays_ready(incident, officer):
    casefile = CaseFile.objects.create(incident=incident, requested_by=officer, status=CaseFile.Status.READY)

    casefile_render_task.on_failure(TimeLimitExceeded(300), "task-id", (casefile.pk,), {}, None)

    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.READY
