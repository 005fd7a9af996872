"""Write an analysed import: new members, changed members, their periods, events and audit rows.

On PostgreSQL the new members are COPYed into a temporary table, and one
statement moves them into the register and derives their membership periods,
"joined" events and audit rows from what it inserted, so 100,000 rows cost one
COPY and one INSERT rather than 400,000 inserts. SQLite takes the same path with
bulk inserts.
"""

import datetime

from django.db import connection
from django.utils import timezone

from common.bulk import copy_into, id_chunks
from common.text import fold
from members.constants import EventKind, Status
from members.models import MEMBER_COLUMNS, Member, MemberEvent, Membership, sort_key_folded
from members.services import PROFILE_FIELDS

from .pipeline import Analysis, Progress, Row

# A new member's columns: what the file gives (the model's defaults where it says nothing), then what is derived.
_PROFILE = [(field.name, field.get_default()) for field in Member._meta.concrete_fields if field.name in PROFILE_FIELDS]
_DERIVED = ["name_folded", "sort_key", "status", "branch", "left_on", "leave_reason", "created_at", "updated_at"]
_NEW_COLUMNS = [name for name, _default in _PROFILE] + _DERIVED
if set(_NEW_COLUMNS) != set(MEMBER_COLUMNS) - {"id"}:  # a new Member field must be given a value here
    raise RuntimeError(f"imports.writer does not fill {sorted(set(MEMBER_COLUMNS) - {'id'} - set(_NEW_COLUMNS))}")
_MEMBERS = Member._meta.db_table
STAGING = "import_new"
STAGED_COLUMNS = [Member._meta.get_field(name).column for name in _NEW_COLUMNS]
_STAGED_TEXT = [f.column for f in map(Member._meta.get_field, _NEW_COLUMNS) if f.get_internal_type() == "CharField"]

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


def _member_values(row: Row, now: datetime.datetime) -> tuple:
    """A new member as a row of ``_NEW_COLUMNS``."""
    data = row.data
    folded = fold(data["full_name"])
    profile = [data.get(name, default) for name, default in _PROFILE]
    return (*profile, folded, sort_key_folded(folded), Status.ACTIVE, row.branch.pk, None, "", now, now)


def _history_columns() -> list[str]:
    history = Member.history.model
    return [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]


def _insert_select(sql: str, params: list, ids: list[int]) -> None:
    """Run an INSERT … SELECT … WHERE m.id IN (ids) for a large id list, in chunks the database accepts."""
    with connection.cursor() as cursor:
        for chunk in id_chunks(ids):
            if connection.vendor == "postgresql":
                cursor.execute(sql.replace("IN_IDS", "= ANY(%s)"), [*params, chunk])
            else:
                cursor.execute(sql.replace("IN_IDS", f"IN ({', '.join(['%s'] * len(chunk))})"), [*params, *chunk])


def _audit(ids: list[int], kind: str, now, actor, reason: str) -> None:
    _insert_select(_audit_sql(_MEMBERS) + " WHERE m.id IN_IDS", _audit_values(kind, now, actor, reason), ids)


def write(analysis: Analysis, *, actor=None, note: str = "", progress: Progress | None = None) -> dict:
    progress = progress or (lambda stage, fraction: None)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    if connection.vendor == "postgresql":
        new = _insert_new_postgres(analysis.new, now, actor, note, progress)
    else:
        new = _insert_new(analysis.new, now, actor, note, progress)
    progress("write", 0.8)
    updated_ids = _apply_updates(analysis.updated, now, actor, note)
    if updated_ids:
        _audit(updated_ids, "~", now, actor, note)
    progress("write", 1.0)
    return {
        "new": new,
        "updated": len(updated_ids),
        "unchanged": len(analysis.unchanged),
        "rejected": len(analysis.rejected),
        "branches_created": list(analysis.branches_to_create),
    }


def _event_values(actor, note: str, now) -> list:
    """What every "joined" event of an import shares, in the order of ``_EVENT_SQL``'s placeholders."""
    return [EventKind.JOINED, note[:300], "{}", actor.pk if actor else None, now]


