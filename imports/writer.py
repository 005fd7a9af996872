"""Hand an analysed import to the register's bulk services: new members, moves, corrections.

The rules of how a member, her periods and her events are written live in
``members.services`` alone; this module only says which rows go where, and
when: ``NewMembers`` writes the new members of each batch while the importer
cleans the next one.
"""

import contextlib
import contextvars
import dataclasses
import functools
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from members import services as members

from .analysis import Analysis, Progress, Row

_SWITCH_INTERVAL = 0.0005


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


class NewMembers:
    """Writes batches of new members inside the caller's transaction, as the importer finds them.

    On PostgreSQL the writes run in a thread that shares the caller's connection (and so its transaction): the
    database stores one batch while Python cleans the next, and foreign keys are checked as each batch goes in
    rather than all at COMMIT. Elsewhere each batch is written at once. A failed batch stops the import: the
    error is raised to the caller, whose transaction then rolls everything back.
    """

    def __init__(self, *, actor=None, note: str = ""):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("NewMembers writes inside the caller's transaction")
        self.actor = _actor(actor)
        self.note = note
        self.count = 0
        self._error: BaseException | None = None
        self._thread = None
        self._connection = connections[DEFAULT_DB_ALIAS]
        if self._connection.vendor == "postgresql":
            self._queue: queue.Queue = queue.Queue(maxsize=2)
            # One statement at a time on the shared connection (a COPY cannot be interleaved with anything): a
            # query of the importer waits for the statement being run, not for the whole batch.
            self._lock = threading.RLock()
            self._serialising = self._connection.execute_wrapper(self._serialised)
            self._serialising.__enter__()
            self._connection.inc_thread_sharing()
            with self._connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # The writer needs the interpreter for a moment after each statement, while the cleaning holds it:
            # a shorter switch interval hands it over sooner (the default 5 ms, some 200 times per import).
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._interval, _SWITCH_INTERVAL))
            # In a copy of the caller's context: what the register's services defer (the figures) is done once.
            context = contextvars.copy_context()
            self._thread = threading.Thread(target=context.run, args=(self._run,), name="import-writer", daemon=True)
            self._thread.start()

    def __call__(self, rows: list[Row]) -> None:
        if self._error is not None:
            raise self._error
        if not rows:
            return
        # Rendered here, stored there: the writing thread only waits on the database and never competes for
        # the interpreter with the cleaning.
        prepared = members.members_bulk_prepare({**row.data, "branch": row.branch.pk} for row in rows)
        if self._thread is None:
            self._store(prepared)
        else:
            self._queue.put(functools.partial(self._store, prepared))

    def lookup(self, read, *args) -> Future:
        """Run ``read(*args)`` (a read of the register) in the writing thread, in turn with the batches: the
        importer asks ahead, while it reads the rest of the file and the database has nothing to do."""
        future: Future = Future()
        if self._thread is None:
            _Read(future, read, args)()
        else:
            self._queue.put(_Read(future, read, args))
        return future

    def _serialised(self, execute, sql, params, many, context):
        with self._lock:
            return execute(sql, params, many, context)

    def _store(self, prepared) -> None:
        self.count += members.members_bulk_store(prepared, actor=self.actor, note=self.note)

    def _run(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self._connection
        try:
            while (work := self._queue.get()) is not None:
                if self._error is None or isinstance(work, _Read):
                    try:
                        work()
                    except BaseException as error:  # handed to the caller's thread
                        self._error = error
        finally:
            del connections[DEFAULT_DB_ALIAS]  # forget the caller's connection without closing it

    def close(self) -> int:
        """Wait for the last batch; raise what went wrong; return how many members were written."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            self._connection.dec_thread_sharing()
            self._serialising.__exit__(None, None, None)
            sys.setswitchinterval(self._interval)
            if self._error is None:
                with self._connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if self._error is not None:
            raise self._error
        return self.count

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
            return
        # Never leave the thread writing while the caller rolls back; the caller's own error is the one to report.
        with contextlib.suppress(BaseException):
            self.close()


@dataclasses.dataclass
class _Read:
    """A read for the importer: always run, even after a failed batch, so that no one waits for its answer in
    vain (after a failure the database refuses it, and the answer is that error)."""

    future: Future
    read: Callable
    args: tuple

    def __call__(self) -> None:
        try:
            self.future.set_result(self.read(*self.args))
        except BaseException as error:  # raised where the answer is wanted
            self.future.set_exception(error)


def write(
    analysis: Analysis,
    *,
    actor=None,
    note: str = "",
    progress: Progress | None = None,
    new: list[Row] | None = None,
    written: int = 0,
) -> dict:
    """Write what the analysis found; ``new`` (default: all its new members) are those not yet ``written``."""
    progress = progress or (lambda stage, fraction: None)
    actor = _actor(actor)
    created = members.members_bulk_create(
        rows=({**row.data, "branch": row.branch.pk} for row in (analysis.new if new is None else new)),
        actor=actor,
        note=note,
    )
    progress("write", 0.8)
    moved = members.members_bulk_move(
        moves={row.member_id: row.branch for row in analysis.updated if row.moved},
        on=timezone.localdate(),
        actor=actor,
        note=note,
    )
    corrected = members.members_bulk_update(
        changes={
            row.member_id: {name: value for name, (_old, value) in row.changes.items()}
            for row in analysis.updated
            if row.changes
        },
        actor=actor,
        note=note,
    )
    progress("write", 1.0)
    return {
        "new": written + created,
        "updated": len(set(moved) | set(corrected)),
        "unchanged": len(analysis.unchanged),
        "rejected": len(analysis.rejected),
        "skipped": len(analysis.skipped),
        "branches_created": list(analysis.branches_to_create),
    }
