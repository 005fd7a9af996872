"""Every write to the member register, with its rules, in one place.

Forms, the importer, the admin and the shell all come through here: a member
is at least 18 on the day she joins, an ID number belongs to one woman, a
member belongs to a live branch, and each change of her state is a dated
event with a matching ``Membership`` period, so the register can be read as it
stood on any date.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.models import DataAccessLog
from accounts.scope import Action, can, require, scope_q
from accounts.services import log_data_access
from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces
from branches.selectors import province_ids
from common.bulk import among
from common.text import fold

from . import bulk, figures, normalize, selectors
from .constants import ADULT_AGE, MAX_AGE, EventKind, LeaveReason, RequestStatus, Status
from .models import Member, MemberEvent, Membership, MergeRequest, TransferRequest, share_ids, sort_key_folded

# Fields a cadre edits; branch, status and dates of leaving change only through the lifecycle services.
PROFILE_FIELDS = (
    "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "address",
    "education", "qualification", "occupation", "joined_on", "card_number", "is_core", "special_groups",
    "old_id_number", "notes",
)  # fmt: skip
_NORMALISERS = {
    "full_name": normalize.full_name,
    "old_id_number": normalize.id_number,
    "ethnicity": normalize.ethnicity,
    "religion": normalize.religion,
}


def _today() -> datetime.date:
    return timezone.localdate()


def clean_profile(data: dict, today: datetime.date | None = None) -> dict:
    """Normalise profile fields and check the rules within one record; raises ValidationError per field."""
    today = today or _today()
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    for field, normaliser in _NORMALISERS.items():
        if field in cleaned:
            try:
                cleaned[field] = normaliser(cleaned[field])
            except ValueError as error:
                errors.setdefault(field, []).append(str(error))
    dob = cleaned.get("date_of_birth")
    if dob:
        cleaned["birth_year"] = dob.year
    if "id_number" in cleaned:
        try:
            cleaned["id_number"] = normalize.id_number(cleaned["id_number"], cleaned.get("birth_year"))
        except ValueError as error:
            errors.setdefault("id_number", []).append(str(error))
    if "phone" in cleaned:
        try:
            first, *others = normalize.phones(cleaned["phone"]) or [""]
        except ValueError as error:
            errors.setdefault("phone", []).append(str(error))
        else:
            # A second number is hers too: kept in her notes rather than lost or refused.
            cleaned["phone"] = first
            extra = [number for number in others if number not in str(cleaned.get("notes") or "")]
            if extra:
                note = _("Other phone: %(numbers)s") % {"numbers": ", ".join(extra)}
                cleaned["notes"] = "; ".join(part for part in (str(cleaned.get("notes") or "").strip(), note) if part)
    if "ethnicity" in cleaned and not cleaned.get("ethnicity") and "ethnicity" not in errors:
        cleaned["ethnicity"] = "Kinh"
    if isinstance(cleaned.get("special_groups"), list | tuple | set):
        cleaned["special_groups"] = Member.pack_groups(cleaned["special_groups"])
    for field in ("address", "education", "qualification", "occupation", "card_number", "notes"):
        if field in cleaned:
            cleaned[field] = " ".join(str(cleaned[field] or "").split())
    if "full_name" in cleaned and not cleaned["full_name"] and "full_name" not in errors:
        errors["full_name"] = [_("missing")]
    elif cleaned.get("full_name") and not any(ch.isalpha() for ch in cleaned["full_name"]):
        errors.setdefault("full_name", []).append(_("not a name"))
    if "birth_year" in cleaned or "date_of_birth" in cleaned:
        if not cleaned.get("birth_year"):
            errors.setdefault("date_of_birth", []).append(_("missing"))
        elif not today.year - MAX_AGE <= cleaned["birth_year"] <= today.year or cleaned["birth_year"] <= 1900:
            # 1900 is where a day number read as a date lands; nobody on a member list is over 110.
            errors.setdefault("date_of_birth", []).append(_("no such year of birth"))
    joined = cleaned.get("joined_on")
    if "joined_on" in cleaned and not joined:
        errors.setdefault("joined_on", []).append(_("missing"))
    if joined and joined > today:
        errors.setdefault("joined_on", []).append(_("in the future"))
    born = cleaned.get("birth_year")
    if joined and born and "date_of_birth" not in errors and normalize.age_on(born, dob, joined) < ADULT_AGE:
        errors.setdefault("date_of_birth", []).append(_("under 18"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_branch(branch: Unit) -> None:
    if branch.level not in (Level.BRANCH, Level.GROUP) or not branch.is_active:
        raise ValidationError({"branch": _("A member belongs to a live branch (chi hội).")})


def duplicate_id_message(existing: Member, actor) -> str:
    """Point to the member who holds the ID when the user may see her; otherwise say nothing about her."""
    if actor is None or can(actor, Action.VIEW, existing.branch):
        return format_html(
            '{} <a href="{}">{}</a> ({}).',
            _("This ID number is already recorded for"),
            reverse("members:member_detail", args=[existing.pk]),
            existing.full_name,
            existing.branch.name,
        )
    return _("This ID number is already recorded for a member of another unit. Please contact the district union.")


def check_id_free(id_number: str, actor, exclude_pk=None) -> None:
    if not id_number:
        return
    existing = Member.objects.filter(id_number=id_number).exclude(pk=exclude_pk).select_related("branch").first()
    if existing is not None:
        raise ValidationError({"id_number": duplicate_id_message(existing, actor)})


def _event(member: Member, kind: str, on: datetime.date, actor, **extra) -> MemberEvent:
    return MemberEvent.objects.create(member=member, kind=kind, occurred_on=on, actor=_user(actor), **extra)


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def member_create(*, branch: Unit, actor=None, **fields) -> Member:
    """Register a woman as a member of ``branch`` from ``joined_on``."""
    _check_branch(branch)
    require(actor, Action.ENTER, branch)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    data = clean_profile(fields)
    check_id_free(data.get("id_number", ""), actor)
    member = Member(branch=branch, status=Status.ACTIVE, **data)
    member.full_clean()
    member.save()
    Membership.objects.create(member=member, branch=branch, started_on=member.joined_on)
    _event(member, EventKind.JOINED, member.joined_on, actor, branch=branch)
    figures.changed({branch.pk}, member.joined_on)
    return member


@transaction.atomic
def member_update(*, member: Member, actor=None, **fields) -> Member:
    """Correct a member's profile. Her branch and status change only by transfer, leaving or death."""
    require(actor, Action.ENTER, member.branch)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    current = {field: getattr(member, field) for field in PROFILE_FIELDS}
    counted_before = member.counted_fields()
    data = clean_profile({**current, **fields})
    check_id_free(data.get("id_number", ""), actor, exclude_pk=member.pk)
    first = member.memberships.order_by("started_on").first()
    if data["joined_on"] != member.joined_on:
        later_event = member.events.exclude(kind=EventKind.JOINED).filter(occurred_on__lt=data["joined_on"]).exists()
        if later_event or (member.left_on and data["joined_on"] > member.left_on):
            raise ValidationError({"joined_on": _("The joining date must come before her other events.")})
    for field, value in data.items():
        setattr(member, field, value)
    member.full_clean()
    member.save()
    moved_from = None
    if first is not None and first.started_on != member.joined_on:
        moved_from = min(first.started_on, member.joined_on)
        first.started_on = member.joined_on
        first.save(update_fields=["started_on"])
        member.events.filter(kind=EventKind.JOINED).update(occurred_on=member.joined_on)
    if member.counted_fields() != counted_before:
        figures.member_changed([member.pk], since=moved_from)
    elif moved_from is not None:
        figures.changed({first.branch_id}, moved_from)
    return member


