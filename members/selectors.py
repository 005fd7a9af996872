"""Reads over the register: the filtered list, counts per unit, membership on a date, duplicates, export rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from accounts.scope import Action, can, mask, may_see_personal, scope_paths, scope_q
from branches.constants import Level
from branches.models import PATH_SEPARATOR, Unit
from branches.selectors import province_id, provinces_on_paths
from common.bulk import Ids, among, either, ids_of

from . import figures
from .constants import EventKind, RequestStatus
from .figures import event_key
from .filters import MemberFilterSet
from .models import Member, MemberEvent, Membership, MergeRequest, TransferRequest, membership_on_q

SORTS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "born": ("birth_year", "date_of_birth", "id"),
    "-born": ("-birth_year", "-date_of_birth", "-id"),
    "joined": ("joined_on", "id"),
    "-joined": ("-joined_on", "-id"),
    "branch": ("branch__path", "sort_key", "id"),
    "-branch": ("-branch__path", "-sort_key", "-id"),
}


def member_list(user, *, unit: Unit | None = None, query=None, sort: str | None = "name"):
    """The register as the list page shows it: scoped, filtered by ``query`` (the list's query string: a dict
    or QueryDict, read by ``MemberFilterSet``), searched and sorted (``sort=None`` leaves the order to the
    caller: the list's table sorts by its headings)."""
    if unit is not None and unit.level == Level.PROVINCE and can(user, Action.VIEW, unit):
        # A whole province its user may see whole: her province (kept by every writer of the register) says it
        # all, with no join on the branches' paths, and the database reads the province's stretch of the name
        # index in list order and stops at the page, however many provinces there are.
        members = Member.objects.filter(province_id=unit.pk)
    else:
        members = Member.objects.for_user(user, Action.VIEW)
        if unit is not None:
            members = members.in_subtree(unit)
        province = _list_province(user, unit)
        if province is not None:
            # Implied by the subtree, but the database then reads the province's stretch of the name index only.
            members = members.filter(province_id=province)
    members = MemberFilterSet(query or {}, queryset=members, user=user).qs.select_related("branch", "branch__parent")
    return members.order_by(*SORTS.get(sort, SORTS["name"])) if sort is not None else members


def _list_province(user, unit: Unit | None) -> int | None:
    """The one province a list is within (the unit shown, else the user's only scope), if there is one."""
    if unit is not None:
        return province_id(unit)
    paths = scope_paths(user, Action.VIEW)
    return provinces_on_paths({0: paths[0]})[0] if paths and len(paths) == 1 else None


def members_on(day: datetime.date, unit: Unit | None = None):
    """Members of the Union on ``day`` (in ``unit``'s subtree as it is now, by the branch they were in then)."""
    periods = Membership.objects.alive_on(day)
    if unit is not None:
        periods = periods.filter(branch__path__startswith=unit.path)
    return Member.objects.filter(Exists(periods.filter(member=OuterRef("pk"))))


def counts_by_branch_on(day: datetime.date, branch_ids, *, keep_day: bool = False) -> dict[int, int]:
    """Members on ``day`` per branch, for the branches ``branch_ids`` (a list or a query of ids): the kept
    figures when ``day`` is a kept day (or ``keep_day``: a reporting period's end, kept when first read), else one
    grouped query over the membership periods (the members alone: no breakdown is asked for, so no member record
    is read)."""
    if figures.reads_kept(day, keep_day):
        kept = figures.figures_on(branch_ids, day, keep_day=keep_day)
        return {branch: counts["now"] for branch, counts in kept.items()}
    return figures.members_by_branch(branch_ids, day)


def member_counts_on(day: datetime.date, unit: Unit) -> dict[int, int]:
    """Members on ``day`` per branch id under ``unit``."""
    return counts_by_branch_on(day, Unit.objects.filter(path__startswith=unit.path).values("pk"))


def has_more_periods(unit: Unit, limit: int) -> bool:
    """Whether ``unit``'s subtree holds more than ``limit`` membership periods: what a count over them would cost,
    found by reading at most ``limit`` + 1 of them."""
    periods = Membership.objects.filter(branch__path__startswith=unit.path).order_by().values("pk")[: limit + 1]
    return periods.count() > limit


def counts_at_year_ends(unit: Unit, years: list[int]) -> dict[int, int]:
    """Members of ``unit``'s subtree at the end of each year: the kept figures of the years that have ended
    (one read), one grouped query over the periods for the others."""
    ends = {year: datetime.date(year, 12, 31) for year in years}
    kept = [day for day in ends.values() if figures.enabled() and figures.is_kept_day(day)]
    result = {}
    if kept:
        read = figures.figures_on_days(Q(branch__path__startswith=unit.path), kept, breakdowns=(), events=())
        result = {day.year: sum(counts["now"] for counts in read[day].values()) for day in kept}
    live_years = [year for year in years if year not in result]
    if live_years:
        counts = {f"y{year}": Count("id", filter=membership_on_q(ends[year])) for year in live_years}
        row = Membership.objects.filter(branch__path__startswith=unit.path).aggregate(**counts)
        result.update({year: row[f"y{year}"] for year in live_years})
    return {year: result[year] for year in years}


@dataclass
class PeriodFigures:
    """What a report reads of the register for a span and the span before it: members of each branch at both
    ends (with their breakdowns) and the events of both spans by branch."""

    now: dict  # branch id -> Counter, at the span's end (branches of the tree then; or a commune for its branches)
    then: dict  # the same at the previous span's end (branches of the tree then)
    movements: list  # rows as ``movement_rows`` gives them
    # Unit id -> members at the span's end: of every branch, or (``by_branch`` false) of the units ``now`` holds,
    # a commune for its branches where its row stands for them.
    unit_members: dict
    held: dict = field(default_factory=dict)  # branch (or group) -> the commune whose rows stood for it


def period_figures(
    ids_now, ids_before, before: tuple, now: tuple, inside=None, units=None, by_branch: bool = True,
    communes_only: bool = False,
) -> PeriodFigures | None:  # fmt: skip
    """The figures table when the three days that bound the two spans are kept days (years and halves), else
    the membership periods and events (this year to date, any dates). ``inside``, if given, is the set of
    ``ids_now``: a move between two of them changes nothing at the top of the tree and may be left out.
    ``units``, if given (id -> level of every unit of both trees), lets communes' rows stand for their branches'
    (``figures.folded_on_days``): a report of a district or above then reads a row per commune. ``by_branch``:
    the members at the span's end are wanted branch by branch (a report that lists its branches).

    ``communes_only``: the caller read its trees down to the communes (``units`` and ``inside`` name no branch).
    Only the communes' rows are read (the caller checks that their ``held`` is every branch of its trees); None
    when the days are not kept, and the caller reads its trees whole and asks again."""
    day = datetime.timedelta(days=1)
    # The day before each span and its last day: three days when the spans follow each other (years, halves),
    # four when they do not (this year to a month's end against the same dates a year before).
    then_start, now_start = before[0] - day, now[0] - day
    bounds = sorted({then_start, before[1], now_start, now[1]})
    if figures.enabled() and all(figures.is_kept_day(d) for d in bounds):
        if communes_only:
            folded = figures.folded_on_days(ids_now, ids_before, bounds, None, by_branch)
            inside = figures.Within(inside, folded.held)
        else:
            folded = figures.folded_on_days(ids_now, ids_before, bounds, units, by_branch) if units else None
        if folded is not None:
            kept, held = folded.by_day, folded.held
        else:
            # Both trees' branches on those days, in one read; a branch of one tree only is skipped by the
            # report where it does not belong. The breakdowns are printed for the span's end only.
            where = Q(branch_id__in=either(ids_now, ids_before))
            kept, held = figures.figures_on_days(where, bounds, breakdowns=[now[1]]), {}
        at_end, then = kept[now[1]], kept[before[1]]
        movements = _kept_movements(at_end, kept[now_start], then, kept[then_start], inside or (), held)
        members = folded.branch_members if folded and by_branch else _members_of(at_end)
        return PeriodFigures(at_end, then, movements, members, held)
    if communes_only:
        return None
    at_end, then = member_figures(ids_now, ids_before, now[1], before[1])
    return PeriodFigures(at_end, then, list(movement_rows(ids_now, ids_before, before, now)), _members_of(at_end))


def _members_of(figures_by_branch: dict) -> dict[int, int]:
    return {branch: counts["now"] for branch, counts in figures_by_branch.items() if counts["now"]}


def _kept_movements(at_end: dict, at_start: dict, then: dict, then_start: dict, inside=(), covered=()) -> list[dict]:
    """``movement_rows`` from running totals of events (``figures.Counts.events``): a span's events are its end's
    totals less its start's."""
    found: dict[tuple, list[int]] = {}  # (branch, other branch, kind, reason) -> [now, before]
    for side, end, start in ((0, at_end, at_start), (1, then, then_start)):
        for branch, counts in end.items():
            base = start[branch].events if branch in start else _NONE
            branch_inside = branch in inside
            for key, n in counts.events.items():
                meaning = event_key(key)
                if meaning.is_move and (side or (branch_inside and meaning.other in inside)):
                    continue  # moves count for the span only (not compared with the one before), and across its edge
                if not (n := n - base.get(key, 0)):
                    continue
                if meaning.incoming:
                    # From a branch outside these figures (and the communes' rows): the move is seen only here.
                    if meaning.other in end or meaning.other in covered:
                        continue
                    row = (meaning.other, branch, EventKind.TRANSFERRED, "")
                else:
                    row = (branch, meaning.other, meaning.kind, meaning.reason)
                if (sums := found.get(row)) is None:
                    sums = found[row] = [0, 0]
                sums[side] += n
    return [
        {"branch_id": branch, "other_branch_id": other, "kind": kind, "reason": reason, "now": now, "before": before}
        for (branch, other, kind, reason), (now, before) in found.items()
    ]


_NONE: dict = {}


def member_figures(ids_now, ids_before, end: datetime.date, before_end: datetime.date):
    """The members of each branch on two dates (``ids_now``/``ids_before``: the branch ids of the tree as it
    stood on each) with the breakdowns the annual report prints (``members.figures``: kept figures on a month's
    last day, else the membership periods): the heaviest read of the report."""
    if figures.enabled() and (figures.is_kept_day(end) or figures.is_kept_day(before_end)):
        return figures.figures_on(ids_now, end), figures.figures_on(ids_before, before_end)
    # Neither day is kept: both in one pass over the periods.
    counted = figures.live(None, [end, before_end], where=Q(branch_id__in=either(ids_now, ids_before)))
    now = {branch: counts for (day, branch), counts in counted.items() if day == end}
    before = {branch: counts for (day, branch), counts in counted.items() if day == before_end}
    return now, before


# Ways of leaving the Union's register of a province.
LEAVING_KINDS = (EventKind.LEFT, EventKind.DIED, EventKind.TRANSFERRED_OUT)


def movement_rows(ids_now, ids_before, before: tuple, now: tuple):
    """Joinings, leavings (with their reason), deaths and transfers in two spans (``before`` and ``now``, each
    (start, end), the first ending before the second starts), by branch and other branch: the member events of
    the branches ``ids_now`` and ``ids_before`` (the tree as it stood at each span's end), one grouped query."""
    kinds = [EventKind.JOINED, EventKind.REJOINED, *LEAVING_KINDS, EventKind.TRANSFERRED]
    return (
        MemberEvent.objects.filter(occurred_on__gte=before[0], occurred_on__lte=now[1], kind__in=kinds)
        .filter(Q(branch_id__in=either(ids_now, ids_before)) | Q(other_branch_id__in=ids_now))
        .values("branch_id", "other_branch_id", "kind", "reason")
        .annotate(
            now=Count("id", filter=Q(occurred_on__gte=now[0])),
            before=Count("id", filter=Q(occurred_on__gte=before[0], occurred_on__lte=before[1])),
        )
        .order_by()
    )


def count_on(day: datetime.date, branch_ids, *, keep_day: bool = False) -> int:
    """Members on ``day`` in the branches ``branch_ids`` (a list or a query of ids: the tree as it stood)."""
    return sum(counts_by_branch_on(day, branch_ids, keep_day=keep_day).values())


def active_counts_by_child(unit: Unit) -> tuple[int, dict[int, int]]:
    """Active members in ``unit``'s subtree, in total and per direct child: one grouped query."""
    rows = Member.objects.active().in_subtree(unit).order_by().values("branch__path").annotate(n=Count("id"))
    total, per_child = 0, defaultdict(int)
    for row in rows:
        total += row["n"]
        parts = row["branch__path"].split(PATH_SEPARATOR)
        if len(parts) > unit.depth + 2:
            per_child[int(parts[unit.depth + 1])] += row["n"]
    return total, dict(per_child)


def holders_of(id_numbers) -> list[dict]:
    """The members who hold any of ``id_numbers`` (one each: a number has one holder), with their branch's name
    and path.

    On PostgreSQL one index look-up per number, whatever the planner believes of the register: a big import grows
    it within its own transaction, past what its statistics say, and a join would read it whole for each batch.
    """
    wanted = {number for number in id_numbers if number}
    if not wanted:
        return []
    if connection.vendor != "postgresql":
        first: dict[str, dict] = {}  # one holder a number, as on PostgreSQL
        for row in (
            Member.objects.filter(id_number__in=among(sorted(wanted)))
            .order_by("id_number", "id")
            .values(*_HOLDER_FIELDS)
        ):
            first.setdefault(row["id_number"], row)
        return list(first.values())
    # The numbers as one text that the database splits: an import asks for 10,000 at a time, and a list parameter
    # costs the asking thread a quoted literal per number. A number holding the separator (none that was cleaned
    # does) is sent as a list.
    joined = "\x1f".join(wanted)
    if joined.count("\x1f") == len(wanted) - 1:
        numbers, param = "unnest(string_to_array(%s, chr(31)))", joined
    else:
        numbers, param = "unnest(%s::varchar[])", list(wanted)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id_number, m.full_name, b.name, b.path FROM {numbers} AS w (id_number) "
            f"CROSS JOIN LATERAL (SELECT id_number, full_name, branch_id FROM {Member._meta.db_table} "
            'WHERE id_number = w.id_number COLLATE "C" LIMIT 1) m '
            f"JOIN {Unit._meta.db_table} b ON b.id = m.branch_id ORDER BY m.id_number",
            [param],
        )
        return [dict(zip(_HOLDER_FIELDS, row, strict=True)) for row in cursor.fetchall()]


