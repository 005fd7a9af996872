"""The roll-up engine behind every report screen, the printed report and the dashboard.

``build(unit, span)`` computes every figure of the report for ``unit``'s subtree
as the tree stood at the span's end (a 2024 report groups by the old districts,
a 2025 report by the new structure), each with the previous span's figure.
Members come from the figures table per branch or commune, folded over the as-of
tree; every other record is summed by the database per line (the unit directly
below the root on the record's unit's path as it stood) and level, so a national
report reads a row per province and figure, and the number of queries does not
depend on the size of the tree.
"""

import datetime
import decimal
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from branches.constants import LEVEL_ORDER, Level, UnitType
from branches.constants import EventKind as UnitEventKind
from branches.grouping import BY, ByLevel, ByLine
from branches.models import ReorgEvent, Unit, UnitPeriod, UnitPopulation, alive_on, alive_on_q
from branches.records import provinces_holding
from cadres import selectors as cadre_selectors
from cadres.models import Classification, Grade, Position
from common.bulk import among, either
from common.collation import vi_key
from common.params import year_range
from members import selectors as member_selectors
from members.constants import AGE_BANDS, MAJORITY_ETHNICITY, EventKind, LeaveReason, SpecialGroup
from members.figures import Within, last_kept_month_end
from programmes.selectors import is_money
from supervision import selectors as supervision
from supervision.constants import ContributionKind, OpinionField, OpinionOutcome, ReviewKind, Source, SupervisionKind

from ..constants import Measure, TargetSpan
from ..models import Indicator
from . import programmes as programme_figures
from . import target_achievements
from .indicators import IndicatorFigures, indicator_figures, periods_of

HUNDRED = decimal.Decimal(100)
CENT = decimal.Decimal("0.01")
RATE_FLOOR = 50  # the Union's target: every commune gathers more than half of its women


