"""The figures table: members of each branch on each kept day (a month's last day), with the breakdowns the
annual report prints, so that a report's member figures cost the number of branches, not of members.

- ``figures_on(branch_ids, day)`` is what reports read: the kept figures when ``day`` is a kept day (built from
  the membership periods the first time a report asks for it), else the live count, in the same shape.
- ``changed(branch_ids, since)`` is what the register's services call, in their own transaction, after they
  write membership periods or the counted fields of a member: the kept days from ``since`` on are counted again
  for those branches. A late correction (a joining date moved back a year) thus changes the past figures, as
  the live count would.
- ``rebuild()`` counts every kept day again from scratch; ``check()`` compares the table with the live count
  (``manage.py rebuild_figures``).

As-of semantics are the membership periods' (``membership_on_q``); the tree a report folds the branches into is
the report's business (the tree as it stood), so reorganisations change nothing here.
"""

import contextlib
import contextvars
import datetime
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple

import orjson
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, Min, Q, TextField, Value, When
from django.utils import timezone

from branches.constants import Level
from branches.models import PATH_SEPARATOR, Unit, UnitPeriod, alive_on, path_ids
from common.bulk import among

from .constants import AGE_BANDS, EventKind, SpecialGroup
from .models import CommuneFigure, FigureDay, MemberEvent, MemberFigure, Membership, membership_on_q

DAYS_PER_QUERY = 6  # kept days counted by one grouped query (each day adds a score of aggregates)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def last_kept_month_end(today: datetime.date) -> datetime.date:
    """The latest month's last day that has come: today on a month's last day, else the end of last month."""
    return today if month_end(today) == today else today.replace(day=1) - datetime.timedelta(days=1)