_HOLDER_FIELDS = ("id_number", "full_name", "branch__name", "branch__path")  # in the order of the SQL above


def member_history(member: Member):
    return member.events.select_related("branch", "other_branch", "actor").order_by("occurred_on", "id")


def member_periods(member: Member):
    return member.memberships.select_related("branch", "branch__parent").order_by("started_on", "id")


def incoming_transfers(user):
    """Transfers waiting for one of the user's branches to accept them."""
    return (
        TransferRequest.objects.filter(status=RequestStatus.PENDING)
        .filter(scope_q(user, Action.ENTER, "to_branch__path"))
        .select_related("member", "from_branch", "from_branch__parent", "to_branch", "to_branch__parent")
        .order_by("created_at")
    )


def outgoing_transfers(user):
    return (
        TransferRequest.objects.filter(status=RequestStatus.PENDING)
        .filter(scope_q(user, Action.VIEW, "from_branch__path"))
        .select_related("member", "from_branch", "to_branch", "to_branch__parent")
        .order_by("created_at")
    )


@dataclass
class DuplicateGroup:
    """Records that look like the same woman; ``hidden`` counts those outside the user's units."""

    reason: str
    key: str
    members: list = field(default_factory=list)
    hidden: list = field(default_factory=list)


def duplicate_groups(user, limit: int = 200) -> list[DuplicateGroup]:
    """Suspected duplicates within the user's scope.

    Same ID number anywhere (a record in another unit is shown without personal
    details), or the same accent-folded name and birth date (or year) in the same commune.
    """
    scoped = Member.objects.for_user(user, Action.VIEW)
    groups: list[DuplicateGroup] = []

    # The records of her scope that share their number (``Member.shares_id``, kept by every writer of a number):
    # a few, read from their own index, however many numbers the country holds.
    shared_ids = list(
        scoped.filter(shares_id=True).order_by("id_number").values_list("id_number", flat=True).distinct()[:limit]
    )
    if shared_ids:
        by_id = defaultdict(list)
        for member in Member.objects.filter(id_number__in=shared_ids).select_related("branch", "branch__parent"):
            by_id[member.id_number].append(member)
        for id_number in shared_ids:
            group = DuplicateGroup(reason="id", key=id_number)
            for member in sorted(by_id[id_number], key=lambda m: m.pk):
                (group.members if can(user, Action.VIEW, member.branch) else group.hidden).append(member)
            # The number heads the group only for those who may see it on every record they are shown.
            if not all(may_see_personal(user, member.branch.path) for member in group.members):
                group.key = mask(id_number)
            groups.append(group)

    # Commune by commune: the database walks her scope's communes and stops at ``limit`` groups. In the order of
    # the name index alone it walked the whole country's names for a district's few (2.8 s at four provinces).
    # Her branches named by id as well, so that SQLite too reads her members by branch rather than every name of
    # the register (a commune's page 0.7 → 0.015 s on the demo province).
    same_name = (
        scoped.filter(branch_id__in=Unit.objects.for_user(user).values("pk"))
        .exclude(name_folded="")
        .values("name_folded", "birth_year", "branch__parent_id")
        .annotate(n=Count("id"), ids=Ids("id"))
        .filter(n__gt=1)
        .order_by("branch__parent_id", "name_folded", "birth_year")[:limit]
    )
    group_ids = [ids_of(row["ids"]) for row in same_name]
    if group_ids:
        # Fetched by id: a condition per group made the planner walk the country (4.4 s for the national user).
        found = scoped.filter(pk__in=among([pk for ids in group_ids for pk in ids]))
        by_pk = found.select_related("branch", "branch__parent").in_bulk()
        seen_pairs = {frozenset(m.pk for m in g.members) for g in groups}
        for ids in group_ids:
            members = [by_pk[pk] for pk in sorted(ids) if pk in by_pk]
            for cluster in _birth_clusters(members):
                if len(cluster) > 1 and frozenset(m.pk for m in cluster) not in seen_pairs:
                    groups.append(DuplicateGroup(reason="name", key=cluster[0].full_name, members=cluster))
    return groups