# --- Spans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The dates a report covers, both included."""

    kind: str  # year, half, term or custom
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Span":
        return cls("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> "Span":
        if half == 1:
            return cls("half", datetime.date(year, 1, 1), datetime.date(year, 6, 30))
        return cls("half", datetime.date(year, 7, 1), datetime.date(year, 12, 31))

    @classmethod
    def to_date(cls, day: datetime.date) -> "Span":
        """1 January to ``day``: this year so far, compared with the same dates of the year before."""
        return cls("to_date", datetime.date(day.year, 1, 1), day)

    @classmethod
    def term(cls, first_year: int, last_year: int) -> "Span":
        return cls("term", datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Year %(year)d") % {"year": self.end.year}
        if self.kind == "half":
            first = self.start.month == 1
            text = _("First six months of %(year)d") if first else _("Last six months of %(year)d")
            return text % {"year": self.end.year}
        if self.kind == "term":
            return _("Term %(start)d–%(end)d") % {"start": self.start.year, "end": self.end.year}
        if self.kind == "to_date":
            return _("01/01 to %(end)s") % {"end": self.end.strftime("%d/%m/%Y")}
        return _("From %(start)s to %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def previous(self) -> "Span":
        if self.kind == "year":
            return Span.year(self.end.year - 1)
        if self.kind == "half":
            return Span.half(self.end.year, 1) if self.start.month == 7 else Span.half(self.end.year - 1, 2)
        if self.kind == "term":
            # The term before ends the day before this one begins: no year is counted in both.
            length = self.end.year - self.start.year
            return Span("term", datetime.date(self.start.year - length, 1, 1), self.start - datetime.timedelta(1))
        if self.kind == "to_date":
            # The same dates a year earlier (29 February becomes the 28th).
            end = self.end.replace(year=self.end.year - 1, day=min(self.end.day, 28 if self.end.month == 2 else 31))
            return Span("to_date", datetime.date(end.year, 1, 1), end)
        days = (self.end - self.start).days + 1
        return Span("custom", self.start - datetime.timedelta(days), self.start - datetime.timedelta(1))

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}"


def dashboard_span(unit: Unit, today: datetime.date) -> Span:
    """The dashboard's span: this year so far, against the same dates a year before (a whole past year would
    always look bigger). Counted to today while ``unit``'s subtree is small enough to count in the request
    (``DASHBOARD_LIVE_MAX_PERIODS`` membership periods: a district); a province or the country is counted to the
    last month's end, whose figures are kept (the whole of last year in January)."""
    if not member_selectors.has_more_periods(unit, settings.DASHBOARD_LIVE_MAX_PERIODS):
        return Span.to_date(today)
    end = last_kept_month_end(today)
    return Span.year(end.year) if end.year < today.year else Span.to_date(end)


def counted_span(unit: Unit, span: Span, today: datetime.date) -> Span:
    """``span`` as far as it can be counted today: the whole of it once it has ended; this year so far (as the
    dashboard counts it, ``dashboard_span``) while it runs. The targets page reads a year's achievements so."""
    if span.end < today or span.start > today:
        return span
    return dashboard_span(unit, today)


TREND_YEARS = 6  # the dashboard's chart of members at the end of each year


def days_read_first(today: datetime.date) -> list[datetime.date]:
    """The kept days the first visits of a month read: the dashboard's (its trend's year ends, this year to the
    last month's end against the same dates a year before) and last year's annual report, which compares three
    year ends. Kept ahead (``manage.py keep_figures``), nobody waits for them."""
    month_end = last_kept_month_end(today)
    year_ends = {datetime.date(year, 12, 31) for year in range(today.year - TREND_YEARS, today.year)}
    previous = Span.to_date(month_end).previous().end
    return sorted(year_ends | {month_end, previous})


def span_from_key(key: str) -> Span:
    """The span a link names ("year:2024-01-01:2024-12-31"); ValueError when it is not one a report can cover."""
    kind, start, end = key.split(":")
    span = Span(kind, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    check_span_dates(span.start, span.end)
    return span


def check_span_dates(start: datetime.date, end: datetime.date) -> None:
    """A report covers the Union's years (and the span before it, for comparison): not year 1 nor 9999."""
    low, high = year_range()
    if not (low <= start.year <= high and low <= end.year <= high):
        raise ValueError(f"a report cannot cover {start}–{end}")


# --- The tree as it stood ---------------------------------------------------------------------


@dataclass(slots=True)
class Node:
    unit_id: int
    parent_id: int | None
    name: str
    level: str
    code: str
    path: str
    unit_type: str = ""


_NODE_FIELDS = ("unit_id", "parent_id", "name", "level", "code", "path", "unit_type")

# A report above the provinces lists its units one by one (the checks before signing, the figures per unit) down
# to the communes only: branches are their province's to check, and the country's hundred thousand would cost the
# report more than all its figures. Every figure still counts every branch.
LISTED_DOWN_TO = {Level.CENTRAL: Level.COMMUNE}


def listed_levels(root_level: str) -> list[str]:
    """The levels a report of a unit of ``root_level`` lists unit by unit: every one (``LEVEL_ORDER`` itself), or
    those down to its ``LISTED_DOWN_TO``."""
    lowest = LISTED_DOWN_TO.get(root_level)
    return LEVEL_ORDER[: LEVEL_ORDER.index(lowest) + 1] if lowest is not None else LEVEL_ORDER


class Tree(Within):
    """``root``'s subtree as it stood on ``day``: one query on the unit periods (``Tree.pair``: one for two days).

    ``nodes`` are in the order of their paths that day, so every unit comes after its parent: a sum up the tree
    walks them backwards, and a unit's line is its parent's line, with no path to split. ``unit_id in tree``
    (``Within``) is true of its nodes and of the branches ``held`` under a trimmed tree's communes."""

    def __init__(self, root: Unit, day: datetime.date, *, stood: tuple[str | None, dict[int, Node]] | None = None):
        """``stood``: the root's path that day (None: it did not stand) and the nodes, when the caller read them."""
        self.day = day
        if stood is None:
            own = UnitPeriod.objects.filter(alive_on_q(day), unit=root).values_list("path", flat=True).first()
        else:
            own = stood[0]
        self.exists = own is not None
        self.path = own or root.path
        self.depth = self.path.count(".")
        self.ids_query = UnitPeriod.objects.filter(alive_on_q(day), path__startswith=self.path).values("unit_id")
        if stood is not None:
            self.nodes = stood[1]
        elif self.exists:
            rows = UnitPeriod.objects.filter(alive_on_q(day), path__startswith=self.path).order_by("path")
            self.nodes = {row[0]: Node(*row) for row in rows.values_list(*_NODE_FIELDS)}
        else:
            self.nodes = {}
        self.root = root
        self.root_id = root.pk
        self.partner: Tree | None = None  # the other tree of a pair
        # Read down to the levels the report lists only (``pair(listed_only=True)``): the units below are known by
        # the communes' rows of the figures table that stand for them (``held``: unit id -> its commune).
        self.trimmed = False
        self.held: dict[int, int] = {}
        self.below: list[tuple[str, str, int]] = []  # (line key as ``ByLine`` makes it, unit type, how many)

    @classmethod
    def pair(
        cls, root: Unit, day: datetime.date, before: datetime.date, *, listed_only: bool = False
    ) -> tuple["Tree", "Tree"]:
        """The tree on ``day`` and on ``before`` (an earlier day) from one read of the unit periods: most periods
        stand on both days, and a national tree has tens of thousands of them. ``listed_only``: for a root above
        the provinces, only the units down to the levels it lists (``LISTED_DOWN_TO``), which the caller completes
        with ``hold``."""
        overlapping = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=before)
        )
        own = {
            which: path
            for path, start, end in UnitPeriod.objects.filter(overlapping, unit=root).values_list(
                "path", "valid_from", "valid_to"
            )
            for which, on in (("now", day), ("before", before))
            if alive_on(start, end, on)
        }
        paths = set(own.values())
        if len(paths) != 1:  # the root moved between the two days, or did not stand on one of them
            return cls(root, day), cls(root, before)
        now: dict[int, Node] = {}
        then: dict[int, Node] = {}
        # In the order of the paths as they stood, with no join to today's units to sort by (the model's order).
        levels = listed_levels(root.level) if listed_only else LEVEL_ORDER
        rows = UnitPeriod.objects.filter(overlapping, path__startswith=paths.pop())
        if levels is not LEVEL_ORDER:
            rows = rows.filter(level__in=levels)
        rows = rows.order_by("path").annotate(
            on_day=ExpressionWrapper(alive_on_q(day), BooleanField()),
            on_before=ExpressionWrapper(alive_on_q(before), BooleanField()),
        )
        for *fields, on_day, on_before in rows.values_list(*_NODE_FIELDS, "on_day", "on_before"):
            node = Node(*fields)
            if on_day:
                now[node.unit_id] = node
            if on_before:
                then[node.unit_id] = node
        trees = (
            cls(root, day, stood=(own["now"], now) if "now" in own else (None, {})),
            cls(root, before, stood=(own["before"], then) if "before" in own else (None, {})),
        )
        trees[0].partner, trees[1].partner = trees[1], trees[0]
        if levels is not LEVEL_ORDER:
            trees[0].trimmed = trees[1].trimmed = True
            # The units left out, counted by the database per line, level and type for both days.
            below = UnitPeriod.objects.filter(overlapping).exclude(level__in=levels)
            for key, unit_type, on_day, on_before in (
                ByLine(trees[0].path, day).periods(below).values(BY, "unit_type").annotate(
                    on_day=Count("id", filter=alive_on_q(day)), on_before=Count("id", filter=alive_on_q(before))
                ).order_by().values_list(BY, "unit_type", "on_day", "on_before")
            ):  # fmt: skip
                trees[0].below.append((key, unit_type, on_day))
                trees[1].below.append((key, unit_type, on_before))
        return trees

    def hold(self, held: dict[int, int]) -> None:
        """The units below a trimmed tree's communes: unit id -> its commune (of this tree or not)."""
        if self.trimmed:
            self.held = held

    def holds_all(self, per_commune: Counter) -> bool:
        """Whether communes holding ``per_commune`` units each (a count of ``held``'s communes) hold every unit
        the tree left out: those of its own communes are some of them, so the same number means all."""
        return sum(per_commune[c] for c in self.nodes if c in per_commune) == sum(row[2] for row in self.below)

    @cached_property
    def whole(self) -> "Tree":
        """This tree with every unit in it (itself, unless it was read down to its communes only)."""
        return Tree(self.root, self.day) if self.trimmed else self

    @cached_property
    def provinces(self) -> list[int] | None:
        """The provinces the tree's units are in today, whose records are the only ones to read (records carry
        their unit's province: ``branches.records``); None for a tree above the provinces, which reads them all.
        Usually the root's own province; a province's tree of before the 2025 merger is in the merged one. Two
        trees of one report (``pair``) share one read: the provinces of either, which holds each one's."""
        if not self.exists or self.nodes[self.root_id].level == Level.CENTRAL:
            return None
        partner = self.partner if self.partner is not None and self.partner.exists else None
        ids = self.ids_query if partner is None else either(self.ids_query, partner.ids_query)
        found = provinces_holding(ids) or None  # none: a tree with no province above it, whose records have none
        if partner is not None:
            partner.__dict__["provinces"] = found
        return found

    @cached_property
    def listed_levels(self) -> list[str]:
        """The levels the report lists unit by unit (``listed_levels``)."""
        return listed_levels(self.root.level)

    @cached_property
    def listed(self) -> dict[int, Node]:
        """The nodes at the levels the report lists, in the order of their paths."""
        levels = self.listed_levels
        if levels is LEVEL_ORDER or self.trimmed:
            return self.nodes
        return {unit_id: node for unit_id, node in self.nodes.items() if node.level in levels}

    @cached_property
    def line_of(self) -> dict[int, int | None]:
        """Unit id -> the unit directly below the root on its path (None for the root itself): its line."""
        lines: dict[int, int | None] = {self.root_id: None}
        for unit_id, node in self.nodes.items():
            if unit_id == self.root_id:
                continue
            if node.parent_id in lines:  # the parent came first (path order): the same line, or the root's child
                lines[unit_id] = lines[node.parent_id] or unit_id
            else:  # a parent that did not stand that day: the path still says
                lines[unit_id] = int(node.path.split(".")[self.depth])
        return lines

    def child_of(self, unit_id: int) -> int | None:
        """The unit directly below the root on ``unit_id``'s path (None for the root itself)."""
        line_of = self.line_of
        return line_of[unit_id] if unit_id in line_of else line_of[self.held[unit_id]]

    @cached_property
    def deepest_first(self) -> list[Node]:
        """Every node, each after all those below it: a sum up the tree settles each child before its parent."""
        return list(reversed(self.nodes.values()))

    def summed_up(self, own: dict[int, int]) -> Counter:
        """Each unit's ``own`` figure plus those of every unit below it."""
        totals: Counter = Counter(own)
        nodes = self.nodes
        for node in self.deepest_first:
            n = totals.get(node.unit_id)
            if n and node.parent_id in nodes:
                totals[node.parent_id] += n
        return totals

    def children(self) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.parent_id == self.root_id), key=lambda n: n.name)

    def at_level(self, level: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.level == level]


