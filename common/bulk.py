"""Bulk writes for loads of tens of thousands of rows (demo data, imports)."""

import csv
import io
import json
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

# SQLite accepts at most 32,766 parameters per statement; PostgreSQL takes an array, so bigger chunks are fine.
_SQLITE_CHUNK = 900
_POSTGRES_CHUNK = 50_000


def id_chunks(ids: list[int]):
    size = _POSTGRES_CHUNK if connection.vendor == "postgresql" else _SQLITE_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def among(values: list) -> RawSQL:
    """A right-hand side for ``field__in`` that is one parameter whatever its length.

    ``id_number__in=a_list`` makes one placeholder per value: slow to build for
    100,000 values and over SQLite's limit; an array (PostgreSQL) or a JSON list
    (SQLite) is one.
    """
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s)", [list(values)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(values))])


def copy_into(table: str, columns: list[str], rows: Iterable[tuple], *, text_columns: Iterable[str] = ()) -> None:
    """COPY ``rows`` (tuples in ``columns`` order) into a PostgreSQL table, streamed as CSV.

    With ``text_columns`` (all of the table's text columns, none of them nullable) None is written as an empty
    field, which is NULL in the other columns and "" in these: no value has to be looked at in Python.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    text_columns = list(text_columns)
    if text_columns:
        writer.writerows(rows)
        options = f"FORMAT csv, FORCE_NOT_NULL ({', '.join(text_columns)})"
    else:
        writer.writerows(["\\N" if value is None else value for value in row] for row in rows)
        options = "FORMAT csv, NULL '\\N'"
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({options})", buffer)


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples in ``fields`` order, ids included) as fast as the database allows."""
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    if connection.vendor == "postgresql":
        copy_into(table, columns, rows)
        return
    rows = list(rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])
