"""The SQL behind the register's bulk services (``members.services.members_bulk_*``); nothing else calls it.

On PostgreSQL new members are COPYed into a temporary table and one statement
moves them into the register and derives their membership periods, "joined"
events and audit rows from what it inserted, so 100,000 rows cost one COPY and
one INSERT rather than 400,000 inserts and no id travels to Python. SQLite takes
the same rows through bulk inserts.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from common.bulk import copy_payload, copy_payload_into, id_chunks
from common.text import fold

from .constants import EventKind, Status
from .models import MEMBER_COLUMNS, Member, MemberEvent, Membership, sort_key_folded

# Fields a cadre edits (see services.PROFILE_FIELDS), in table order, with the model's default for a missing one.
_PROFILE_NAMES = (
    "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "address",
    "education", "qualification", "occupation", "joined_on", "card_number", "is_core", "special_groups",
    "old_id_number", "notes",
)  # fmt: skip
PROFILE = [(field.name, field.get_default()) for field in Member._meta.concrete_fields if field.name in _PROFILE_NAMES]


def shared_values(now) -> dict:
    """What every new member of one load shares: given to the INSERT once on PostgreSQL (not copied row by row),
    set on each record on SQLite. Her province comes from her branch, as she is stored. No new member shares her
    ID number: the bulk create refuses a number that is taken or given twice."""
    return {
        "status": Status.ACTIVE, "left_on": None, "leave_reason": "", "shares_id": False, "created_at": now,
        "updated_at": now,
    }  # fmt: skip


# A new member's own values, in the order of her row (``member_values``), then what she shares with the others.
ROW_FIELDS = [name for name, _default in PROFILE] + ["name_folded", "sort_key", "branch"]
NEW_COLUMNS = [*ROW_FIELDS, *shared_values(None), "province"]
if set(NEW_COLUMNS) != set(MEMBER_COLUMNS) - {"id"}:  # a new Member field must be given a value here
    raise RuntimeError(f"members.bulk does not fill {sorted(set(MEMBER_COLUMNS) - {'id'} - set(NEW_COLUMNS))}")
MEMBERS = Member._meta.db_table
STAGING = "member_bulk_new"
STAGED_COLUMNS = [Member._meta.get_field(name).column for name in NEW_COLUMNS]
_ROW_COLUMNS = [Member._meta.get_field(name).column for name in ROW_FIELDS]
_ROW_TEXT = [f.column for f in map(Member._meta.get_field, ROW_FIELDS) if f.get_internal_type() == "CharField"]

# The rows derived from each new member ("{source} m"), in SQL so that they never pass through Python.
_EVENT_SQL = (
    f"INSERT INTO {MemberEvent._meta.db_table} "
    "(member_id, kind, occurred_on, branch_id, other_branch_id, reason, note, detail, actor_id, created_at) "
    "SELECT m.id, %s, m.joined_on, m.branch_id, NULL, '', %s, %s, %s, %s FROM {source} m"
)
_MEMBERSHIP_SQL = (
    f"INSERT INTO {Membership._meta.db_table} (member_id, branch_id, started_on, ended_on) "
    "SELECT m.id, m.branch_id, m.joined_on, NULL FROM {source} m"
)


def member_values(data: dict, branch_id: int) -> tuple:
    """A new member (profile fields already cleaned) as a row of ``ROW_FIELDS``; what she shares with the others
    and her province are given as she is stored (the province takes a query, and rows are rendered ahead,
    outside the writing transaction)."""
    folded = fold(data["full_name"])
    profile = [data.get(name, default) for name, default in PROFILE]
    return (*profile, folded, sort_key_folded(folded), branch_id)


def _history_columns() -> list[str]:
    history = Member.history.model
    return [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]


def _audit_sql(source: str) -> str:
    columns = _history_columns()
    return (
        f"INSERT INTO {Member.history.model._meta.db_table} ({', '.join(columns)}, "
        "history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('m.' + c for c in columns)}, %s, %s, %s, %s FROM {source} m"
    )


def _audit_values(kind: str, now, user, reason: str) -> list:
    return [now, reason[:100], kind, user.pk if user else None]


def _event_values(user, note: str, now) -> list:
    """What every "joined" event of a bulk load shares, in the order of ``_EVENT_SQL``'s placeholders."""
    return [EventKind.JOINED, note[:300], "{}", user.pk if user else None, now]


def _insert_select(sql: str, params: list, ids: list[int]) -> None:
    """Run an INSERT … SELECT … WHERE m.id IN_IDS for a large id list, in chunks the database accepts."""
    with connection.cursor() as cursor:
        for chunk in id_chunks(ids):
            if connection.vendor == "postgresql":
                cursor.execute(sql.replace("IN_IDS", "= ANY(%s)"), [*params, chunk])
            else:
                cursor.execute(sql.replace("IN_IDS", f"IN ({', '.join(['%s'] * len(chunk))})"), [*params, *chunk])


