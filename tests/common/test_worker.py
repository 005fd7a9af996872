"""The worker waits out a database restart instead of stopping."""

from unittest import mock

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from common.management.commands.run_worker import ResilientWorker


def test_the_worker_carries_on_after_the_database_went_away(db):
    worker = ResilientWorker(
        queue_names=["default"], interval=0.01, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    calls = []

    def flaky(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(db_worker.Worker, "run", flaky), mock.patch("time.sleep") as slept:
        worker.run()
    assert len(calls) == 2 and slept.called


@pytest.mark.django_db
def test_a_task_left_running_by_a_killed_worker_is_failed_when_a_worker_starts():
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from common.management.commands.run_worker import reclaim_interrupted_tasks
    from reports import tasks

    stale = tasks.render_document.enqueue(0)
    fresh = tasks.render_document.enqueue(0)
    DBTaskResult.objects.filter(pk=stale.id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=3)
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(status="RUNNING", started_at=timezone.now())
    assert reclaim_interrupted_tasks() == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=fresh.id).status == "RUNNING"  # another worker may be running it