def is_kept_day(day: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether ``day``'s figures are kept: the last day of a month that has come."""
    return day == month_end(day) and day <= (today or timezone.localdate())


def reads_kept(day: datetime.date, keep_day: bool = False) -> bool:
    """Whether a read of ``day`` goes to the figures table: a kept day, or (``keep_day``) any day that has come, kept
    when first read (a reporting period's end)."""
    return enabled() and (is_kept_day(day) or keep_day and day <= timezone.localdate())


def enabled() -> bool:
    return getattr(settings, "MEMBER_FIGURES_TABLE", True)


# --- Counting from the membership periods --------------------------------------------------------


def live(
    branch_ids, days: list[datetime.date], where: Q | None = None, events: bool = True
) -> dict[tuple[datetime.date, int], Counter]:
    """(day, branch id) -> the counts of that branch on that day, from the membership periods: one grouped query
    per few days (``branch_ids``: a list, a set or a query of ids; or ``where``, a condition on the periods)."""
    result: dict[tuple[datetime.date, int], Counter] = {}
    if isinstance(branch_ids, set | frozenset):
        branch_ids = list(branch_ids)
    periods = Membership.objects.filter(where if where is not None else Q(branch_id__in=branch_ids))
    for start in range(0, len(days), DAYS_PER_QUERY):
        chunk = days[start : start + DAYS_PER_QUERY]
        counts = {}
        for index, day in enumerate(chunk):
            on = membership_on_q(day)
            counts[f"d{index}_now"] = Count("id", filter=on)
            counts[f"d{index}_core"] = Count("id", filter=on & Q(member__is_core=True))
            for number, (low, high) in enumerate(AGE_BANDS.values()):
                born = Q(member__birth_year__gte=day.year - high, member__birth_year__lte=day.year - low)
                counts[f"d{index}_age{number}"] = Count("id", filter=on & born)
            for number, group in enumerate(SpecialGroup):
                counts[f"d{index}_group{number}"] = Count(
                    "id", filter=on & Q(member__special_groups__contains=f",{group},")
                )
        rows = (
            periods.filter(reduce(or_, (membership_on_q(day) for day in chunk)))
            .values("branch_id", "member__ethnicity", "member__religion")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            for index, day in enumerate(chunk):
                n = row[f"d{index}_now"]
                if not n:
                    continue
                figure = result.setdefault((day, row["branch_id"]), Counter())
                figure["now"] += n
                figure["core"] += row[f"d{index}_core"]
                for number, band in enumerate(AGE_BANDS):
                    figure[f"age:{band}"] += row[f"d{index}_age{number}"]
                for number, group in enumerate(SpecialGroup):
                    figure[f"group:{group.value}"] += row[f"d{index}_group{number}"]
                figure[f"ethnicity:{row['member__ethnicity']}"] += n
                if row["member__religion"]:
                    figure[f"religion:{row['member__religion']}"] += n
        if events and where is None:
            _events(branch_ids, chunk, result)
    return result


# The events a report counts (joinings, leavings by reason, deaths, moves out of the register, transfers).
EVENT_KINDS = (
    EventKind.JOINED, EventKind.REJOINED, EventKind.LEFT, EventKind.DIED, EventKind.TRANSFERRED_OUT,
    EventKind.TRANSFERRED,
)  # fmt: skip


def _events(branch_ids, days: list[datetime.date], result: dict) -> None:
    """Events up to each day (running totals, so a span's events are two kept days apart): on the branch they
    happened in, ``ev|<kind>|<reason>|<other branch>``; a transfer also on the branch she went to,
    ``in|<branch she came from>``."""
    counts = {f"d{index}": Count("id", filter=Q(occurred_on__lte=day)) for index, day in enumerate(days)}
    rows = (
        MemberEvent.objects.filter(kind__in=EVENT_KINDS, occurred_on__lte=max(days))
        .filter(Q(branch_id__in=branch_ids) | Q(other_branch_id__in=branch_ids, kind=EventKind.TRANSFERRED))
        .values("branch_id", "other_branch_id", "kind", "reason")
        .annotate(**counts)
        .order_by()
    )
    wanted = None if hasattr(branch_ids, "query") else set(branch_ids)
    for row in rows:
        branch, other = row["branch_id"], row["other_branch_id"]
        for index, day in enumerate(days):
            n = row[f"d{index}"]
            if not n:
                continue
            if branch is not None and (wanted is None or branch in wanted):
                key = f"ev|{row['kind']}|{row['reason']}|{other or ''}"
                result.setdefault((day, branch), Counter())[key] += n
            moved = row["kind"] == EventKind.TRANSFERRED and branch is not None and other is not None
            if moved and (wanted is None or other in wanted):
                result.setdefault((day, other), Counter())[f"in|{branch}"] += n


# --- Reading --------------------------------------------------------------------------------------


def members_by_branch(branch_ids, day: datetime.date) -> dict[int, int]:
    """Branch id -> its members on ``day``: what ``live`` counts as "now", without the breakdowns (which join every
    member's record): a commune's rate, a period report's total."""
    rows = (
        Membership.objects.filter(membership_on_q(day), branch_id__in=branch_ids)
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def figures_on(branch_ids, day: datetime.date, *, keep_day: bool = False) -> dict[int, Counter]:
    """Branch id -> its member counts on ``day`` (branches with no member on that day are left out). ``keep_day``:
    keep ``day`` even if it is not a month's end (a reporting period's end that has come), and read it kept."""
    if not reads_kept(day, keep_day):
        return {branch: counts for (_day, branch), counts in live(branch_ids, [day], events=False).items()}
    kept = figures_on_days(Q(branch_id__in=branch_ids), [day], events=())[day]
    return {branch: counts for branch, counts in kept.items() if counts["now"]}


def figures_on_days(
    where: Q, days: list[datetime.date], *, breakdowns=None, events=None
) -> dict[datetime.date, dict[int, "Counts"]]:
    """Day -> branch id -> counts, for kept ``days`` (each kept first if need be) and the branches ``where``
    (a condition on the figures, e.g. on ``branch_id``): one query for all the days. Every day has "now"; only
    the days in ``breakdowns`` have the breakdowns, only those in ``events`` the running totals of events
    (both: every day by default), so that a report reads no more than it folds."""
    rows = MemberFigure.objects.filter(where, day__in=days)
    if keep(days):
        rows = rows.using("default")  # where they were just written (a read replica may not have them yet)
    result: dict[datetime.date, dict[int, Counts]] = {day: {} for day in days}
    parts = (_part("counts", days, breakdowns), _part("events", days, events))
    for day, branch, members, counts, events in rows.values_list("day", "branch_id", "members", *parts):
        result[day][branch] = _decoded(members, counts, events)
    return result


def _decoded(members: int, counts: str, events: str) -> "Counts":
    kept = Counts(orjson.loads(counts)) if counts else Counts()
    if members:
        kept["now"] = members
    kept.events = orjson.loads(events) if events else {}
    return kept


class FiguresNotReady(Exception):
    """Days a read needs are not kept yet, and counting them is more than a web request may wait for."""

    def __init__(self, days: Iterable[datetime.date]):
        self.days = sorted(days)
        super().__init__(", ".join(day.isoformat() for day in self.days))


_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("figures_in_request", default=False)


@contextlib.contextmanager
def in_request():
    """Inside it (a web request), a day not kept yet is counted there and then only while the register is small
    (``FIGURES_INLINE_MAX_PERIODS`` membership periods: a province's count takes a second or two a day, the
    country's about a minute); beyond, ``FiguresNotReady`` is raised and the worker keeps the day."""
    token = _in_request.set(True)
    try:
        yield
    finally:
        _in_request.reset(token)


def keep(days: Iterable[datetime.date]) -> bool:
    """Keep those of ``days`` that are not kept yet; whether there were any. Every read of kept days asks it
    first, and the worker's task (``members.tasks.keep_figure_days``) for the days a request could not wait for:
    in a request (``in_request``) a large register raises ``FiguresNotReady`` instead of counting."""
    days = set(days)
    missing = sorted(days - set(FigureDay.objects.filter(day__in=days).values_list("day", flat=True)))
    if not missing:
        return False
    if _in_request.get() and _periods() > settings.FIGURES_INLINE_MAX_PERIODS:
        raise FiguresNotReady(missing)
    for start in range(0, len(missing), DAYS_PER_QUERY):
        _build_days(missing[start : start + DAYS_PER_QUERY])
    return True


def _periods() -> int:
    """About how many membership periods a day's count goes through: PostgreSQL's own estimate (no count of
    millions of rows in a request), else a count."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Membership._meta.db_table])
            row = cursor.fetchone()
        if row and row[0] >= 0:  # -1: never analysed
            return int(row[0])
    return Membership.objects.count()


def _part(name: str, days, wanted):
    """Column ``name`` on the days ``wanted`` (all: None), else nothing: the database does not even send it."""
    if wanted is None or set(days) <= set(wanted):
        return F(name)
    if not wanted:
        return Value("", output_field=TextField())
    return Case(When(day__in=list(wanted), then=F(name)), default=Value(""), output_field=TextField())


@dataclass
class Folded:
    """Kept figures on some days with the communes' rows standing in for their branches' where they can: day ->
    unit id (a commune, or a branch read on its own) -> counts; ``held``, each branch (or group) the communes'
    rows stand for -> its commune; ``branch_members``, the members of every branch on the last day (for the
    lines per unit), when asked for."""

    by_day: dict[datetime.date, dict[int, "Counts"]]
    held: dict[int, int]
    branch_members: dict[int, int]

    @property
    def covered(self):
        """The branches the communes' rows stand for."""
        return self.held.keys()


class Within:
    """Units read down to the communes: ``nodes`` (unit ids, or a mapping by unit id) and, inside them too, the
    branches and groups the communes' rows of the figures table stand for (``held``: unit id -> its commune, as
    ``Folded.held`` gives it)."""

    __slots__ = ("nodes", "held")

    def __init__(self, nodes, held: dict[int, int]):
        self.nodes, self.held = nodes, held

    def __contains__(self, unit_id) -> bool:
        return unit_id in self.nodes or self.held.get(unit_id) in self.nodes


def folded_on_days(
    ids_now, ids_before, days: list[datetime.date], units: dict[int, str] | None, by_branch: bool = True
) -> Folded | None:
    """``figures_on_days`` for the branches ``ids_now`` and ``ids_before`` (queries of ids; ``units``: id -> level
    of every unit of both trees), reading a commune's row instead of its branches' when it held the same branches
    on every one of ``days`` (the breakdowns of the last day only). None when the communes' rows would not spare
    much (most communes changed in the span: a reform year), and the caller reads branch by branch.

    ``units`` None: the caller read its trees down to the communes only, and knows no branch. Every valid
    commune's row is used and no branch is read on its own: the caller checks that ``held`` is all its branches."""
    last = max(days)
    rows = CommuneFigure.objects.filter(Q(commune_id__in=ids_now) | Q(commune_id__in=ids_before), day__in=days)
    if keep(days):
        rows = rows.using("default")
    parts = (_part("counts", days, [last]), "events", "units")
    found: dict[int, dict] = {}
    for day, commune, members, counts, events, held in rows.values_list("day", "commune_id", "members", *parts):
        found.setdefault(commune, {})[day] = (members, counts, events, held)
    # Only a commune that held the same branches on every day: its running totals can be subtracted.
    valid = {c: seen for c, seen in found.items() if len(seen) == len(days) and len({r[3] for r in seen.values()}) == 1}
    held = {}
    for commune, seen in valid.items():
        if listed := next(iter(seen.values()))[3]:
            held.update(dict.fromkeys(map(int, listed.split(",")), commune))
    alone = [pk for pk, level in units.items() if level in MEMBER_LEVELS and pk not in held] if units else []
    if len(alone) * 2 > len(held) + len(alone):
        return None
    by_day: dict[datetime.date, dict[int, Counts]] = {day: {} for day in days}
    for commune, seen in valid.items():
        for day, (members, counts, events, _held) in seen.items():
            by_day[day][commune] = _decoded(members, counts, events)
    if alone:
        for day, branches in figures_on_days(Q(branch_id__in=among(alone)), days, breakdowns=[last]).items():
            by_day[day].update(branches)
    if not by_branch:
        return Folded(by_day, held, {})
    members = MemberFigure.objects.filter(branch_id__in=ids_now, day=last, members__gt=0)
    branch_members = dict(members.using(rows.db).values_list("branch_id", "members"))
    return Folded(by_day, held, branch_members)


class Counts(dict):
    """A kept row's member counts: a missing count is 0, as in a ``Counter`` (which costs far more to build).
    ``events`` holds the running totals of events apart (``ev|…`` and ``in|…`` keys): few readers want them."""

    events: dict

    def __missing__(self, key) -> int:
        return 0


def _build_days(days: list[datetime.date]) -> None:
    """Keep the figures of ``days`` for every branch, counted together (one pass over the periods costs less than
    one a day). When another process is keeping some of them at the same time, each day alone: those it kept
    are left as they are."""
    try:
        with transaction.atomic():
            FigureDay.objects.bulk_create([FigureDay(day=day) for day in days])
            _store(live(_all_branches(), days))
            fold(days)
    except IntegrityError:
        if len(days) > 1:
            for day in days:
                _build_days([day])


def _all_branches():
    return Membership.objects.order_by().values("branch_id").distinct()


def _store(counted: dict[tuple[datetime.date, int], Counter]) -> None:
    MemberFigure.objects.bulk_create([_row(day, branch, counts) for (day, branch), counts in counted.items()],
                                     batch_size=2000)  # fmt: skip


def _row(day: datetime.date, branch: int, counts: Counter) -> MemberFigure:
    breakdowns, events = {}, {}
    for key, n in counts.items():
        if key != "now":
            (events if key.startswith(EVENT_PREFIXES) else breakdowns)[key] = n
    return MemberFigure(
        day=day, branch_id=branch, members=counts.get("now", 0), counts=orjson.dumps(breakdowns).decode(),
        events=orjson.dumps(events).decode(),
    )  # fmt: skip


EVENT_PREFIXES = ("ev|", "in|")


class EventKey(NamedTuple):
    """What a running total's key says (the keys ``_events`` writes): ``ev|<kind>|<reason>|<other branch>`` on the
    branch where it happened, ``in|<branch she came from>`` on the branch a move went to."""

    incoming: bool
    other: int | None
    kind: str
    reason: str
    is_move: bool  # a move between two branches (a field, not a property: read for every key of every row)


@lru_cache(maxsize=8192)  # a score of keys recur in every row a report or a fold reads
def event_key(key: str) -> EventKey:
    if key.startswith(EVENT_PREFIXES[1]):
        return EventKey(True, int(key.removeprefix(EVENT_PREFIXES[1])), EventKind.TRANSFERRED, "", True)
    _ev, kind, reason, other = key.split("|")
    return EventKey(False, int(other) if other else None, kind, reason, kind == EventKind.TRANSFERRED)


# --- Keeping it right -----------------------------------------------------------------------------


@dataclass
class _Pending:
    branches: set = field(default_factory=set)
    since: datetime.date | None = None
    everything: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, branch_ids: Iterable[int], since: datetime.date | None) -> None:
        with self.lock:
            self.branches.update(branch_ids)
            if since is None:
                self.everything = True
            elif self.since is None or since < self.since:
                self.since = since


_pending: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar("figures_pending", default=None)


@contextlib.contextmanager
def deferred():
    """Inside it, ``changed`` only notes what changed; the kept days are counted again once, at the end (an
    import writes in many batches, perhaps from a writing thread that runs in a copy of this context)."""
    if _pending.get() is not None:
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending.branches:
        _refresh(pending.branches, None if pending.everything else pending.since)


def changed(branch_ids: Iterable[int], since: datetime.date | None) -> None:
    """Membership periods of ``branch_ids`` (or the counted fields of their members) changed from ``since`` on
    (None: at any time): count their kept days from then on again, in the caller's transaction."""
    branch_ids = {pk for pk in branch_ids if pk is not None}
    if not branch_ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending.add(branch_ids, since)
        return
    _refresh(branch_ids, since)


def member_changed(member_ids: Iterable[int], since: datetime.date | None = None) -> None:
    """The counted fields (birth year, ethnicity, religion, core, groups) of members changed: every kept day of
    every branch they were in is counted again (from ``since``, the earliest day a period of theirs moved)."""
    member_ids = list(member_ids)
    if not member_ids or not enabled() or not FigureDay.objects.exists():
        return
    periods = Membership.objects.filter(member_id__in=member_ids)
    earliest = periods.aggregate(first=Min("started_on"))["first"]
    if since is not None and (earliest is None or since < earliest):
        earliest = since
    changed(set(periods.values_list("branch_id", flat=True)), earliest)


def _refresh(branch_ids: set[int], since: datetime.date | None) -> None:
    if not enabled():
        return
    days = _kept_since(since)
    if not days:
        return
    counted = live(sorted(branch_ids), days)
    MemberFigure.objects.filter(day__in=days, branch_id__in=sorted(branch_ids)).delete()
    _store(counted)
    fold(days, communes=communes_of(branch_ids))


# --- Communes: the branches' rows summed -----------------------------------------------------------

MEMBER_LEVELS = (Level.BRANCH, Level.GROUP)  # the units members belong to


def communes_of(unit_ids: Iterable[int]) -> set[int]:
    """Every commune any of ``unit_ids`` (branches or groups) has ever been under: the communes whose kept rows
    a change of theirs touches, whatever the day."""
    paths = UnitPeriod.objects.filter(unit_id__in=list(unit_ids)).values_list("path", flat=True)
    ancestors = {pk for path in paths for pk in path_ids(path)}
    return set(UnitPeriod.objects.filter(unit_id__in=ancestors, level=Level.COMMUNE).values_list("unit_id", flat=True))


def fold(days: list[datetime.date], communes: set[int] | None = None) -> None:
    """Keep the rows of ``communes`` (None: every commune) on kept ``days``: each the sum of the rows of the
    branches and groups under it that day. The register's writers reach it through ``changed``, a
    reorganisation through ``tree_changed``; a commune's rows are rewritten under a lock on the commune, so two
    writers in one commune never sum each other's rows half-written."""
    if not enabled() or not days or communes is not None and not communes:
        return
    with transaction.atomic():
        if communes is not None:
            # No key update: rows that merely point at the commune (a supervision record) are not held up.
            locked = Unit.objects.select_for_update(no_key=True).filter(pk__in=sorted(communes))
            list(locked.order_by("pk").values("pk"))
        folded = _folded(sorted(days), communes)
        stale = CommuneFigure.objects.filter(day__in=days)
        if communes is not None:
            stale = stale.filter(commune_id__in=sorted(communes))
        stale.delete()
        CommuneFigure.objects.bulk_create(folded, batch_size=2000)


def _folded(days: list[datetime.date], communes: set[int] | None) -> list[CommuneFigure]:
    """The rows ``fold`` keeps, summed from the branches' kept rows."""
    periods = UnitPeriod.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=days[-1]))
    periods = periods.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=days[0]))
    if communes is not None:
        under = reduce(or_, (Q(path__contains=f"{PATH_SEPARATOR}{pk}{PATH_SEPARATOR}") for pk in communes))
        periods = periods.filter(Q(unit_id__in=communes) | under)
    # Each path parsed once, whatever the number of days (a rebuild folds the country's units six days at a time).
    stood = periods.values_list("unit_id", "level", "path", "valid_from", "valid_to")
    periods = [(unit_id, level, path_ids(path)[::-1], start, end) for unit_id, level, path, start, end in stood]
    layout: dict[tuple[datetime.date, int], list[int]] = {}  # (day, commune) -> the units under it that day
    for day in days:
        alive = [p for p in periods if alive_on(p[3], p[4], day)]
        here = {p[0] for p in alive if p[1] == Level.COMMUNE and (communes is None or p[0] in communes)}
        for commune in here:
            layout[(day, commune)] = []
        for unit_id, level, upwards, _start, _end in alive:
            if level in MEMBER_LEVELS:
                commune = next((pk for pk in upwards if pk in here), None)
                if commune is not None:
                    layout[(day, commune)].append(unit_id)
    rows = MemberFigure.objects.filter(day__in=days)
    if communes is not None:
        rows = rows.filter(branch_id__in=among(sorted({unit for units in layout.values() for unit in units})))
    by_unit = {
        (day, branch): (n, counts, events)
        for day, branch, n, counts, events in rows.values_list("day", "branch_id", "members", "counts", "events")
    }
    folded = []
    for (day, commune), units in layout.items():
        inside = set(units)
        total, counts, events = 0, Counter(), Counter()
        for unit in units:
            row = by_unit.get((day, unit))
            if row is None:
                continue
            total += row[0]
            counts.update(orjson.loads(row[1]))
            for key, n in orjson.loads(row[2]).items():
                meaning = event_key(key)
                if meaning.is_move and meaning.other in inside:
                    continue  # a move between two of its own branches: nothing at the commune or above
                events[key] += n
        folded.append(
            CommuneFigure(
                day=day, commune_id=commune, members=total, counts=orjson.dumps(counts).decode(),
                events=orjson.dumps(events).decode(), units=",".join(map(str, sorted(units))),
            )
        )  # fmt: skip
    return folded