# --- Figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | decimal.Decimal | None
    previous: int | decimal.Decimal | None = None
    percent: bool = False
    pending: int = 0  # units whose figures for it are not approved yet, and so not counted
    measure: str = ""  # "vnd" for amounts in đồng, else a count (or a percentage, with ``percent``)

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]  # first cell: the line's label


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class ChildLine:
    unit_id: int
    name: str
    level: str
    values: dict


class UnitFigures(NamedTuple):
    """One unit of the as-of tree with the figures the checks before signing look at (a tuple: a national report
    makes tens of thousands)."""

    unit_id: int
    code: str
    name: str
    level: str
    members: int
    women: int | None


@dataclass
class Report:
    unit: Unit
    name: str
    span: Span
    previous_span: Span
    exists: bool
    sections: list[Section]
    children: list[ChildLine]
    below_floor: list[tuple[str, decimal.Decimal]]
    units: list[UnitFigures] = field(default_factory=list)
    own: dict = field(default_factory=dict)  # the root's own records, in no unit below

    def figure(self, key: str) -> Figure:
        return self.figures[key]

    @property
    def printed_sections(self) -> list[Section]:
        """The sections with something to say, numbered 1, 2, … on screen and on paper without a gap."""
        return [s for s in self.sections if s.figures or any(table.rows for table in s.tables)]

    @cached_property
    def figures(self) -> dict[str, Figure]:
        """Every figure by its key (the narrative looks one up for each number it prints)."""
        return {f.key: f for s in self.sections for f in s.figures}


_OUTSIDE = object()


class Acc:
    """Totals of a subtree and of each unit directly below its root (its lines). Records are asked for by line
    (``grouping``: the database sums them per line and level); members and units are added by unit."""

    def __init__(self, tree: Tree):
        self.tree = tree
        self._keys: dict[str, int | None] = {}  # a grouping's key -> its line
        # Sums are kept per line and key here, with one look-up a row, and added to the totals once, when read.
        self._pending: dict[tuple, int | decimal.Decimal] = {}
        self._total: Counter = Counter()
        self._by_child: dict[int | None, Counter] = defaultdict(Counter)

    @staticmethod
    def grouping(tree: Tree) -> ByLine:
        return ByLine(tree.path, tree.day, tree.provinces)

    def _line_of(self, by):
        """The line of a unit id or of a grouping's key; ``_OUTSIDE`` for a unit outside the tree."""
        if isinstance(by, str):
            line = self._keys.get(by, _OUTSIDE)
            if line is _OUTSIDE:
                line = self._keys[by] = ByLine.parse(by)[0]
            return line
        return self.tree.child_of(by) if by in self.tree else _OUTSIDE

    def add(self, by, key, n) -> None:
        """Add ``n`` to the figure ``key`` of a unit (its id) or of a grouping's key."""
        if not n or (line := self._line_of(by)) is _OUTSIDE:
            return  # nothing, or a unit outside the tree
        pending = self._pending
        pending[line, key] = pending.get((line, key), 0) + n

    @staticmethod
    def level_of(key: str) -> str:
        """The level of a grouping's key."""
        return ByLine.level(key)

    def add_to_child(self, child_id: int | None, counts: Counter) -> None:
        """Counts of the subtree of ``child_id``, a unit directly below the root (None: the root's own)."""
        self._total.update(counts)
        self._by_child[child_id].update(counts)

    def _settle(self) -> None:
        for (line, key), n in self._pending.items():
            self._total[key] += n
            self._by_child[line][key] += n
        self._pending.clear()

    @property
    def total(self) -> Counter:
        self._settle()
        return self._total

    @property
    def by_child(self) -> dict[int | None, Counter]:
        self._settle()
        return self._by_child


class Totals(Counter):
    """Totals only: the previous span needs no line per unit. Records are asked for by level (``grouping``):
    totals and their breakdowns by level, summed by the database (a unit's level never changes)."""

    @staticmethod
    def grouping(tree: Tree) -> ByLevel:
        return ByLevel(tree.path, tree.day, tree.provinces)

    def add(self, by, key, n) -> None:
        self[key] += n

    @staticmethod
    def level_of(level: str) -> str:
        return level


def rate(members, women) -> decimal.Decimal | None:
    if not women:
        return None
    return (decimal.Decimal(members) * HUNDRED / women).quantize(CENT)


# --- Members ----------------------------------------------------------------------------------


def _foldable(tree: Tree, before: Tree) -> dict[int, str] | None:
    """Id -> level of every unit of both trees, when communes' rows may stand for their branches (a report of a
    district or above, whose lines are units above the communes); None for a commune's or a branch's report."""
    if not tree.exists or LEVEL_ORDER.index(tree.nodes[tree.root_id].level) >= LEVEL_ORDER.index(Level.COMMUNE):
        return None
    return {n.unit_id: n.level for n in before.nodes.values()} | {n.unit_id: n.level for n in tree.nodes.values()}


