"""The read replica: reports, the dashboard and printed documents read from a PostgreSQL streaming replica when
one is configured, and fall back to the primary when it is down or behind; writes never go there.

The last test starts a real replica: a ``pg_basebackup`` of the test cluster, started on another port."""

import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.db import connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from branches.models import Unit
from hoilhpn import routers
from hoilhpn.routers import REPLICA, ReplicaRouter, forget_health, reads_from_replica, replica_reads
from tests.factories import ProvinceFactory

PG_BIN = pathlib.Path("/usr/lib/postgresql/15/bin")
REPLICATION_LINE = "host replication all 127.0.0.1/32 trust"


@pytest.fixture(autouse=True)
def fresh_health(settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    forget_health()
    yield
    forget_health()


def test_without_a_replica_every_read_goes_to_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Unit) == "default"
    assert router.db_for_write(Unit) == "default"
    assert router.allow_migrate(REPLICA, "branches") is False and router.allow_migrate("default", "branches")


def test_a_replica_that_does_not_answer_is_not_used(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    monkeypatch.setattr(routers, "replica_lag", lambda: None)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Unit) == "default"


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the router sees only its own
def test_reads_go_to_a_healthy_replica_only_when_asked_and_outside_a_transaction(monkeypatch, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 5
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    monkeypatch.setattr(routers, "replica_lag", lambda: 1.0)
    router = ReplicaRouter()
    assert router.db_for_read(Unit) == "default"  # not asked
    with replica_reads():
        assert router.db_for_read(Unit) == REPLICA
        assert router.db_for_write(Unit) == "default"
        with transaction.atomic():
            assert router.db_for_read(Unit) == "default"  # must see its own writes
    monkeypatch.setattr(routers, "replica_lag", lambda: 6.0)  # behind by more than allowed
    forget_health()
    with replica_reads():
        assert router.db_for_read(Unit) == "default"


def test_only_reading_requests_are_served_from_the_replica():
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(routers._wanted.get())

    view(RequestFactory().get("/"))
    view(RequestFactory().post("/"))
    assert seen == [True, False]


def test_reports_dashboard_and_documents_read_from_the_replica():
    from reports import annual_views, services

    assert annual_views.annual_report.__wrapped__ and annual_views.dashboard.__wrapped__
    assert "replica_reads()" in pathlib.Path(services.__file__).read_text(encoding="utf-8")


# --- A real replica -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True, text=True, **kwargs)


def _admin_sql(sql: str):
    """One statement on the test cluster through a connection of its own (not the tests' connection, which
    would stay open outside any test and keep the test database from being dropped at the end)."""
    import psycopg2

    settings_dict = connections["default"].settings_dict
    admin = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or "postgres", dbname="postgres",
    )  # fmt: skip
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        admin.close()


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """A streaming replica of the test cluster on a free port, for this module's tests."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    if not (PG_BIN / "pg_ctl").exists():
        pytest.fail("PostgreSQL's server programs are not at /usr/lib/postgresql/15/bin")
    hba = pathlib.Path(_admin_sql("SHOW hba_file"))
    original = hba.read_text()
    if REPLICATION_LINE not in original:
        # Replication connections are not covered by "all": the test cluster lets a local replica connect.
        hba.write_text(original.rstrip("\n") + "\n" + REPLICATION_LINE + "\n")
        _admin_sql("SELECT pg_reload_conf()")
    port = _free_port()
    directory = pathlib.Path(tempfile.mkdtemp(prefix="hoilhpn-replica-"))
    shutil.chown(directory, "postgres", "postgres")
    directory.chmod(0o700)
    data = directory / "data"
    try:
        _as_postgres("pg_basebackup", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-D", data, "-R",
                     "-X", "stream", "-c", "fast")  # fmt: skip
        # Debian keeps the configuration outside the data directory: the replica gets its own.
        (data / "postgresql.conf").write_text(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\n"
            "hot_standby = on\nfsync = off\n"
        )
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (data / "pg_ident.conf").write_text("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(data / name, "postgres", "postgres")
        _as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", directory / "log", "-w", "-t", "60", "start")
        yield {"port": port, "data": data}
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data), "-m",
                        "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(directory, ignore_errors=True)
        if hba.read_text() != original:
            hba.write_text(original)
            _admin_sql("SELECT pg_reload_conf()")


@pytest.fixture
def replica_alias(replica):
    settings_dict = {**connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": str(replica["port"])}
    settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    # Made by hand rather than declared in the settings: the test database machinery then leaves it alone
    # (it would flush it, and the replica is read-only).
    connections[REPLICA] = connections["default"].__class__(settings_dict, alias=REPLICA)
    yield connections
    connections[REPLICA].close()
    del connections[REPLICA]


def _replica_sees(pk: int, name: str, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT name FROM branches_unit WHERE id = %s", [pk])
            row = cursor.fetchone()
        if row and row[0] == name:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_replica_serves_reads_takes_no_writes_and_is_left_when_behind_or_down(replica, replica_alias, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    province = ProvinceFactory(name="Tỉnh Sao Mai", code="97")
    assert _replica_sees(province.pk, "Tỉnh Sao Mai")

    # A report's reads go to the replica; its writes to the primary (the replica is read-only).
    with (
        replica_reads(),
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        assert Unit.objects.get(pk=province.pk).name == "Tỉnh Sao Mai"
        Unit.objects.filter(pk=province.pk).update(name="Tỉnh Sao Mai Mới")
    assert any("branches_unit" in q["sql"] for q in on_replica.captured_queries)
    assert [q["sql"] for q in on_primary.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [q["sql"] for q in on_replica.captured_queries if q["sql"].startswith("UPDATE")]
    assert _replica_sees(province.pk, "Tỉnh Sao Mai Mới")

    # Behind: replay paused while the primary changes; with no lag allowed, reads go back to the primary.
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        Unit.objects.filter(pk=province.pk).update(name="Tỉnh Sao Mai Sau")
        time.sleep(1)
        settings.DATABASE_REPLICA_MAX_LAG = 0.5
        forget_health()
        with replica_reads():
            assert Unit.objects.get(pk=province.pk).name == "Tỉnh Sao Mai Sau"
            assert routers.replica_usable() is False
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    settings.DATABASE_REPLICA_MAX_LAG = 30
    assert _replica_sees(province.pk, "Tỉnh Sao Mai Sau")

    # Down: the replica stops; the next read is served by the primary, with no error.
    connections[REPLICA].close()
    _as_postgres(PG_BIN / "pg_ctl", "-D", replica["data"], "-m", "fast", "-w", "stop")
    forget_health()
    with replica_reads(), CaptureQueriesContext(connection) as on_primary:
        assert Unit.objects.get(pk=province.pk).name == "Tỉnh Sao Mai Sau"
    assert on_primary.captured_queries