def _birth_clusters(members: list[Member]) -> list[list[Member]]:
    """Split records of one name and year by full birth date; a record with only the year fits every date."""
    dates = sorted({m.date_of_birth for m in members if m.date_of_birth})
    undated = [m for m in members if not m.date_of_birth]
    if len(dates) <= 1:
        return [members]
    return [[m for m in members if m.date_of_birth == day] + undated for day in dates]


def pending_merges(user):
    return (
        MergeRequest.objects.filter(status=RequestStatus.PENDING)
        .filter(scope_q(user, Action.ENTER, "keep__branch__path") | scope_q(user, Action.ENTER, "drop__branch__path"))
        .select_related("keep", "keep__branch", "drop", "drop__branch", "requested_by")
    )


EXPORT_FIELDS = (
    "id", "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "old_id_number", "phone",
    "address", "education", "qualification", "occupation", "joined_on", "card_number", "is_core", "special_groups",
    "status", "left_on", "branch__name", "branch__parent__name", "branch__path",
)  # fmt: skip


def export_rows(members, chunk_size: int = 5000):
    """Plain dicts, one per member, streamed from the database in chunks (memory stays flat)."""
    return members.order_by("branch__path", "sort_key", "id").values(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)


# The numbers masked for those who do not keep the register, in every export (app, admin, printed list).
PERSONAL_FIELDS = ("id_number", "old_id_number", "phone")