def _members(tree: Tree, before: Tree, read: member_selectors.PeriodFigures, acc: Acc, prev: Counter, tables: dict):
    """Fold the member rows; returns the members at the span's end of each branch, or of each unit the rows were
    read by (a commune for its branches) when the report does not list its branches."""
    now, then = read.now, read.then
    for branch, figure in then.items():
        if branch in before:
            prev["members.total"] += figure["now"]
    # Tens of thousands of rows (a national report): sum them per unit below the root first, then name the sums.
    sums: dict[int | None, Counter] = defaultdict(Counter)
    for branch, figure in now.items():
        n = figure["now"]
        if not n or branch not in tree:
            continue
        sums[tree.child_of(branch)].update(figure)  # a branch's figures, or a commune's for its branches
    per_branch = Counter({unit: n for unit, n in read.unit_members.items() if unit in tree})
    ethnicity: Counter = Counter()
    religion: Counter = Counter()
    for child, raw in sums.items():
        counts: Counter = Counter({"members.total": raw["now"], "members.core": raw["core"]})
        for key, n in raw.items():
            if key.startswith("ethnicity:"):
                name = key.removeprefix("ethnicity:")
                ethnicity[name] += n
                if name != MAJORITY_ETHNICITY:
                    counts["members.minority"] += n
            elif key.startswith("religion:"):
                religion[key.removeprefix("religion:")] += n
                counts["members.religious"] += n
            elif key.startswith(("age:", "group:")):
                counts[f"members.{key}"] += n
        acc.add_to_child(child, +counts)
    tables["ethnicity"] = ethnicity
    tables["religion"] = religion
    return per_branch


@lru_cache(maxsize=64)
def _movement_keys(kind: str, reason: str) -> tuple[str, ...]:
    """The figures an event of ``kind`` (and a leaving's ``reason``) counts in."""
    if kind in (EventKind.JOINED, EventKind.REJOINED):
        return ("members.new",)
    if kind == EventKind.LEFT:
        return ("members.left", f"members.left:{reason or LeaveReason.OTHER}")
    if kind == EventKind.DIED:
        return ("members.left", "members.died")
    return ("members.left", "members.transferred_out")


def _movements(tree: Tree, before: Tree, read: member_selectors.PeriodFigures, acc: Acc, prev: Counter):
    """Joined, left by reason, died, moved out of the province, and moves across the subtree's edge."""
    # Thousands of rows (a national report): summed per line first, then added once.
    by_line = defaultdict(Counter)
    for row in read.movements:
        kind, branch, other = row["kind"], row["branch_id"], row["other_branch_id"]
        if kind == EventKind.TRANSFERRED:
            # A move inside the subtree changes nothing at its top; across its edge it is a gain or a loss.
            if branch in tree and other not in tree:
                acc.add(branch, "members.moved_out", row["now"])
            elif other in tree and branch not in tree:
                acc.add(other, "members.moved_in", row["now"])
            continue
        keys = _movement_keys(kind, row["reason"])
        if (n := row["now"]) and branch in tree:
            counts = by_line[tree.child_of(branch)]
            for key in keys:
                counts[key] += n
        if (n := row["before"]) and branch in before:
            for key in keys:
                prev[key] += n
    for child, counts in by_line.items():
        acc.add_to_child(child, counts)


WOMEN_YEARS_BACK = 5  # a unit without the year's women 18+ figure takes its latest of the five years before


def _latest_women(units, year: int, *, earlier_only: bool = False) -> dict[int, int]:
    """Unit id -> its women 18+ for ``year``, else its latest of the five years before (``earlier_only``: those
    years only), for the units ``units`` (ids or a query of ids) that have one."""
    latest: dict[int, int] = {}
    for unit_id, n in (
        UnitPopulation.objects.filter(
            unit_id__in=units, year__lte=year - 1 if earlier_only else year, year__gte=year - WOMEN_YEARS_BACK
        )
        .order_by("unit_id", "year")
        .values_list("unit_id", "women_18_plus")
    ):
        latest[unit_id] = n  # rows come oldest first: the latest year wins
    return latest


def _women(tree: Tree, year: int, *, whole: bool = False) -> dict[int, int]:
    """Women 18+ of every unit the report lists (``Tree.listed``; ``whole``: of every unit of the tree): its own
    figure for the year (or the latest before), else its children's."""
    if whole:
        tree = tree.whole
    every = whole or tree.listed_levels is LEVEL_ORDER
    units = tree.nodes if whole else tree.listed
    ids = tree.ids_query if every else among(units)
    # The year's own figures first (most units have one), then the latest of the five years before for the rest.
    own = dict(
        UnitPopulation.objects.filter(unit_id__in=ids, year=year)
        .order_by()  # the model's order joins the units
        .values_list("unit_id", "women_18_plus")
    )
    missing = [unit_id for unit_id in units if unit_id not in own]
    if missing:
        # A few units by id; many (a tree without this year's figures) by the tree's own query.
        own = _latest_women(missing if len(missing) <= 500 else ids, year, earlier_only=True) | own
    women = {unit_id: n for unit_id, n in own.items() if unit_id in units}
    lacking = units.keys() - women.keys()
    if not lacking:
        return women
    if not every and any(units[unit_id].level == tree.listed_levels[-1] for unit_id in lacking):
        return _women(tree, year, whole=True)  # a commune with no figure has its branches' sum: the whole tree
    # A unit with no figure of its own has its children's sum: deepest units first, so that every child has been
    # settled before its parent needs the sum.
    sums: Counter = Counter()
    for node in reversed(units.values()):
        unit_id, parent_id = node.unit_id, node.parent_id
        if unit_id in lacking:
            if unit_id not in sums:
                continue  # nothing below it has a figure either
            women[unit_id] = sums[unit_id]
        if parent_id in lacking and unit_id in women:
            sums[parent_id] += women[unit_id]
    return women


def _root_women(tree: Tree, year: int) -> int | None:
    """``_women(tree, year)[tree.root_id]`` for the previous span, whose total is all it prints: the root's own
    figure, else the sum of its children's own (a national root: its provinces'), else the whole tree's sum."""
    if not tree.exists:
        return None
    children = [n.unit_id for n in tree.nodes.values() if n.parent_id == tree.root_id]
    found = _latest_women([tree.root_id, *children], year)
    if tree.root_id in found:
        return found[tree.root_id]
    if children and all(child in found for child in children):
        return sum(found[child] for child in children)
    return _women(tree, year).get(tree.root_id)  # some unit below has none of its own: sum the whole tree


def _commune_rates(tree: Tree, per_unit: Counter, women: dict) -> list[tuple[str, decimal.Decimal]]:
    """(name, attraction rate) of every commune union of the tree that has a women-18+ figure."""
    if tree.nodes.get(tree.root_id) and tree.nodes[tree.root_id].level == Level.COMMUNE:
        communes = [tree.nodes[tree.root_id]]
    else:
        communes = tree.at_level(Level.COMMUNE)
    rates = [(node.name, rate(per_unit.get(node.unit_id, 0), women.get(node.unit_id))) for node in communes]
    return [(name, value) for name, value in rates if value is not None]


