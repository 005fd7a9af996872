"""Write an analysed import: new members, changed members, their periods, events and audit rows.

On PostgreSQL the new members go in with COPY (ids taken from the sequence
first), and their membership periods, "joined" events and audit rows are
derived inside the database with INSERT … SELECT, so 100,000 rows cost a few
statements rather than 400,000 inserts. SQLite takes the same path with
bulk inserts.
"""

import datetime

from django.db import connection
from django.utils import timezone

from common.bulk import allocate_ids, copy_rows, id_chunks
from common.text import fold
from members.constants import EventKind, Status
from members.models import MEMBER_COLUMNS, Member, MemberEvent, Membership, sort_key_folded
from members.services import PROFILE_FIELDS

from .pipeline import Analysis, Progress, Row

# What a new member has where the file says nothing: the model's own defaults.
_DEFAULTS = {field.name: field.get_default() for field in Member._meta.concrete_fields if field.name in PROFILE_FIELDS}


def _member_tuple(member_id: int | None, row: Row, now: datetime.datetime) -> tuple:
    """A new member as a row of MEMBER_COLUMNS."""
    data = {**_DEFAULTS, **row.data}
    folded = fold(data["full_name"])
    values = {
        **data,
        "id": member_id,
        "name_folded": folded,
        "sort_key": sort_key_folded(folded),
        "status": Status.ACTIVE,
        "branch": row.branch.pk,
        "left_on": None,
        "leave_reason": "",
        "created_at": now,
        "updated_at": now,
    }
    return tuple(values[name] for name in MEMBER_COLUMNS)


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
    columns = _history_columns()
    table = Member.history.model._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, "
        "history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('m.' + c for c in columns)}, %s, %s, %s, %s "
        f"FROM {Member._meta.db_table} m WHERE m.id IN_IDS"
    )
    _insert_select(sql, [now, reason[:100], kind, actor.pk if actor else None], ids)


def write(analysis: Analysis, *, actor=None, note: str = "", progress: Progress | None = None) -> dict:
    progress = progress or (lambda stage, fraction: None)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    new_ids = _insert_new(analysis.new, now, progress)
    progress("write", 0.6)
    member_table = Member._meta.db_table
    if new_ids:
        _insert_select(
            f"INSERT INTO {Membership._meta.db_table} (member_id, branch_id, started_on, ended_on) "
            f"SELECT m.id, m.branch_id, m.joined_on, NULL FROM {member_table} m WHERE m.id IN_IDS",
            [],
            new_ids,
        )
        _insert_select(
            f"INSERT INTO {MemberEvent._meta.db_table} "
            "(member_id, kind, occurred_on, branch_id, other_branch_id, reason, note, detail, actor_id, created_at) "
            "SELECT m.id, %s, m.joined_on, m.branch_id, NULL, '', %s, %s, %s, %s "
            f"FROM {member_table} m WHERE m.id IN_IDS",
            [EventKind.JOINED, note[:300], "{}", actor.pk if actor else None, now],
            new_ids,
        )
        _audit(new_ids, "+", now, actor, note)
    progress("write", 0.8)
    updated_ids = _apply_updates(analysis.updated, now, actor, note)
    if updated_ids:
        _audit(updated_ids, "~", now, actor, note)
    progress("write", 1.0)
    return {
        "new": len(new_ids),
        "updated": len(updated_ids),
        "unchanged": len(analysis.unchanged),
        "rejected": len(analysis.rejected),
        "branches_created": list(analysis.branches_to_create),
    }


def _insert_new(rows: list[Row], now, progress: Progress) -> list[int]:
    if not rows:
        return []
    if connection.vendor == "postgresql":
        ids = allocate_ids(Member, len(rows))
        copy_rows(Member, MEMBER_COLUMNS, (_member_tuple(i, row, now) for i, row in zip(ids, rows, strict=True)))
        return ids
    members = []
    for row in rows:
        values = dict(zip(MEMBER_COLUMNS, _member_tuple(None, row, now), strict=True))
        values.pop("id")
        values["branch_id"] = values.pop("branch")
        members.append(Member(**values))
    for start in range(0, len(members), 2000):
        Member.objects.bulk_create(members[start : start + 2000])
        progress("write", 0.6 * min(1.0, (start + 2000) / len(members)))
    return [member.pk for member in members]


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
