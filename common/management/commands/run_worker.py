"""The background worker (imports, printed reports) that outlives a database restart.

django-tasks' ``db_worker`` stops on the first database error, so a PostgreSQL
restart would leave imports and prints waiting until someone restarts it. This
command runs the same worker and, when the database goes away, waits and
carries on with the next task once it is back.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("hoilhpn.worker")
RETRY_SECONDS = 2.0


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

    def handle(self, *args, **options):
        db_worker.Worker = ResilientWorker  # the parent command builds its worker from this name
        return super().handle(*args, **options)