def commune_rates(unit: Unit, day: datetime.date) -> list[tuple[str, decimal.Decimal]]:
    """(name, attraction rate) of each commune union of ``unit``'s subtree on ``day``, for the targets page."""
    tree = Tree(unit, day)
    per_branch = member_selectors.counts_by_branch_on(day, tree.ids_query)
    per_unit = tree.summed_up({b: n for b, n in per_branch.items() if b in tree})
    return _commune_rates(tree, per_unit, _women(tree, day.year))


def member_trend(unit: Unit, years: list[int]) -> list[tuple[int, int]]:
    """Members of ``unit``'s subtree at the end of each year, in one grouped query."""
    return list(member_selectors.counts_at_year_ends(unit, years).items())


# --- Organisation and cadres ------------------------------------------------------------------


UNIT_COUNTS = {
    Level.PROVINCE: "org.provinces", Level.DISTRICT: "org.districts", Level.COMMUNE: "org.communes",
    Level.BRANCH: "org.branches",
}  # fmt: skip
CADRE_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _count_units(counts: Counter, level: str, unit_type: str, n: int) -> None:
    """``n`` units of ``level`` and ``unit_type``; communes also as territorial unions (of a commune, ward or
    township) or unions of agencies and enterprises."""
    if level in UNIT_COUNTS:
        counts[UNIT_COUNTS[level]] += n
        if level == Level.COMMUNE:
            counts["org.agency_communes" if unit_type == UnitType.AGENCY else "org.territorial_communes"] += n


def _organisation(tree: Tree, before: Tree, span: Span, previous: Span, acc: Acc, prev: Counter):
    # Units counted by line, level and type first (tens of thousands in a national tree), then named once.
    line = tree.line_of
    now = Counter((line[n.unit_id], n.level, n.unit_type) for n in tree.nodes.values() if n.unit_id != tree.root_id)
    units: dict[int | None, Counter] = defaultdict(Counter)
    for (child, level, unit_type), n in now.items():
        _count_units(units[child], level, unit_type, n)
    for child, counts in units.items():
        acc.add_to_child(child, counts)
    then = Counter((n.level, n.unit_type) for n in before.nodes.values() if n.unit_id != before.root_id)
    for (level, unit_type), n in then.items():
        _count_units(prev, level, unit_type, n)
    _units_below(tree, acc)
    _units_below(before, prev)
    _strong(tree, span.end.year, acc)
    _strong(before, previous.end.year, prev)
    kinds = {UnitEventKind.CREATE: "org.created", UnitEventKind.MERGE: "org.merged", UnitEventKind.SPLIT: "org.split"}
    for row in (
        ReorgEvent.objects.filter(kind__in=kinds, effective_on__gte=previous.start, effective_on__lte=span.end)
        .filter(Q(unit_id__in=tree.ids_query) | Q(unit_id__in=before.ids_query))
        .values("unit_id", "kind")
        .annotate(
            now=Count("id", filter=Q(effective_on__gte=span.start)),
            before=Count("id", filter=Q(effective_on__lte=previous.end)),
        )
        .order_by()
    ):
        if row["unit_id"] in tree:
            acc.add(row["unit_id"], kinds[row["kind"]], row["now"])
        if row["unit_id"] in before:
            prev[kinds[row["kind"]]] += row["before"]


def _units_below(tree: Tree, acc: Acc | Totals) -> None:
    """The units a tree read down to its communes (``Tree.trimmed``) left out, as the database counted them."""
    for by, unit_type, n in tree.below:
        counts: Counter = Counter()
        _count_units(counts, ByLine.level(by), unit_type, n)
        for key, value in counts.items():
            acc.add(by, key, value)


def _strong(tree: Tree, year: int, acc: Acc | Totals) -> None:
    """Communes and branches graded strong in ``year``, counted by the database as ``acc`` groups them."""
    rows = acc.grouping(tree).records(Classification.objects.filter(year=year, grade=Grade.STRONG))
    for by, n in rows.values(BY).annotate(n=Count("id")).order_by().values_list(BY, "n"):
        acc.add(by, "org.strong_communes" if acc.level_of(by) == Level.COMMUNE else "org.strong_branches", n)


CADRE_METRICS = ("n", "standard", "degree", "trained")


@lru_cache(maxsize=64)
def _cadre_keys(level: str, position: str) -> tuple[tuple[int, str], ...]:
    """(index of the metric in a cadre row, the figure it counts in) for a cadre of ``position`` in a unit of
    ``level``: worked out once per level and position, not for each of a province's thousands of rows."""
    keys = []
    for index, metric in enumerate(CADRE_METRICS, start=2):
        keys.append((index, f"cadres.{metric}"))
        if level in CADRE_LEVELS:
            keys.append((index, f"cadres.{level}.{metric}"))
            if position in cadre_selectors.LEADERS:
                keys.append((index, f"cadres.{level}.{position}.{metric}"))
        if level == Level.COMMUNE and position in cadre_selectors.LEADERS:
            keys.append((index, f"cadres.{position}.{metric}"))
    if level == Level.BRANCH and position == Position.BRANCH_HEAD:
        keys.append((CADRE_METRICS.index("trained") + 2, "cadres.branch_head.trained"))
    return tuple(keys)


def _cadres(tree: Tree, span: Span, acc: Acc | Totals):
    grouping = acc.grouping(tree)
    rows = cadre_selectors.cadre_rows(grouping, span.start, span.end)
    for row in rows.values_list(BY, "position", *CADRE_METRICS):
        for index, key in _cadre_keys(acc.level_of(row[0]), row[1]):
            acc.add(row[0], key, row[index])
    for row in cadre_selectors.training_rows(grouping, span.start, span.end):
        acc.add(row[BY], "cadres.trainings", row["n"])
        acc.add(row[BY], "cadres.trainees", row["people"] or 0)


# --- Supervision, dialogue, cases -------------------------------------------------------------


