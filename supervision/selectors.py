"""Reads of supervision, dialogue and case work: lists, the follow-up board and the figures for reports.

Figures come from a handful of grouped queries per subtree and period, grouped as
the caller asks (``branches.grouping``: by the unit that did the work, by its level,
or by its line of the tree as it stood); folding those pieces gives the subtree's
totals or one line per child unit without another query.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from branches.grouping import BY, ByUnit
from branches.models import Unit
from branches.records import provinces_of
from common.collation import vi

from .constants import (
    CLOSED_STATUSES,
    DUE_SOON_DAYS,
    OVERDUE_BANDS,
    CaseStatus,
    RecommendationStatus,
    Source,
    TakenUp,
)
from .models import Case, Contribution, Dialogue, DraftReview, Opinion, Recommendation, Supervision, open_on_q

# --- Figures -----------------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts of one subtree (or one child's subtree) over one period.

    Keys are tuples of choice values, e.g. ``supervisions[("district", "thematic")]``.
    Recommendations and cases count those made or received in the period, and
    their state at the period's end (accepted, resolved, overdue on that day).
    """

    supervisions: Counter = field(default_factory=Counter)  # (level, kind)
    supervision_roles: Counter = field(default_factory=Counter)  # role
    recommendations: Counter = field(default_factory=Counter)  # (source, metric)
    reviews: Counter = field(default_factory=Counter)  # (kind, metric)
    contributions: Counter = field(default_factory=Counter)  # (kind, metric)
    dialogues: Counter = field(default_factory=Counter)  # (level, metric)
    opinions: Counter = field(default_factory=Counter)  # (level, field, outcome)
    cases: Counter = field(default_factory=Counter)  # (kind, metric)
    victims: Counter = field(default_factory=Counter)  # victim

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).update(getattr(other, name))

    # Shortcuts the templates and the report narrative read.
    def total(self, name: str, position: int, value: str, metric: str | None = None) -> int:
        counter = getattr(self, name)
        return sum(n for key, n in counter.items() if key[position] == value and (metric is None or key[-1] == metric))

    @property
    def supervisions_total(self) -> int:
        return sum(self.supervisions.values())

    @property
    def opinions_total(self) -> int:
        return sum(self.opinions.values())


RECOMMENDATION_METRICS = ("made", "accepted", "resolved", "not_accepted", "open", "overdue")
CASE_METRICS = ("received", "settled", "not_settled", "open")


def _unit_rows(unit: Unit) -> dict[int, tuple[str, str]]:
    return {pk: (path, level) for pk, path, level in Unit.objects.in_subtree(unit).values_list("id", "path", "level")}


def _by_unit(unit: Unit, units: dict[int, tuple[str, str]]) -> ByUnit:
    """A row per unit of ``unit``'s subtree today (``units``: id -> path, level), read from its province's rows."""
    levels = {pk: level for pk, (_path, level) in units.items()}
    return ByUnit(Unit.objects.in_subtree(unit).values("pk"), levels, provinces_of(unit))


def grouped_figures(grouping, start: datetime.date, end: datetime.date) -> dict:
    """(key, Figures) pieces from grouped queries over the records of ``grouping``'s units (``branches.grouping``:
    a piece per unit, per level, or per line of a tree as it stood), one per key that did work."""
    pieces: dict = defaultdict(Figures)  # key of the grouping -> its figures

    scoped = grouping.records
    for row in scoped(Supervision.objects).between(start, end).values(BY, "kind", "role").annotate(n=Count("id")):
        figures = pieces[row[BY]]
        figures.supervisions[(grouping.level(row[BY]), row["kind"])] += row["n"]
        figures.supervision_roles[row["role"]] += row["n"]

    made = Q(made_on__gte=start)
    metrics = {
        "made": Count("id", filter=made),
        "accepted": Count("id", filter=made & Q(accepted_on__lte=end)),
        "resolved": Count("id", filter=made & Q(status=RecommendationStatus.RESOLVED, closed_on__lte=end)),
        "not_accepted": Count("id", filter=made & Q(status=RecommendationStatus.NOT_ACCEPTED, closed_on__lte=end)),
        # State on the period's last day, whenever they were made.
        "open": Count("id", filter=open_on_q(end)),
        "overdue": Count("id", filter=open_on_q(end) & Q(due_on__lt=end)),
    }
    for row in scoped(Recommendation.objects).filter(made_on__lte=end).values(BY, "source").annotate(**metrics):
        counter = pieces[row[BY]].recommendations
        for metric in RECOMMENDATION_METRICS:
            counter[(row["source"], metric)] += row[metric]

    for row in (
        scoped(DraftReview.objects)
        .between(start, end)
        .values(BY, "kind")
        .annotate(
            count=Count("id"),
            opinions=Coalesce(Sum("opinions"), 0),
            taken_up=Count("id", filter=Q(taken_up__in=[TakenUp.FULLY, TakenUp.PARTLY])),
        )
    ):
        counter = pieces[row[BY]].reviews
        for metric in ("count", "opinions", "taken_up"):
            counter[(row["kind"], metric)] += row[metric]

    for row in (
        scoped(Contribution.objects)
        .between(start, end)
        .values(BY, "kind")
        .annotate(count=Count("id"), opinions=Coalesce(Sum("opinions"), 0))
    ):
        counter = pieces[row[BY]].contributions
        for metric in ("count", "opinions"):
            counter[(row["kind"], metric)] += row[metric]

    for row in (
        scoped(Dialogue.objects)
        .between(start, end)
        .values(BY, "level")
        .annotate(count=Count("id"), participants=Coalesce(Sum("participants"), 0))
    ):
        counter = pieces[row[BY]].dialogues
        for metric in ("count", "participants"):
            counter[(row["level"], metric)] += row[metric]

    for row in (
        scoped(Opinion.objects, "dialogue__unit")
        .between(start, end)
        .values(BY, "dialogue__level", "field", "outcome")
        .annotate(n=Count("id"))
    ):
        pieces[row[BY]].opinions[(row["dialogue__level"], row["field"], row["outcome"])] += row["n"]

    for row in (
        scoped(Case.objects)
        .between(start, end)
        .values(BY, "kind", "victim")
        .annotate(
            received=Count("id"),
            settled=Count("id", filter=Q(status=CaseStatus.SETTLED, settled_on__lte=end)),
            not_settled=Count("id", filter=Q(status=CaseStatus.NOT_SETTLED, settled_on__lte=end)),
        )
    ):
        figures = pieces[row[BY]]
        for metric in ("received", "settled", "not_settled"):
            figures.cases[(row["kind"], metric)] += row[metric]
        figures.cases[(row["kind"], "open")] += row["received"] - row["settled"] - row["not_settled"]
        if row["victim"]:
            figures.victims[row["victim"]] += row["received"]
    return pieces