def _audit_sql(source: str) -> str:
    columns = _history_columns()
    return (
        f"INSERT INTO {Member.history.model._meta.db_table} ({', '.join(columns)}, "
        "history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('m.' + c for c in columns)}, %s, %s, %s, %s FROM {source} m"
    )


def _audit_values(kind: str, now, actor, reason: str) -> list:
    return [now, reason[:100], kind, actor.pk if actor else None]


def _insert_new_postgres(rows: list[Row], now, actor, note: str, progress: Progress) -> int:
    """COPY the new members into a temporary table, then store them from there (``insert_staged``)."""
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} ON COMMIT DROP AS SELECT {', '.join(STAGED_COLUMNS)} FROM {_MEMBERS} "
            "WITH NO DATA"
        )
        copy_into(STAGING, STAGED_COLUMNS, (_member_values(row, now) for row in rows), text_columns=_STAGED_TEXT)
        progress("write", 0.3)
        inserted = insert_staged(now, actor, note)
        cursor.execute(f"DROP TABLE {STAGING}")
    return inserted


def insert_staged(now, actor, note: str) -> int:
    """Insert the members of the staging table with their periods, "joined" events and audit rows, in one
    statement: their ids come from the register's own sequence and never travel to Python (PostgreSQL)."""
    columns = ", ".join(STAGED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new AS (INSERT INTO {_MEMBERS} ({columns}) SELECT {columns} FROM {STAGING} RETURNING *), "
            f"periods AS ({_MEMBERSHIP_SQL.format(source='new')}), "
            f"events AS ({_EVENT_SQL.format(source='new')}) "
            f"{_audit_sql('new')}",
            [*_event_values(actor, note, now), *_audit_values("+", now, actor, note)],
        )
        return cursor.rowcount


def _insert_new(rows: list[Row], now, actor, note: str, progress: Progress) -> int:
    members = [
        Member(**{("branch_id" if name == "branch" else name): value for name, value in zip(
            _NEW_COLUMNS, _member_values(row, now), strict=True)})
        for row in rows
    ]  # fmt: skip
    for start in range(0, len(members), 2000):
        Member.objects.bulk_create(members[start : start + 2000])
        progress("write", 0.6 * min(1.0, (start + 2000) / len(members)))
    ids = [member.pk for member in members]
    if ids:
        _insert_select(_MEMBERSHIP_SQL.format(source=_MEMBERS) + " WHERE m.id IN_IDS", [], ids)
        _insert_select(_EVENT_SQL.format(source=_MEMBERS) + " WHERE m.id IN_IDS", _event_values(actor, note, now), ids)
        _audit(ids, "+", now, actor, note)
    return len(ids)


def _apply_updates(rows: list[Row], now, actor, note: str) -> list[int]:
    if not rows:
        return []
    members = Member.objects.in_bulk([row.member_id for row in rows])
    changed_fields: set[str] = {"updated_at"}
    moved = []
    for row in rows:
        member = members[row.member_id]
        for name, (_old, new) in row.changes.items():
            setattr(member, name, new)
            changed_fields.add(name)
        if row.moved:
            moved.append((member, member.branch_id, row.branch.pk))
            member.branch_id = row.branch.pk
            changed_fields.add("branch")
        member.fill_derived()
        member.updated_at = now
    if "full_name" in changed_fields:
        changed_fields |= {"name_folded", "sort_key"}
    Member.objects.bulk_update(list(members.values()), sorted(changed_fields), batch_size=500)
    if moved:
        today = timezone.localdate()
        moved_ids = [member.pk for member, _old, _new in moved]
        for chunk in id_chunks(moved_ids):
            Membership.objects.filter(member_id__in=chunk, ended_on__isnull=True).update(ended_on=today)
        Membership.objects.bulk_create(
            [Membership(member=member, branch_id=new, started_on=today) for member, _old, new in moved]
        )
        MemberEvent.objects.bulk_create(
            [
                MemberEvent(
                    member=member,
                    kind=EventKind.TRANSFERRED,
                    occurred_on=today,
                    branch_id=new,
                    other_branch_id=old,
                    note=note[:300],
                    actor=actor,
                )  # fmt: skip
                for member, old, new in moved
            ]
        )
    return list(members)
