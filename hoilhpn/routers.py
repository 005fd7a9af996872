"""Reads that may lag a little (reports, the dashboard, exports) go to a PostgreSQL streaming replica when one is
configured (``DATABASE_REPLICA_URL``); everything else, and every write, goes to the primary.

A view or task opts in with ``@reads_from_replica`` (or ``with replica_reads():``); inside it the router sends
reads to the replica while the replica answers and has replayed the primary's changes to within
``DATABASE_REPLICA_MAX_LAG`` seconds, else to the primary. The replica's health is checked at most every
``DATABASE_REPLICA_CHECK_SECONDS`` seconds (per process), so a replica that is down or behind costs one short
check, not a failed page."""

import contextlib
import contextvars
import functools
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionDoesNotExist, DatabaseError, InterfaceError, OperationalError

REPLICA = "replica"
logger = logging.getLogger(__name__)

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)
# alias -> (checked at, usable)
_health: dict[str, tuple[float, bool]] = {}

# Seconds the replica is behind the primary: 0 when it has replayed all it received, else the age of the last
# transaction it replayed (the primary's changes are then waiting to be applied).
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)


def replica_configured() -> bool:
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


def replica_lag() -> float | None:
    """Seconds the replica is behind, or None when it does not answer."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except (OperationalError, InterfaceError, DatabaseError) as error:
        logger.warning("The read replica does not answer: %s", error)
        with contextlib.suppress(Exception):
            connections[REPLICA].close()
        return None


def replica_usable(now: float | None = None) -> bool:
    """Whether reads may go to the replica now: configured, answering, and not too far behind."""
    if not replica_configured():
        return False
    now = time.monotonic() if now is None else now
    checked_at, usable = _health.get(REPLICA, (float("-inf"), False))
    if now - checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return usable
    lag = replica_lag()
    usable = lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG
    if lag is not None and not usable:
        logger.warning("The read replica is %.1f s behind: reading from the primary.", lag)
    _health[REPLICA] = (now, usable)
    return usable


def forget_health() -> None:
    """Check the replica again on the next read (after a failover, and in tests)."""
    _health.clear()


@contextlib.contextmanager
def replica_reads():
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_from_replica(view):
    """Serve ``view``'s reads from the replica when it is usable; a request that writes (not GET or HEAD)
    reads from the primary, so it sees what it wrote."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # Inside a transaction on the primary a read must see what it wrote there.
        if _wanted.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block and replica_usable():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both hold the same rows: an object read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
