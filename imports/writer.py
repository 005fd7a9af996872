"""Hand an analysed import to the register's bulk services: new members, moves, corrections.

The rules of how a member, her periods and her events are written live in
``members.services`` alone; this module only says which rows go where.
"""

from django.utils import timezone

from members import services as members

from .analysis import Analysis, Progress


def write(analysis: Analysis, *, actor=None, note: str = "", progress: Progress | None = None) -> dict:
    progress = progress or (lambda stage, fraction: None)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    new = members.members_bulk_create(
        rows=({**row.data, "branch": row.branch.pk} for row in analysis.new), actor=actor, note=note
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
        "new": new,
        "updated": len(set(moved) | set(corrected)),
        "unchanged": len(analysis.unchanged),
        "rejected": len(analysis.rejected),
        "skipped": len(analysis.skipped),
        "branches_created": list(analysis.branches_to_create),
    }
