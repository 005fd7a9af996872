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
from functools import reduce
from operator import or_

import orjson
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Min, Q, TextField, Value, When
from django.utils import timezone

from .constants import AGE_BANDS, EventKind, SpecialGroup
from .models import FigureDay, MemberEvent, MemberFigure, Membership, membership_on_q

DAYS_PER_QUERY = 6  # kept days counted by one grouped query (each day adds a score of aggregates)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def is_kept_day(day: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether ``day``'s figures are kept: the last day of a month that has come."""
    return day == month_end(day) and day <= (today or timezone.localdate())


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


def figures_on(branch_ids, day: datetime.date) -> dict[int, Counter]:
    """Branch id -> its member counts on ``day`` (branches with no member on that day are left out)."""
    if not (enabled() and is_kept_day(day)):
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
    missing = set(days) - set(FigureDay.objects.filter(day__in=days).values_list("day", flat=True))
    for day in sorted(missing):
        _build_day(day)
    rows = MemberFigure.objects.filter(where, day__in=days)
    if missing:
        rows = rows.using("default")  # where they were just written (a read replica may not have them yet)
    result: dict[datetime.date, dict[int, Counts]] = {day: {} for day in days}
    parts = (_part("counts", days, breakdowns), _part("events", days, events))
    for day, branch, members, counts, events in rows.values_list("day", "branch_id", "members", *parts):
        kept = Counts(orjson.loads(counts)) if counts else Counts()
        if members:
            kept["now"] = members
        kept.events = orjson.loads(events) if events else {}
        result[day][branch] = kept
    return result


def _part(name: str, days, wanted):
    """Column ``name`` on the days ``wanted`` (all: None), else nothing: the database does not even send it."""
    if wanted is None or set(days) <= set(wanted):
        return F(name)
    if not wanted:
        return Value("", output_field=TextField())
    return Case(When(day__in=list(wanted), then=F(name)), default=Value(""), output_field=TextField())


class Counts(dict):
    """A kept row's member counts: a missing count is 0, as in a ``Counter`` (which costs far more to build).
    ``events`` holds the running totals of events apart (``ev|…`` and ``in|…`` keys): few readers want them."""

    events: dict

    def __missing__(self, key) -> int:
        return 0


def _build_day(day: datetime.date) -> None:
    """Keep ``day``'s figures for every branch (unless another process has just kept them)."""
    with contextlib.suppress(IntegrityError), transaction.atomic():
        FigureDay.objects.create(day=day)
        _store(live(_all_branches(), [day]))


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
    days = FigureDay.objects.order_by("day")
    if since is not None:
        days = days.filter(day__gte=since)
    days = list(days.values_list("day", flat=True))
    if not days:
        return
    counted = live(sorted(branch_ids), days)
    MemberFigure.objects.filter(day__in=days, branch_id__in=sorted(branch_ids)).delete()
    _store(counted)


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
    """Count every kept day again from the membership periods (all branches); returns how many rows."""
    days = kept_days() if days is None else days
    MemberFigure.objects.all().delete()
    FigureDay.objects.all().delete()
    FigureDay.objects.bulk_create([FigureDay(day=day) for day in days])
    rows = 0
    for start in range(0, len(days), DAYS_PER_QUERY):
        chunk = days[start : start + DAYS_PER_QUERY]
        counted = live(_all_branches(), chunk)
        _store(counted)
        rows += len(counted)
        if progress:
            progress(min(len(days), start + DAYS_PER_QUERY), len(days))
    return rows


def check(days: list[datetime.date] | None = None) -> list[tuple[datetime.date, int, dict, dict]]:
    """(day, branch, kept, live) of every kept figure that differs from the live count."""
    days = list(FigureDay.objects.order_by("day").values_list("day", flat=True)) if days is None else days
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
                differences.append((key[0], key[1], dict(here), dict(there)))
    return sorted(differences, key=lambda d: (d[0], d[1]))