def _work(tree: Tree, span: Span, acc: Acc | Totals, tables: dict | None = None):
    """Supervision, dialogue and cases, grouped as ``acc`` asks (by line or by level)."""
    pieces = supervision.grouped_figures(acc.grouping(tree), span.start, span.end)
    opinions: Counter = Counter()
    dialogues: Counter = Counter()
    for by, fig in pieces.items():
        unit_level = acc.level_of(by)
        put = lambda key, n, by=by: acc.add(by, key, n)  # noqa: E731
        put("work.supervisions", fig.supervisions_total)
        for (level, kind), n in fig.supervisions.items():
            put(f"work.supervisions:{level}", n)
            put(f"work.supervisions.{kind}", n)
        put("work.supervisions_led", fig.supervision_roles.get("lead", 0))
        for (source, metric), n in fig.recommendations.items():
            put(f"work.{'recommendations' if source == Source.SUPERVISION else 'commitments'}.{metric}", n)
        for (kind, metric), n in fig.reviews.items():
            put(f"work.{'critiques' if kind == ReviewKind.CRITIQUE else 'draft_comments'}.{metric}", n)
        for (kind, metric), n in fig.contributions.items():
            put(
                f"work.{'party_opinions' if kind == ContributionKind.PARTY_GOVERNMENT else 'cadre_opinions'}.{metric}",
                n,
            )
        for (level, metric), n in fig.dialogues.items():
            put(f"work.dialogues.{metric}", n)
            if metric == "count":
                dialogues[level] += n
                put(f"work.dialogues.count:{level}", n)
        for (_level, opinion_field, outcome), n in fig.opinions.items():
            put("work.opinions", n)
            put(f"work.opinions.{outcome}", n)
            opinions[(opinion_field, outcome)] += n
        for (kind, metric), n in fig.cases.items():
            put(f"work.{kind}.{metric}", n)
            if kind == "policy" and metric == "received":
                put(f"work.policy.received:{unit_level}", n)
        for victim, n in fig.victims.items():
            put(f"work.abuse.{victim}", n)
    if tables is not None:
        tables["opinions"] = opinions
        tables["dialogue_levels"] = dialogues


# --- Movement indicators and targets ----------------------------------------------------------


def indicator_values(tree: Tree, span: Span, indicators: list[Indicator], *, lines: bool = True) -> IndicatorFigures:
    """Approved indicator figures of the subtree over the span: totals, per line (the root's own figures belong to
    the whole only), and the units whose figures are not approved yet; ``lines=False``: the approved totals alone,
    all the previous span prints."""
    periods = periods_of(span.start, span.end)
    if not lines:
        return indicator_figures(tree.ids_query, periods, indicators, pending=False, provinces=tree.provinces)
    return indicator_figures(tree.ids_query, periods, indicators, lines=Acc.grouping(tree), provinces=tree.provinces)


# --- The report -------------------------------------------------------------------------------


def _labels(values: dict, prev: dict) -> dict[str, list[tuple[str, str]]]:
    """Each section's figures, in the order the report prints them."""
    by_level = lambda key: programme_figures.by_level(key, values, prev)  # noqa: E731
    cadre_levels = []
    words = programme_figures.level_words()
    for level in CADRE_LEVELS:
        name = words[level]
        cadre_levels += programme_figures.present(
            [
                (f"cadres.{level}.n", _("Cadres at %(level)s level") % {"level": name}),
                (f"cadres.{level}.standard_pct", _("– meeting the standard (%)")),
                (f"cadres.{level}.degree_pct", _("– with a degree (%)")),
                (f"cadres.{level}.chair.standard_pct", _("– chairwomen meeting the standard (%)")),
                (f"cadres.{level}.vice_chair.standard_pct", _("– vice-chairs meeting the standard (%)")),
                (f"cadres.{level}.trained", _("– trained in the period")),
            ],
            values,
            prev,
        )
    left = [(f"members.left:{r.value}", _("– of which: %(reason)s") % {"reason": r.label}) for r in LeaveReason]
    ages = [(f"members.age:{band}", _("Aged %(band)s") % {"band": band.replace("-", "–")}) for band in AGE_BANDS]
    groups = [(f"members.group:{g.value}", g.label) for g in SpecialGroup]
    return {
        "organisation": [
            *programme_figures.present([("org.provinces", _("Provincial unions"))], values, prev),
            ("org.districts", _("District unions")),
            ("org.communes", _("Commune unions")),
            # Only where the tree has unions of agencies and enterprises beside the territorial ones.
            *(
                [
                    ("org.territorial_communes", _("– territorial")),
                    ("org.agency_communes", _("– of agencies and enterprises")),
                ]
                if values.get("org.agency_communes") or prev.get("org.agency_communes")
                else []
            ),
            ("org.branches", _("Branches")),
            ("org.strong_communes", _("Commune unions strong in every respect")),
            ("org.strong_branches", _("Branches strong in every respect")),
            ("org.created", _("Units founded")),
            ("org.merged", _("Units formed by merging")),
            ("org.split", _("Units split")),
        ],
        "members": [
            ("members.total", _("Members at the end of the period")),
            ("members.new", _("New members")),
            ("members.left", _("Members who left")),
            *left,
            ("members.died", _("– of which: died")),
            ("members.transferred_out", _("– of which: moved out of the province")),
            ("members.moved_in", _("Moved in from other units")),
            ("members.moved_out", _("Moved to other units")),
            ("members.net", _("Net change")),
            ("members.women", _("Women aged 18 and over")),
            ("members.rate", _("Attraction rate (%)")),
            ("members.below_floor", _("Commune unions below 50%")),
            ("members.above_floor", _("Commune unions gathering more than 50%")),
            ("members.rated_communes", _("Commune unions with a women 18+ figure")),
            ("members.growth_pct", _("Growth in members (%)")),
            ("members.core", _("Core members")),
            ("members.core_pct", _("Core members (%)")),
            ("members.minority", _("Ethnic-minority members")),
            ("members.religious", _("Members with a religion")),
            *ages,
            *groups,
        ],
        "cadres": [
            ("cadres.n", _("Positions filled")),
            ("cadres.standard", _("Cadres meeting the job-title standard")),
            ("cadres.standard_pct", _("– share (%)")),
            ("cadres.degree", _("Cadres with a university degree or higher")),
            ("cadres.degree_pct", _("– share (%)")),
            ("cadres.trained", _("Cadres trained in the period")),
            *cadre_levels,
            ("cadres.chair.n", _("Commune chairwomen")),
            ("cadres.chair.standard", _("– meeting the standard")),
            ("cadres.chair.standard_pct", _("– meeting the standard (%)")),
            ("cadres.chair.degree", _("– with a degree")),
            ("cadres.chair.degree_pct", _("– with a degree (%)")),
            ("cadres.chair.trained", _("– trained in the period")),
            ("cadres.vice_chair.n", _("Commune vice-chairs")),
            ("cadres.vice_chair.standard", _("– meeting the standard")),
            ("cadres.vice_chair.standard_pct", _("– meeting the standard (%)")),
            ("cadres.vice_chair.trained", _("– trained in the period")),
            ("cadres.branch_head.trained", _("Branch heads trained in the period")),
            ("cadres.trainings", _("Training courses")),
            ("cadres.trainees", _("Participants in training courses")),
        ],
        "work": [
            ("work.supervisions", _("Supervisions")),
            *by_level("work.supervisions"),
            *[(f"work.supervisions.{kind.value}", f"– {kind.label.lower()}") for kind in SupervisionKind],
            ("work.supervisions_led", _("– led by the Union")),
            ("work.recommendations.made", _("Recommendations after supervision")),
            ("work.recommendations.accepted", _("– accepted")),
            ("work.recommendations.resolved", _("– resolved")),
            ("work.recommendations.overdue", _("Recommendations overdue at the end of the period")),
            ("work.critiques.count", _("Drafts critiqued (social critique)")),
            ("work.draft_comments.count", _("Drafts commented on")),
            ("work.party_opinions.opinions", _("Opinions to Party committees and authorities")),
            ("work.cadre_opinions.opinions", _("Opinions on cadres and Party members")),
            ("work.dialogues.count", _("Dialogue forums")),
            *by_level("work.dialogues.count"),
            ("work.dialogues.participants", _("Participants in dialogue forums")),
            ("work.opinions", _("Opinions raised at dialogue forums")),
            ("work.opinions.answered", _("– answered on the spot")),
            ("work.opinions.resolved", _("– resolved later")),
            ("work.commitments.made", _("Commitments made at forums")),
            ("work.commitments.resolved", _("– resolved")),
            ("work.petition.received", _("Petitions received")),
            ("work.petition.settled", _("– settled")),
            ("work.mediation.received", _("Mediations")),
            ("work.mediation.settled", _("– successful")),
            ("work.abuse.received", _("Abuse cases supported")),
            ("work.abuse.settled", _("– settled")),
            ("work.policy.received", _("Policies proposed")),
            *by_level("work.policy.received"),
        ],
    }


