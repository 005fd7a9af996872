"""Bulk writes for loads of tens of thousands of rows (demo data, imports)."""

import csv
import io
import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Aggregate, CharField, QuerySet
from django.db.models.expressions import RawSQL

# SQLite accepts at most 32,766 parameters per statement; PostgreSQL takes an array, so bigger chunks are fine.
_SQLITE_CHUNK = 900
_POSTGRES_CHUNK = 50_000
_COPY_READ = 1 << 22


def id_chunks(ids: list[int]):
    size = _POSTGRES_CHUNK if connection.vendor == "postgresql" else _SQLITE_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def among(values: list) -> RawSQL | list:
    """A right-hand side for ``field__in`` that is one parameter whatever its length.

    ``id_number__in=a_list`` makes one placeholder per value: slow to build for
    100,000 values and over SQLite's limit; an array (PostgreSQL) or a JSON list
    (SQLite) is one.
    """
    values = list(values)
    if not values:
        return []  # ``__in=[]`` matches nothing without a query (an untyped empty array has no unnest() to choose)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s)", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def copy_payload(rows: Iterable[tuple], *, text_columns: Iterable[str] = ()) -> tuple[str, str]:
    """``rows`` rendered for COPY, with the options to read them: pure Python, no query (so that one thread can
    render a batch while another stores the previous one).

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
    return buffer.getvalue(), options


def copy_into(table: str, columns: list[str], rows: Iterable[tuple], *, text_columns: Iterable[str] = ()) -> None:
    """COPY ``rows`` (tuples in ``columns`` order) into a PostgreSQL table, streamed as CSV."""
    copy_payload_into(table, columns, copy_payload(rows, text_columns=text_columns))


def copy_payload_into(table: str, columns: list[str], payload: tuple[str, str]) -> None:
    text, options = payload
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({options})"

    def copy(sql, params, many, context):
        # Big reads: each one takes the GIL back, which costs up to a switch interval when another thread is busy.
        context["cursor"].cursor.copy_expert(sql, io.StringIO(text), size=_COPY_READ)

    with connection.cursor() as cursor:
        # Through the connection's execute wrappers, as any statement: they see (and may serialise) the COPY.
        cursor._execute_with_wrappers(sql, None, False, executor=copy)


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


def either(first, second):
    """The ids of either of two queries of ids (``values("...")``), as one subquery for ``field__in``: an OR of
    two ``IN`` subqueries makes PostgreSQL guess a quarter of the table, and a commune's count over the
    membership periods then read the whole country's (1.2 s against 0.02 s at four provinces). Lists are
    joined."""
    if isinstance(first, QuerySet) and isinstance(second, QuerySet):
        return first.order_by().union(second.order_by(), all=True)  # no order: SQLite refuses one in a UNION
    return [*first, *second]


class Ids(Aggregate):
    """The ids of a group, comma-separated, the same on PostgreSQL and SQLite (``ids_of`` reads them): a grouped
    query that names its rows, so that they are fetched by key rather than by repeating every group's condition."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s::text, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s)")


def ids_of(text: str) -> list[int]:
    return [int(pk) for pk in text.split(",") if pk]