def figures(unit: Unit, start: datetime.date, end: datetime.date) -> Figures:
    """Everything counted in ``unit``'s subtree from ``start`` to ``end`` (both included)."""
    total = Figures()
    for piece in grouped_figures(_by_unit(unit, _unit_rows(unit)), start, end).values():
        total.add(piece)
    return total


def figures_by_child(unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Figures]]:
    """One line per child unit (its own subtree), and ``unit``'s own work as a last line when it has any."""
    units = _unit_rows(unit)
    children = list(unit.children.order_by(vi("name")))
    by_child = {child.pk: Figures() for child in children}
    own = Figures()
    for unit_id, piece in grouped_figures(_by_unit(unit, units), start, end).items():
        parts = units[unit_id][0][len(unit.path) :].split(".")
        child_id = int(parts[0]) if parts[0] else None
        by_child.get(child_id, own).add(piece)
    lines = [(child, by_child[child.pk]) for child in children]
    if any(sum(counter.values()) for counter in vars(own).values()):
        lines.append((unit, own))
    return lines


# --- Follow-up board ---------------------------------------------------------------------------


@dataclass
class Board:
    totals: dict
    by_addressee: list[dict]
    by_age: list[tuple[str, int]]
    overdue: list[Recommendation]
    due_soon: list[Recommendation]


def _band_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high else f"> {low - 1}"


def follow_up_board(recommendations, today: datetime.date, limit: int = 200) -> Board:
    """Open, overdue and resolved recommendations and commitments of a scoped queryset, as of ``today``."""
    is_open = ~Q(status__in=CLOSED_STATUSES)
    is_overdue = is_open & Q(due_on__lt=today)
    totals = recommendations.aggregate(
        open=Count("id", filter=is_open),
        overdue=Count("id", filter=is_overdue),
        resolved=Count("id", filter=Q(status=RecommendationStatus.RESOLVED)),
        not_accepted=Count("id", filter=Q(status=RecommendationStatus.NOT_ACCEPTED)),
        due_soon=Count(
            "id", filter=is_open & Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS))
        ),
        from_dialogues=Count("id", filter=is_open & Q(source=Source.DIALOGUE)),
    )
    bands = {}
    for low, high in OVERDUE_BANDS:
        condition = is_open & Q(due_on__lte=today - datetime.timedelta(low))
        if high:
            condition &= Q(due_on__gte=today - datetime.timedelta(high))
        bands[f"band_{low}"] = Count("id", filter=condition)
    ages = recommendations.aggregate(**bands)
    by_addressee = list(
        recommendations.values("addressee")
        .annotate(
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=is_overdue),
            resolved=Count("id", filter=Q(status=RecommendationStatus.RESOLVED)),
        )
        .filter(Q(open__gt=0) | Q(resolved__gt=0))
        .order_by("-overdue", "-open", "addressee")[:50]
    )
    related = ("unit", "supervision", "opinion__dialogue")
    overdue = list(recommendations.filter(is_overdue).select_related(*related).order_by("due_on", "id")[:limit])
    due_soon = list(
        recommendations.filter(is_open, due_on__gte=today, due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS))
        .select_related(*related)
        .order_by("unit__path", "due_on", "id")[:limit]
    )
    return Board(
        totals=totals,
        by_addressee=by_addressee,
        by_age=[(_band_label(low, high), ages[f"band_{low}"]) for low, high in OVERDUE_BANDS],
        overdue=overdue,
        due_soon=due_soon,
    )
