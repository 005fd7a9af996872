"""The background worker (imports, printed reports) that outlives a database restart.

django-tasks' ``db_worker`` stops on the first database error, so a PostgreSQL
restart would leave imports and prints waiting until someone restarts it. This
command runs the same worker and, when the database goes away, waits and
carries on with the next task once it is back.
"""

import datetime
import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from hoilhpn.startup import require_production_settings

logger = logging.getLogger("hoilhpn.worker")
RETRY_SECONDS = 2.0


# No task runs this long (a 100,000-row import takes about a minute): a task still RUNNING after it lost its worker.
TASK_INTERRUPTED_AFTER = datetime.timedelta(hours=1)


def reclaim_interrupted_tasks() -> int:
    """Mark FAILED the task rows whose worker was killed mid-task, so that none stays RUNNING for ever."""
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=timezone.now() - TASK_INTERRUPTED_AFTER).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="builtins.InterruptedError",
        traceback="The worker stopped while running this task.",
    )


def uses_rq() -> bool:
    from django.conf import settings

    return settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                logger.warning("Database unavailable (%s); the worker tries again in %.0f s", error, RETRY_SECONDS)
                for connection in connections.all():
                    connection.close_if_unusable_or_obsolete()
                    connection.close()
                time.sleep(RETRY_SECONDS)
        return None


class Command(db_worker.Command):
    help = "Run the background worker; it survives database restarts."

    def add_arguments(self, parser):
        if not uses_rq():  # the database worker's options name database queues
            super().add_arguments(parser)

    def handle(self, *args, **options):
        require_production_settings()
        if uses_rq():
            # Redis and RQ: django-rq's worker, as many of them as there are machines to run them.
            from django.core.management import call_command

            return call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job")
        reclaim_interrupted_tasks()
        db_worker.Worker = ResilientWorker  # the parent command builds its worker from this name
        return super().handle(*args, **options)