def tree_changed(units: Iterable[Unit], since: datetime.date | None) -> None:
    """Units moved or were dissolved from ``since`` on (a reorganisation): the communes they were or are now in
    lose or gain branches, so their kept rows from then on are summed again."""
    if not enabled() or not FigureDay.objects.exists():
        return
    units = list(units)
    affected = {unit.pk for unit in units if unit.level == Level.COMMUNE}
    moved = [unit.pk for unit in units if unit.level in MEMBER_LEVELS]
    if moved:
        affected |= communes_of(moved)
    fold(_kept_since(since), communes=affected)


def _kept_since(since: datetime.date | None) -> list[datetime.date]:
    """The kept days from ``since`` on (None: all of them), in order."""
    days = FigureDay.objects.order_by("day")
    if since is not None:
        days = days.filter(day__gte=since)
    return list(days.values_list("day", flat=True))


# --- Rebuilding and checking --------------------------------------------------------------------------


def kept_days(today: datetime.date | None = None) -> list[datetime.date]:
    """Every month's last day from the first membership to the last month that has ended."""
    today = today or timezone.localdate()
    first = Membership.objects.aggregate(first=Min("started_on"))["first"]
    if first is None:
        return []
    days, day = [], month_end(first)
    while day <= today:
        days.append(day)
        day = month_end(day + datetime.timedelta(days=1))
    return days


