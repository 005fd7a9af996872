"""Bulk writes for loads of tens of thousands of rows (demo data, imports)."""

import csv
import io
from collections.abc import Iterable

from django.db import connection

# SQLite accepts at most 32,766 parameters per statement; PostgreSQL takes an array, so bigger chunks are fine.
_SQLITE_CHUNK = 900
_POSTGRES_CHUNK = 50_000


def id_chunks(ids: list[int]):
    size = _POSTGRES_CHUNK if connection.vendor == "postgresql" else _SQLITE_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def allocate_ids(model, count: int) -> list[int]:
    """Take ``count`` ids from a PostgreSQL sequence, so rows can be COPYed with their ids known."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples in ``fields`` order, ids included) as fast as the database allows."""
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(["\\N" if value is None else value for value in row])
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        else:
            rows = list(rows)
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
            for start in range(0, len(rows), 20000):
                cursor.executemany(sql, rows[start : start + 20000])
