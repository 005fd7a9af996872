"""The worker waits out a database restart instead of stopping."""

from unittest import mock

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