def masked_rows(rows, user):
    """Export rows with citizen IDs and phones masked where the user does not keep the register."""
    for row in rows:
        if not may_see_personal(user, row["branch__path"]):
            for name in PERSONAL_FIELDS:
                row[name] = mask(row[name])
        yield row


def recent_events(unit: Unit, limit: int = 10):
    return (
        MemberEvent.objects.filter(branch__path__startswith=unit.path)
        .select_related("member", "branch")
        .order_by("-occurred_on", "-id")[:limit]
    )


def member_data(member: Member) -> dict:
    """Her record, her stretches in branches, her events and every past version of her record."""
    profile = {
        f.name: getattr(member, f.attname)
        for f in Member._meta.concrete_fields
        if f.name not in ("name_folded", "sort_key")
    }
    return {
        "member": _plain(profile),
        "branch": member.branch.name,
        "memberships": [
            _plain({"branch": p.branch.name, "from": p.started_on, "to": p.ended_on})
            for p in member.memberships.select_related("branch").order_by("started_on")
        ],
        "events": [
            _plain({"event": e.get_kind_display(), "on": e.occurred_on, "note": e.note})
            for e in member.events.order_by("occurred_on", "id")
        ],
        "versions": [
            _plain({"at": h.history_date, "full_name": h.full_name, "id_number": h.id_number, "phone": h.phone,
                    "address": h.address})
            for h in member.history.order_by("history_date")
        ],
    }  # fmt: skip


def _plain(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