def audit(ids: list[int], kind: str, now, user, reason: str) -> None:
    """One audit row per member, as she stands now ("+" created, "~" changed)."""
    _insert_select(_audit_sql(MEMBERS) + " WHERE m.id IN_IDS", _audit_values(kind, now, user, reason), ids)


# New members stored per statement: each statement costs the same again in planning, in emptying the staging table
# and in its foreign-key checks (2,500 a statement took a fifth longer in all than 10,000). An import's own reads
# wait for the statement under way; it looks up what it can ahead, so they are few.
STATEMENT_ROWS = 10_000


@dataclass
class NewRows:
    """New members as rows of ``ROW_FIELDS``, rendered ahead for the database (PostgreSQL: COPY text, one
    payload per ``STATEMENT_ROWS`` rows)."""

    rows: list[tuple]
    now: datetime.datetime
    payloads: list[tuple[str, str]] | None = None

    def __len__(self) -> int:
        return len(self.rows)


def render(rows: Iterable[tuple], now) -> NewRows:
    """Pure Python, no query: a thread can render a batch while another stores the one before."""
    rows = list(rows)
    payloads = None
    if connection.vendor == "postgresql":
        payloads = [
            copy_payload(rows[start : start + STATEMENT_ROWS], text_columns=_ROW_TEXT)
            for start in range(0, len(rows), STATEMENT_ROWS)
        ]
    return NewRows(rows, now, payloads)


def insert_new(new: NewRows, user, note: str, provinces: dict[int, int | None]) -> int:
    """Store new members with their first period, "joined" event and audit row (``provinces``: branch id -> the
    province it is in, ``branches.selectors.province_ids``)."""
    now = new.now
    if connection.vendor == "postgresql":
        payloads = new.payloads if new.payloads is not None else render(new.rows, now).payloads
        inserted = 0
        with connection.cursor() as cursor:
            # One staging table per transaction, emptied after each use: a big import stores many batches.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ON COMMIT DROP AS SELECT "
                f"{', '.join(_ROW_COLUMNS)} FROM {MEMBERS} WITH NO DATA"
            )
            for payload in payloads:
                copy_payload_into(STAGING, _ROW_COLUMNS, payload)
                inserted += insert_staged(now, user, note, provinces)
                cursor.execute(f"TRUNCATE {STAGING}")
        return inserted
    names = ["branch_id" if name == "branch" else name for name in ROW_FIELDS]
    shared = shared_values(now)
    members = [Member(**dict(zip(names, row, strict=True)), **shared) for row in new.rows]
    for member in members:
        member.province_id = provinces.get(member.branch_id)
    Member.objects.bulk_create(members, batch_size=2000)
    ids = [member.pk for member in members]
    if ids:
        _insert_select(_MEMBERSHIP_SQL.format(source=MEMBERS) + " WHERE m.id IN_IDS", [], ids)
        _insert_select(_EVENT_SQL.format(source=MEMBERS) + " WHERE m.id IN_IDS", _event_values(user, note, now), ids)
        audit(ids, "+", now, user, note)
    return len(ids)


def insert_staged(now, user, note: str, provinces: dict[int, int | None]) -> int:
    """Insert the members of the staging table with their periods, "joined" events and audit rows, in one
    statement: their ids come from the register's own sequence and never travel to Python (PostgreSQL). Each
    takes her branch's province from ``provinces`` (a join with a handful of rows)."""
    shared = shared_values(now)
    chosen, params = [], []
    for name, column in zip(NEW_COLUMNS, STAGED_COLUMNS, strict=True):
        if name == "province":
            chosen.append("p.province_id")
        elif name in shared:
            chosen.append("%s")
            params.append(shared[name])
        else:
            chosen.append(f"s.{column}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new AS (INSERT INTO {MEMBERS} ({', '.join(STAGED_COLUMNS)}) SELECT {', '.join(chosen)} "
            f"FROM {STAGING} s LEFT JOIN unnest(%s::bigint[], %s::bigint[]) AS p (branch_id, province_id) "
            "ON p.branch_id = s.branch_id RETURNING *), "
            f"periods AS ({_MEMBERSHIP_SQL.format(source='new')}), "
            f"events AS ({_EVENT_SQL.format(source='new')}) "
            f"{_audit_sql('new')}",
            [*params, list(provinces), list(provinces.values()), *_event_values(user, note, now),
             *_audit_values("+", now, user, note)],
        )  # fmt: skip
        return cursor.rowcount