SECTION_TITLES = {
    "organisation": lambda: _("Organisation"),
    "members": lambda: _("Members"),
    "cadres": lambda: _("Cadres"),
    "work": lambda: _("Supervision, social critique, dialogue and case work"),
    "movements": lambda: _("Movements and indicators"),
    "targets": lambda: _("Targets"),
}
PERCENT_KEYS = {"members.rate"}
# The order of the seeds: organisation and members, cadres, movements and programmes, credit and the economy,
# supervision and Party building, charity, targets met, awards.
SECTION_ORDER = [
    "organisation", "members", "cadres", "emulation", "movements", "groups", "credit", "work", "charity",
    "targets", "awards",
]  # fmt: skip


def _is_percent(key: str) -> bool:
    return key in PERCENT_KEYS or key.endswith("_pct")


def _pct(part, whole) -> decimal.Decimal | None:
    if not whole or part is None:
        return None
    return (decimal.Decimal(part) * HUNDRED / whole).quantize(CENT)


def _shares(values) -> None:
    """The shares reports state instead of counts: cadres meeting the standard or holding a degree (by level and
    position), core members, tasks completed."""
    prefixes = ["cadres", "cadres.chair", "cadres.vice_chair"]
    for level in CADRE_LEVELS:
        prefixes += [f"cadres.{level}", *(f"cadres.{level}.{p}" for p in cadre_selectors.LEADERS)]
    for prefix in prefixes:
        n = values.get(f"{prefix}.n")
        if n:
            values[f"{prefix}.standard_pct"] = _pct(values.get(f"{prefix}.standard", 0), n)
            values[f"{prefix}.degree_pct"] = _pct(values.get(f"{prefix}.degree", 0), n)
    if values.get("members.total") and "members.core" in values:
        values["members.core_pct"] = _pct(values.get("members.core", 0), values["members.total"])


def figure_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures a target can be set on, by section (the breakdowns that only appear with data excluded)."""
    labels = _labels({}, {}) | programme_figures.labels({}, {})
    titles = SECTION_TITLES | programme_figures.SECTION_TITLES
    return [
        (str(titles[key]()), [(k, str(label).lstrip("– ")) for k, label in labels[key]])
        for key in SECTION_ORDER
        if key in labels
    ]


def child_columns() -> list[tuple[str, str]]:
    """The figures of each unit below, as the printed report and the xlsx list them."""
    return [
        ("org.communes", _("Commune unions")),
        ("org.branches", _("Branches")),
        ("members.total", _("Members")),
        ("members.new", _("New members")),
        ("members.women", _("Women 18+")),
        ("members.rate", _("Attraction rate (%)")),
        ("work.supervisions", _("Supervisions")),
        ("work.dialogues.count", _("Dialogue forums")),
    ]


def _member_figures(tree: Tree, before: Tree, span: Span, previous: Span) -> member_selectors.PeriodFigures | None:
    """The register's figures for both trees; None when they were read down to their communes (``Tree.trimmed``)
    and the communes' rows of the figures table do not stand for all their branches."""
    read = member_selectors.period_figures(
        tree.ids_query, before.ids_query, (previous.start, previous.end), (span.start, span.end), inside=tree.nodes,
        units=None if tree.trimmed else _foldable(tree, before), by_branch=Level.BRANCH in tree.listed_levels,
        communes_only=tree.trimmed,
    )  # fmt: skip
    if read is not None and tree.trimmed:
        per_commune = Counter(read.held.values())
        if not (tree.holds_all(per_commune) and (not before.exists or before.holds_all(per_commune))):
            return None
    return read