def _open_membership(member: Member) -> Membership:
    membership = member.memberships.filter(ended_on__isnull=True).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not an active member.") % {"name": member.full_name})
    return membership


def _check_change_date(member: Member, on: datetime.date, field: str) -> Membership:
    if member.status != Status.ACTIVE:
        raise ValidationError(_("%(name)s is not an active member.") % {"name": member.full_name})
    membership = _open_membership(member)
    if on < membership.started_on:
        raise ValidationError(
            {field: _("The date is before she joined her current branch (%(day)s).")
             % {"day": membership.started_on.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    if on > _today():
        raise ValidationError({field: _("The date is in the future.")})
    return membership


def _move(member: Member, to_branch: Unit, on: datetime.date, actor, note: str = "") -> None:
    membership = _open_membership(member)
    from_branch = member.branch
    membership.ended_on = on
    membership.save(update_fields=["ended_on"])
    Membership.objects.create(member=member, branch=to_branch, started_on=on)
    member.branch = to_branch
    member.save(update_fields=["branch", "updated_at"])
    _event(member, EventKind.TRANSFERRED, on, actor, branch=from_branch, other_branch=to_branch, note=note)
    figures.changed({from_branch.pk, to_branch.pk}, on)


@transaction.atomic
def member_transfer(*, member: Member, to_branch: Unit, transfer_on: datetime.date, actor=None, note: str = ""):
    """Move a member to another branch (chuyển sinh hoạt).

    Within the actor's units the move happens at once. A branch outside them
    has to accept her first: a pending ``TransferRequest`` is returned instead.
    """
    require(actor, Action.ENTER, member.branch)
    _check_branch(to_branch)
    if to_branch.pk == member.branch_id:
        raise ValidationError({"to_branch": _("She is already in this branch.")})
    _check_change_date(member, transfer_on, "transfer_on")
    if member.transfer_requests.filter(status=RequestStatus.PENDING).exists():
        raise ValidationError(_("A transfer of this member is already awaiting acceptance."))
    if actor is None or can(actor, Action.ENTER, to_branch):
        _move(member, to_branch, transfer_on, actor, note)
        return member
    request = TransferRequest.objects.create(
        member=member,
        from_branch=member.branch,
        to_branch=to_branch,
        transfer_on=transfer_on,
        note=note,
        requested_by=_user(actor),
    )
    _event(member, EventKind.TRANSFER_REQUESTED, transfer_on, actor, branch=member.branch, other_branch=to_branch)
    return request


@transaction.atomic
def transfer_accept(*, request: TransferRequest, actor=None) -> Member:
    """The receiving unit takes the member in, from the requested date."""
    require(actor, Action.ENTER, request.to_branch)
    member = Member.objects.select_for_update().get(pk=request.member_id)
    if member.status != Status.ACTIVE or member.branch_id != request.from_branch_id:
        request.decide(RequestStatus.CANCELLED, _user(actor))
        raise ValidationError(_("The member's situation has changed since the request; it has been cancelled."))
    _check_branch(request.to_branch)
    request.decide(RequestStatus.ACCEPTED, _user(actor))
    _move(member, request.to_branch, request.transfer_on, actor, request.note)
    return member


@transaction.atomic
def transfer_refuse(*, request: TransferRequest, actor=None, note: str = "") -> TransferRequest:
    require(actor, Action.ENTER, request.to_branch)
    request.decide(RequestStatus.REFUSED, _user(actor))
    _event(
        request.member,
        EventKind.TRANSFER_REFUSED,
        _today(),
        actor,
        branch=request.from_branch,
        other_branch=request.to_branch,
        note=note,
    )
    return request


@transaction.atomic
def transfer_cancel(*, request: TransferRequest, actor=None) -> TransferRequest:
    require(actor, Action.ENTER, request.from_branch)
    request.decide(RequestStatus.CANCELLED, _user(actor))
    return request


def _end(member: Member, on: datetime.date, status: str, kind: str, actor, *, reason: str = "", note: str = ""):
    membership = _check_change_date(member, on, "left_on")
    membership.ended_on = on
    membership.save(update_fields=["ended_on"])
    member.status = status
    member.left_on = on
    member.leave_reason = reason
    member.full_clean()
    member.save()
    member.transfer_requests.filter(status=RequestStatus.PENDING).update(status=RequestStatus.CANCELLED)
    _event(member, kind, on, actor, branch=member.branch, reason=reason, note=note)
    figures.changed({membership.branch_id}, on)
    return member


@transaction.atomic
def member_leave(*, member: Member, left_on: datetime.date, reason: str, actor=None, note: str = "") -> Member:
    """She leaves the Union (ra khỏi Hội) for ``reason``."""
    require(actor, Action.ENTER, member.branch)
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    return _end(member, left_on, Status.LEFT, EventKind.LEFT, actor, reason=reason, note=note)


@transaction.atomic
def member_record_death(*, member: Member, died_on: datetime.date, actor=None, note: str = "") -> Member:
    require(actor, Action.ENTER, member.branch)
    return _end(member, died_on, Status.DECEASED, EventKind.DIED, actor, note=note)


@transaction.atomic
def member_transfer_out(*, member: Member, transfer_on: datetime.date, destination: str, actor=None) -> Member:
    """She moves to a unit outside this system (another province): her membership here ends."""
    require(actor, Action.ENTER, member.branch)
    if not destination.strip():
        raise ValidationError({"destination": _("Say where she is moving to.")})
    return _end(member, transfer_on, Status.TRANSFERRED, EventKind.TRANSFERRED_OUT, actor, note=destination.strip())


@transaction.atomic
def member_rejoin(*, member: Member, rejoined_on: datetime.date, branch: Unit | None = None, actor=None) -> Member:
    """A former member comes back; her earlier membership stays in her history."""
    branch = branch or member.branch
    _check_branch(branch)
    require(actor, Action.ENTER, branch)
    if member.status in (Status.ACTIVE, Status.DECEASED):
        raise ValidationError(_("Only a former member can rejoin."))
    if rejoined_on <= member.left_on or rejoined_on > _today():
        raise ValidationError({"rejoined_on": _("The date must come after she left and not be in the future.")})
    member.status = Status.ACTIVE
    member.left_on = None
    member.leave_reason = ""
    member.branch = branch
    member.full_clean()
    member.save()
    Membership.objects.create(member=member, branch=branch, started_on=rejoined_on)
    _event(member, EventKind.REJOINED, rejoined_on, actor, branch=branch)
    figures.changed({branch.pk}, rejoined_on)
    return member


def _richness(member: Member) -> tuple:
    filled = sum(1 for field in PROFILE_FIELDS if getattr(member, field) not in (None, "", False))
    return (filled, member.status == Status.ACTIVE, -member.pk)


def merge_order(first: Member, second: Member) -> tuple[Member, Member]:
    """(kept, merged in): the richer record is kept; on a tie the older one."""
    return (first, second) if _richness(first) >= _richness(second) else (second, first)


def _merge(keep: Member, drop: Member, actor) -> Member:
    snapshot = {
        field: (value.isoformat() if isinstance(value, datetime.date) else value)
        for field in (*PROFILE_FIELDS, "status", "left_on", "branch_id")
        if (value := getattr(drop, field)) not in (None, "")
    }
    for field in PROFILE_FIELDS:
        if getattr(keep, field) in (None, "") and getattr(drop, field) not in (None, ""):
            setattr(keep, field, getattr(drop, field))
    if drop.id_number == keep.id_number:
        drop.id_number = ""
    kept_periods = list(keep.memberships.all())
    # Both records' branches, from the earliest stretch of either: her periods and counted fields change.
    touched = {p.branch_id for p in kept_periods} | set(drop.memberships.values_list("branch_id", flat=True))
    since = min([p.started_on for p in kept_periods] + list(drop.memberships.values_list("started_on", flat=True)))
    moved, dropped = [], []
    for period in drop.memberships.all():
        overlaps = any(
            (other.ended_on is None or period.started_on < other.ended_on)
            and (period.ended_on is None or other.started_on < period.ended_on)
            for other in kept_periods
        )
        (dropped if overlaps else moved).append(period)
    Membership.objects.filter(pk__in=[p.pk for p in moved]).update(member=keep)
    snapshot["memberships"] = [
        {"branch_id": p.branch_id, "from": p.started_on.isoformat(), "to": p.ended_on and p.ended_on.isoformat()}
        for p in dropped
    ]
    drop.events.update(member=keep)
    # Her first day in the Union is the start of her earliest stretch, whichever record brought it.
    keep.joined_on = min(p.started_on for p in keep.memberships.all())
    keep.full_clean()
    keep.save()
    _event(keep, EventKind.MERGED, _today(), actor, branch=drop.branch, note=drop.full_name, detail=snapshot)
    drop.delete()
    figures.changed(touched, since)
    return keep


@transaction.atomic
def member_merge(*, first: Member, second: Member, actor=None):
    """Merge two records of the same woman, keeping the richer one and the history of both.

    When the actor cannot enter data for both records' units, the other unit
    must agree: a pending ``MergeRequest`` is returned instead.
    """
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different records."))
    keep, drop = merge_order(first, second)
    may_keep = actor is None or can(actor, Action.ENTER, keep.branch)
    may_drop = actor is None or can(actor, Action.ENTER, drop.branch)
    if may_keep and may_drop:
        return _merge(keep, drop, actor)
    if not (may_keep or may_drop):
        raise ValidationError(_("Neither record is in your units."))
    existing = MergeRequest.objects.filter(
        Q(keep=keep, drop=drop) | Q(keep=drop, drop=keep), status=RequestStatus.PENDING
    ).first()
    return existing or MergeRequest.objects.create(
        keep=keep, drop=drop, drop_name=drop.full_name, requested_by=_user(actor)
    )


@transaction.atomic
def merge_request_approve(*, request: MergeRequest, actor=None) -> Member:
    """The other unit agrees: together the requester and the approver cover both records."""
    if request.status != RequestStatus.PENDING or request.drop is None:
        raise ValidationError(_("This merge has already been decided."))
    keep, drop = request.keep, request.drop
    for member in (keep, drop):
        if not (
            actor is None
            or can(actor, Action.ENTER, member.branch)
            or (request.requested_by and can(request.requested_by, Action.ENTER, member.branch))
        ):
            raise ValidationError(_("%(unit)s is outside your units.") % {"unit": member.branch})
    if actor is not None and not (can(actor, Action.ENTER, keep.branch) or can(actor, Action.ENTER, drop.branch)):
        raise ValidationError(_("Neither record is in your units."))
    request.decide(RequestStatus.ACCEPTED, _user(actor))
    return _merge(keep, drop, actor)


@transaction.atomic
def merge_request_refuse(*, request: MergeRequest, actor=None) -> MergeRequest:
    if actor is not None and not any(
        m is not None and can(actor, Action.ENTER, m.branch) for m in (request.keep, request.drop)
    ):
        raise ValidationError(_("Neither record is in your units."))
    request.decide(RequestStatus.REFUSED, _user(actor))
    return request


def _check_bulk_scope(branch_ids: set[int], actor) -> dict[int, Unit]:
    """Every branch live and, for an actor, within the units she enters data for: one query."""
    branches = Unit.objects.in_bulk(branch_ids)
    for branch in branches.values():
        _check_branch(branch)
    if actor is not None:
        allowed = set(
            Unit.objects.filter(pk__in=branch_ids)
            .filter(scope_q(actor, Action.ENTER, "path"))
            .values_list("pk", flat=True)
        )
        outside = [branches[pk] for pk in branch_ids if pk not in allowed]
        if outside:
            raise ValidationError(_("%(unit)s is outside your units.") % {"unit": outside[0]})
    return branches


def members_bulk_create(*, rows: Iterable[dict], actor=None, note: str = "") -> int:
    """Register many members at once (imports): all or nothing; returns how many.

    Each row holds ``branch`` (a unit or its id) and profile fields already passed through ``clean_profile``.
    The rules of ``member_create`` hold: live branches in the actor's units, ID numbers no other member has;
    each member gets her first period and her "joined" event, and an audit row.
    """
    return members_bulk_store(members_bulk_prepare(rows), actor=actor, note=note)


def members_bulk_prepare(rows: Iterable[dict]) -> "bulk.NewRows":
    """The first half of ``members_bulk_create``, in Python alone (no query): the rows checked among themselves
    and rendered for the database. A big import prepares the next batch while the last one is stored."""
    rows = [{**row, "branch": getattr(row["branch"], "pk", row["branch"])} for row in rows]
    ids = [row["id_number"] for row in rows if row.get("id_number")]
    if len(set(ids)) != len(ids):
        raise ValidationError({"id_number": _("Two new members have the same ID number.")})
    return bulk.render((bulk.member_values(row, row["branch"]) for row in rows), timezone.now())


@transaction.atomic
def members_bulk_store(new: "bulk.NewRows", *, actor=None, note: str = "") -> int:
    """The second half of ``members_bulk_create``: the checks against the register, then the write."""
    if not new:
        return 0
    branch_at, id_at, joined_at = map(bulk.ROW_FIELDS.index, ("branch", "id_number", "joined_on"))
    branch_ids = {row[branch_at] for row in new.rows}
    _check_bulk_scope(branch_ids, actor)
    taken = selectors.holders_of(row[id_at] for row in new.rows)
    if taken:
        holder = Member.objects.filter(id_number=taken[0]["id_number"]).select_related("branch").first()
        raise ValidationError({"id_number": duplicate_id_message(holder, actor)})
    written = bulk.insert_new(new, _user(actor), note, province_ids(branch_ids))
    figures.changed(branch_ids, min(row[joined_at] for row in new.rows))
    return written


@transaction.atomic
def members_bulk_update(*, changes: dict[int, dict], actor=None, note: str = "") -> list[int]:
    """Correct many members' profiles at once (``member_update`` for a list): all or nothing.

    ``changes`` maps a member's id to the profile fields that change, already cleaned. A corrected joining date
    moves her first period and her "joined" event with it, as ``member_update`` does.
    """
    if not changes:
        return []
    members = Member.objects.in_bulk(list(changes))
    _check_bulk_scope({member.branch_id for member in members.values()}, actor)
    counted_before = {pk: member.counted_fields() for pk, member in members.items()}
    joined_before = {pk: member.joined_on for pk, member in members.items()}
    numbers_before = [member.id_number for member in members.values()]
    changed_fields: set[str] = {"updated_at"}
    now = timezone.now()
    rejoined = {}
    for pk, fields in changes.items():
        unknown = set(fields) - set(PROFILE_FIELDS)
        if unknown:
            raise TypeError(f"Unknown member fields: {sorted(unknown)}")
        member = members[pk]
        if "joined_on" in fields and fields["joined_on"] != member.joined_on:
            rejoined[pk] = fields["joined_on"]
        for name, value in fields.items():
            setattr(member, name, value)
            changed_fields.add(name)
        member.fill_derived()
        member.updated_at = now
    if rejoined:
        _move_joining_dates(members, rejoined)
    if "full_name" in changed_fields:
        changed_fields |= {"name_folded", "sort_key"}
    if "date_of_birth" in changed_fields:
        changed_fields.add("birth_year")
    Member.objects.bulk_update(list(members.values()), sorted(changed_fields), batch_size=500)
    if "id_number" in changed_fields:
        share_ids([*numbers_before, *(member.id_number for member in members.values())], members=list(members))
    bulk.audit(list(members), "~", now, _user(actor), note)
    recounted = [pk for pk, member in members.items() if member.counted_fields() != counted_before[pk]]
    if recounted or rejoined:
        earliest = min([*rejoined.values(), *(joined_before[pk] for pk in rejoined)], default=None)
        figures.member_changed([*recounted, *rejoined], since=earliest)
    return list(members)


def _move_joining_dates(members: dict[int, Member], joined: dict[int, datetime.date]) -> None:
    """Her first period and her "joined" event start on the corrected date; refused if it would pass a later
    event of hers (a transfer, leaving)."""
    blocked = set(
        MemberEvent.objects.filter(member_id__in=among(list(joined)))
        .exclude(kind=EventKind.JOINED)
        .values_list("member_id", "occurred_on")
    )
    for pk, day in blocked:
        member = members[pk]
        if day < joined[pk] or (member.left_on and joined[pk] > member.left_on):
            raise ValidationError(
                {"joined_on": _("%(name)s: the joining date must come before her other events.") % {"name": member}}
            )
    firsts = {}
    for period in Membership.objects.filter(member_id__in=among(list(joined))).order_by("member_id", "-started_on"):
        firsts[period.member_id] = period  # the last one seen per member is her earliest
    for pk, period in firsts.items():
        period.started_on = joined[pk]
    Membership.objects.bulk_update(list(firsts.values()), ["started_on"], batch_size=500)
    events = list(MemberEvent.objects.filter(member_id__in=among(list(joined)), kind=EventKind.JOINED))
    for event in events:
        event.occurred_on = joined[event.member_id]
    MemberEvent.objects.bulk_update(events, ["occurred_on"], batch_size=500)


@transaction.atomic
def members_bulk_move(*, moves: dict[int, Unit], on: datetime.date, actor=None, note: str = "") -> list[int]:
    """Move many active members to other branches on one day (``member_transfer`` within one's units, for a list).

    Each keeps her history: her open period ends on ``on``, a new one starts in the new branch, and a
    "transferred" event records from where (``branch``) to where (``other_branch``).
    """
    if not moves:
        return []
    members = Member.objects.select_for_update().in_bulk(list(moves))
    targets = {unit.pk: unit for unit in moves.values()}
    _check_bulk_scope({m.branch_id for m in members.values()} | set(targets), actor)
    for pk, member in members.items():
        if member.status != Status.ACTIVE:
            raise ValidationError(_("%(name)s is not an active member.") % {"name": member.full_name})
        if moves[pk].pk == member.branch_id:
            raise ValidationError({"to_branch": _("She is already in this branch.")})
    periods = Membership.objects.filter(member_id__in=among(list(members)), ended_on__isnull=True)
    open_periods = {period.member_id: period for period in periods}
    late = [members[pk] for pk, period in open_periods.items() if period.started_on > on]
    if late:
        raise ValidationError(
            _("%(name)s joined her current branch after the transfer date.") % {"name": late[0].full_name}
        )
    for period in open_periods.values():
        period.ended_on = on
    Membership.objects.bulk_update(list(open_periods.values()), ["ended_on"], batch_size=500)
    user = _user(actor)
    now = timezone.now()
    new_periods, events = [], []
    for pk, member in members.items():
        to_branch = moves[pk]
        new_periods.append(Membership(member_id=pk, branch=to_branch, started_on=on))
        events.append(
            MemberEvent(
                member_id=pk, kind=EventKind.TRANSFERRED, occurred_on=on, branch_id=member.branch_id,
                other_branch=to_branch, note=note[:300], actor=user,
            )
        )  # fmt: skip
        member.branch = to_branch
        member.updated_at = now
    Membership.objects.bulk_create(new_periods, batch_size=2000)
    MemberEvent.objects.bulk_create(events, batch_size=2000)
    figures.changed({p.branch_id for p in open_periods.values()} | {t.pk for t in targets.values()}, on)
    moved = with_provinces(list(members.values()))  # a bulk update skips save(), which keeps her province
    Member.objects.bulk_update(moved, ["branch", "province", "updated_at"], batch_size=500)
    bulk.audit(list(members), "~", now, user, note)
    return list(members)


def units_moved(units: Iterable[Unit], since: datetime.date | None) -> None:
    """Units have moved in the tree from ``since`` on (a reorganisation, ``branches.services``): the kept figures
    of the communes that lost or gained branches are summed again. (Members take their new province with every
    other record: ``branches.records.provinces_moved``.)"""
    figures.tree_changed(list(units), since)


def units_dissolved(units: Iterable[Unit], since: datetime.date) -> None:
    """Units were dissolved on ``since`` (``branches.services``): the communes that lose branches are summed again
    (nobody changes province: the tree's paths stay as they were)."""
    figures.tree_changed(units, since)


# Fields that say who she is. Erasing them leaves what the statistics count (birth year, ethnicity, religion,
# groups, branch, membership dates), so every past report still adds up.
IDENTIFYING_FIELDS = {
    "date_of_birth": None, "id_number": "", "phone": "", "address": "", "card_number": "", "occupation": "",
    "qualification": "", "education": "",
}  # fmt: skip


@transaction.atomic
def member_data_export(*, member: Member, actor) -> dict:
    """Everything held about her, for her (her right of access); the export is logged."""
    require(actor, Action.ENTER, member.branch)
    log_data_access(user=actor, kind=DataAccessLog.Kind.SUBJECT_EXPORT, unit=member.branch, member_id=member.pk)
    return selectors.member_data(member)


@transaction.atomic
def member_anonymise(*, member: Member, actor, reason: str) -> Member:
    """Erase a member's identifying data on her request, in her record and in its history."""
    require(actor, Action.ENTER, member.branch)
    if not reason.strip():
        raise ValidationError({"reason": _("Say on whose request and why.")})
    name = _("Member %(id)d (data erased)") % {"id": member.pk}
    folded = fold(name)
    Member.objects.filter(pk=member.pk).update(
        full_name=name, name_folded=folded, sort_key=sort_key_folded(folded), shares_id=False, **IDENTIFYING_FIELDS
    )
    share_ids([member.id_number])  # whoever shared her number may no longer share it
    Member.history.filter(id=member.pk).update(full_name=name, **IDENTIFYING_FIELDS)
    MemberEvent.objects.filter(member=member).update(note="")
    log_data_access(
        user=actor, kind=DataAccessLog.Kind.ANONYMISED, unit=member.branch, member_id=member.pk,
        detail={"reason": reason.strip()[:500]},
    )  # fmt: skip
    member.refresh_from_db()
    return member