@transaction.atomic
def rebuild(days: list[datetime.date] | None = None, progress=None) -> int:
    """Count every kept day again from the membership periods (all branches); returns how many rows. By default
    every month's end and every other day kept so far (reporting periods' ends)."""
    if days is None:
        today = timezone.localdate()
        days = sorted(set(kept_days(today)) | {day for day in _kept_since(None) if day <= today})
    CommuneFigure.objects.all().delete()
    MemberFigure.objects.all().delete()
    FigureDay.objects.all().delete()
    FigureDay.objects.bulk_create([FigureDay(day=day) for day in days])
    rows = 0
    for start in range(0, len(days), DAYS_PER_QUERY):
        chunk = days[start : start + DAYS_PER_QUERY]
        counted = live(_all_branches(), chunk)
        _store(counted)
        fold(chunk)
        rows += len(counted)
        if progress:
            progress(min(len(days), start + DAYS_PER_QUERY), len(days))
    return rows


def check(days: list[datetime.date] | None = None) -> list[tuple[datetime.date, int, dict, dict, str]]:
    """(day, branch, kept, live, "branch") of every kept figure that differs from the live count, and (day,
    commune, kept, summed, "commune") of every commune's row that differs from the sum of its branches' rows."""
    days = _kept_since(None) if days is None else days
    differences = []
    for start in range(0, len(days), DAYS_PER_QUERY):
        chunk = days[start : start + DAYS_PER_QUERY]
        counted = live(_all_branches(), chunk)
        read = figures_on_days(Q(), chunk)
        kept = {
            (day, branch): Counter(counts) + Counter(counts.events)
            for day, rows in read.items()
            for branch, counts in rows.items()
        }
        for key in set(counted) | set(kept):
            here, there = +kept.get(key, Counter()), +counted.get(key, Counter())
            if here != there:
                differences.append((key[0], key[1], dict(here), dict(there), "branch"))
        differences += _check_communes(chunk)  # a few days at a time: the country's rows are many
    return sorted(differences, key=lambda d: (d[0], d[1]))


def _check_communes(days: list[datetime.date]) -> list[tuple[datetime.date, int, dict, dict, str]]:
    def plain(row) -> dict:
        return {"members": row.members, "counts": orjson.loads(row.counts), "events": orjson.loads(row.events),
                "units": row.units}  # fmt: skip

    summed = {(row.day, row.commune_id): plain(row) for row in _folded(sorted(days), None)}
    kept = {(row.day, row.commune_id): plain(row) for row in CommuneFigure.objects.filter(day__in=days)}
    return [
        (key[0], key[1], kept.get(key, {}), summed.get(key, {}), "commune")
        for key in set(summed) | set(kept)
        if kept.get(key) != summed.get(key)
    ]