def build(unit: Unit, span: Span) -> Report:
    """Every figure of ``unit``'s report for ``span``, on the tree as it stood at the span's end."""
    previous = span.previous()
    tree, before = Tree.pair(unit, span.end, previous.end, listed_only=True)
    read = _member_figures(tree, before, span, previous)
    if read is None:  # the communes' rows do not stand for every branch (a reform year): the trees whole
        tree, before = Tree.pair(unit, span.end, previous.end)
        read = _member_figures(tree, before, span, previous)
    tree.hold(read.held)
    before.hold(read.held)
    acc, prev, tables = Acc(tree), Totals(), {}

    _organisation(tree, before, span, previous, acc, prev)
    per_branch = _members(tree, before, read, acc, prev, tables)
    _movements(tree, before, read, acc, prev)
    _cadres(tree, span, acc)
    _cadres(before, previous, prev)
    _work(tree, span, acc, tables)
    _work(before, previous, prev)
    campaigns: dict[str, str] = {}
    programme_figures.fold(tree, span, acc, tables, campaigns)
    programme_figures.fold(before, previous, prev, names=campaigns)

    values = dict(acc.total)
    values["members.net"] = values.get("members.total", 0) - prev.get("members.total", 0)
    # Women and the attraction rate, for the whole subtree, for each line below and for each commune.
    women = _women(tree, span.end.year)
    values["members.women"] = women.get(tree.root_id)
    prev["members.women"] = _root_women(before, previous.end.year)
    values["members.rate"] = rate(values.get("members.total", 0), values["members.women"])
    prev["members.rate"] = rate(prev.get("members.total", 0), prev["members.women"])
    per_unit = tree.summed_up(per_branch)
    rated = _commune_rates(tree, per_unit, women)
    below = sorted(((name, value) for name, value in rated if value < RATE_FLOOR), key=lambda item: item[1])
    values["members.below_floor"] = len(below)

    # Movement indicators (approved reports) and targets.
    indicators = list(Indicator.objects.order_by("code"))
    ind_now = indicator_values(tree, span, indicators)
    ind_before = indicator_values(before, previous, indicators, lines=False) if before.exists else IndicatorFigures()
    values["members.rated_communes"] = len(rated)
    values["members.above_floor"] = sum(1 for _name, value in rated if value > RATE_FLOOR)
    values["members.growth_pct"] = _pct(values["members.net"], prev.get("members.total")) if before.exists else None
    _shares(values)
    _shares(prev)
    lowest = min(rated, key=lambda item: item[1]) if rated else None
    achievements = (
        target_achievements(unit, span.end.year, lowest_rate=lowest, figures=values)
        if span.kind in ("year", "term")
        else []
    )

    labels = _labels(values, prev) | programme_figures.labels(values, prev, campaigns)
    by_key = {}
    for key, entries in labels.items():
        figures = [
            Figure(
                k, label, _value(values, k), _value(prev, k, True) if before.exists else None, _is_percent(k),
                measure="vnd" if is_money(k) else "",
            )
            for k, label in entries
        ]  # fmt: skip
        by_key[key] = Section(key, (SECTION_TITLES | programme_figures.SECTION_TITLES)[key](), figures)
    _member_tables(by_key["members"], tables)
    _work_tables(by_key["work"], tables)
    _charity_tables(by_key["charity"], tables)
    by_key["movements"] = Section("movements", SECTION_TITLES["movements"]())
    for indicator in indicators:
        if indicator.pk in ind_now.totals or indicator.pk in ind_before.totals or indicator.pk in ind_now.pending:
            # Each under its own heading: loans with credit, charity with charity, movements with movements.
            by_key.get(indicator.section, by_key["movements"]).figures.append(
                Figure(
                    f"indicator.{indicator.code}",
                    indicator.name,
                    ind_now.totals.get(indicator.pk),
                    ind_before.totals.get(indicator.pk),
                    pending=len(ind_now.pending.get(indicator.pk, ())),
                    percent=indicator.measure == Measure.PERCENT,
                    measure=indicator.measure,
                )
            )
    met = sum(1 for a in achievements if a.met)
    target_section = Section("targets", SECTION_TITLES["targets"]())
    if achievements:
        target_section.figures = [
            Figure("targets.total", _("Targets set"), len(achievements)),
            Figure("targets.met", _("Targets met"), met),
        ]
        for a in achievements:
            code = a.target.indicator.code if a.target.indicator_id else a.target.metric
            target_section.figures.append(
                Figure(f"target.{a.target.span}.{code}.pct", _("%(target)s: achieved (%% of the target)")
                       % {"target": a.target}, a.percent, percent=True)
            )  # fmt: skip
        # Year and term targets are stated apart ("20/20 chỉ tiêu năm", "07/07 chỉ tiêu nhiệm kỳ").
        for target_span, label in TargetSpan.choices:
            mine = [a for a in achievements if a.target.span == target_span]
            target_section.figures += [
                Figure(f"targets.{target_span}.total", _("%(span)s targets set") % {"span": label}, len(mine)),
                Figure(f"targets.{target_span}.met", _("%(span)s targets met") % {"span": label},
                       sum(1 for a in mine if a.met)),
            ]  # fmt: skip
        target_section.tables.append(
            Table(
                "targets",
                _("Targets and achievement"),
                [_("Target"), _("Target value"), _("Achieved"), _("%"), _("Met")],
                [
                    [str(a.target), a.target.value_text, a.actual, a.percent, _("yes") if a.met else _("no")]
                    for a in achievements
                ],
            )
        )
    by_key["targets"] = target_section
    sections = [by_key[key] for key in SECTION_ORDER]

    codes = {indicator.pk: indicator.code for indicator in indicators}
    children = []
    for node in tree.children():
        line = dict(acc.by_child.get(node.unit_id, {}))
        line["members.women"] = women.get(node.unit_id)
        line["members.rate"] = rate(line.get("members.total", 0), line["members.women"])
        for indicator_id, value in ind_now.by_group.get(node.unit_id, {}).items():
            line[f"indicator.{codes[indicator_id]}"] = value
        children.append(ChildLine(node.unit_id, node.name, node.level, line))
    root_name = tree.nodes[tree.root_id].name if tree.exists else unit.name
    units = [
        UnitFigures(n.unit_id, n.code, n.name, n.level, per_unit.get(n.unit_id, 0), women.get(n.unit_id))
        for n in tree.listed.values()  # in the order of their paths
    ]
    own = dict(acc.by_child.get(None, {}))
    return Report(unit, root_name, span, previous, tree.exists, sections, children, below, units, own)


# Breakdowns counted on the span's end only: the previous span shows no figure for them rather than a false 0.
NOT_COMPARED = (
    "members.core", "members.minority", "members.religious", "members.age:", "members.group:",
    "members.moved_", "members.net", "members.below_floor", "members.rated_communes", "members.above_floor",
)  # fmt: skip


def _value(values: dict, key: str, previous: bool = False):
    if key in values:
        return values[key]
    if key in ("members.women", "members.rate", "members.growth_pct") or key.endswith("_pct"):
        return None
    if previous and key.startswith(NOT_COMPARED):
        return None
    return 0


def _member_tables(section: Section, tables: dict) -> None:
    for key, title, heading in (
        ("ethnicity", _("Members by ethnicity"), _("Ethnicity")),
        ("religion", _("Members by religion"), _("Religion")),
    ):
        # Largest first; equal counts in alphabetical order, whatever order the rows were summed in.
        counted = sorted(tables.get(key, Counter()).items(), key=lambda item: (-item[1], vi_key(item[0])))
        rows = [[name, n] for name, n in counted]
        section.tables.append(Table(key, title, [heading, _("Members")], rows))


def _charity_tables(section: Section, tables: dict) -> None:
    section.tables.append(
        Table(
            "campaigns",
            _("Charity by campaign"),
            [_("Campaign"), _("Value (đồng)"), _("Gift packages"), _("People helped")],
            [list(line) for line in tables.get("campaigns", [])],
        )
    )


def _work_tables(section: Section, tables: dict) -> None:
    levels = tables.get("dialogue_levels", Counter())
    section.tables.append(
        Table(
            "dialogue_levels",
            _("Dialogue forums by level"),
            [_("Level"), _("Forums")],
            [[Level(level).label, n] for level, n in sorted(levels.items())],
        )
    )
    opinions = tables.get("opinions", Counter())
    outcomes = list(OpinionOutcome)
    rows = []
    for opinion_field in OpinionField:
        cells = [opinions.get((opinion_field.value, o.value), 0) for o in outcomes]
        if any(cells):
            rows.append([opinion_field.label, *cells, sum(cells)])
    section.tables.append(
        Table(
            "opinions",
            _("Opinions at dialogue forums by field and outcome"),
            [_("Field"), *(o.label for o in outcomes), _("Total")],
            rows,
        )
    )
