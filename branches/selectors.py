"""Reads over the tree of units: the tree as of a date, children with counts, search, a unit's history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.scope import Action
from common.collation import vi, vi_key

from .constants import LEAD_LEVELS, LEVEL_ORDER, Level
from .models import Lineage, ReorgEvent, Unit, UnitPeriod, UnitPopulation, alive_on_q, path_ids


def count_related(model, field: str, **filters) -> Coalesce:
    """A subquery counting ``model`` rows whose ``field`` points at the outer row (no GROUP BY on the outer query)."""
    subquery = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(c=Count("*"))
        .values("c")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def entry_units(user, levels):
    """Live units of ``levels`` where ``user`` may enter data, the highest first (for a unit picker, which asks
    for those matching what is typed when they are many: a province's branches are all offered)."""
    units = Unit.objects.for_user(user, Action.ENTER).active().filter(level__in=levels).select_related("parent")
    return units.in_vi_order()


def leads_work(user) -> bool:
    """Whether ``user`` may record what a commune union or a level above records (dialogue forums, supervisions,
    training courses, imports of records): the buttons to them are shown only then."""
    return entry_units(user, LEAD_LEVELS).exists()


def top_unit(user) -> Unit | None:
    """The highest unit the user may see (her own union): what a page shows when she names no unit."""
    return Unit.objects.for_user(user).select_related("parent").order_by("depth", "path").first()


def tree_order(units: list[Unit]) -> list[Unit]:
    """``units`` in tree order (each under its parent), siblings in Vietnamese alphabetical order."""
    names = {unit.pk: unit.name for unit in units}

    def key(unit):
        ids = path_ids(unit.path)
        return tuple((vi_key(names[i]) if i in names else ((), (), ()), i) for i in ids)

    return sorted(units, key=key)


def provinces_on_paths(paths: dict) -> dict:
    """Key -> the id of the province among the units of its path (None above the provinces), in one query: what
    ``Member.province`` holds for a member of a branch with that path."""
    on_path = {key: path_ids(path) for key, path in paths.items()}
    ancestors = {pk for ids in on_path.values() for pk in ids}
    provinces = set(Unit.objects.filter(pk__in=ancestors, level=Level.PROVINCE).values_list("pk", flat=True))
    return {key: next((pk for pk in ids if pk in provinces), None) for key, ids in on_path.items()}


def province_ids(unit_ids) -> dict[int, int | None]:
    """Unit id -> the id of the province it is in (itself for a province)."""
    return provinces_on_paths(dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "path")))


def province_id(unit: Unit) -> int | None:
    """The province ``unit`` is in (itself for a province, with no query; None for the Central Union)."""
    if unit.level == Level.PROVINCE:
        return unit.pk
    return provinces_on_paths({unit.pk: unit.path})[unit.pk]


def period_on(unit: Unit, day: datetime.date) -> UnitPeriod | None:
    return UnitPeriod.objects.filter(alive_on_q(day), unit=unit).first()


def tree_as_of(day: datetime.date, root: Unit | None = None):
    """The units as they stood on ``day`` (name, code, parent, path of that day), ordered by path.

    With ``root``, only its subtree as it was then; empty when the root did not exist then.
    """
    periods = UnitPeriod.objects.filter(alive_on_q(day)).select_related("unit")
    if root is not None:
        root_period = period_on(root, day)
        if root_period is None:
            return UnitPeriod.objects.none()
        periods = periods.filter(path__startswith=root_period.path)
    return periods.order_by("path")


def level_counts_as_of(day: datetime.date, root: Unit) -> dict[str, int]:
    """How many units of each level stood below ``root`` on ``day``: one grouped query."""
    rows = tree_as_of(day, root).exclude(unit=root).order_by().values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def unit_children(unit: Unit):
    """Live sub-units of ``unit`` with how many live sub-units each has in turn."""
    return (
        Unit.objects.filter(parent=unit, valid_to__isnull=True)
        .annotate(child_count=count_related(Unit, "parent", valid_to__isnull=True))
        .order_by(vi("name"))
    )


def subtree_level_counts(unit: Unit) -> dict[str, int]:
    """Live units of each level in ``unit``'s subtree, the unit itself excluded."""
    rows = Unit.objects.in_subtree(unit).active().exclude(pk=unit.pk).order_by().values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def root_units_for(user):
    """The topmost units a user may see: the starting points of her unit browser."""
    units = list(
        Unit.objects.for_user(user, Action.VIEW)
        .filter(valid_to__isnull=True)
        .annotate(child_count=count_related(Unit, "parent", valid_to__isnull=True))
        .order_by("path")
    )
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def unit_search(user, text: str, limit: int = 50):
    text = (text or "").strip()
    if not text:
        return Unit.objects.none()
    return (
        Unit.objects.for_user(user, Action.VIEW)
        .search(text)
        .select_related("parent")
        .order_by(F("valid_to").asc(nulls_first=True), "depth", "name_folded")[:limit]
    )


def population_by_year(unit: Unit) -> list[UnitPopulation]:
    return list(UnitPopulation.objects.filter(unit=unit).order_by("-year"))


@dataclass
class UnitHistory:
    periods: list[UnitPeriod]
    events: list[ReorgEvent]
    predecessors: list[Lineage]
    successors: list[Lineage]
    audit: list


def unit_history(unit: Unit, audit_limit: int = 50) -> UnitHistory:
    """Everything that happened to a unit: its states over time, reorganisations, lineage and edits."""
    lineage = Lineage.objects.select_related("predecessor", "successor", "event")
    events = (
        ReorgEvent.objects.filter(Q(unit=unit) | Q(lineage__predecessor=unit) | Q(lineage__successor=unit))
        .select_related("actor")
        .distinct()
        .order_by("-effective_on", "-id")
    )
    return UnitHistory(
        periods=list(
            UnitPeriod.objects.filter(unit=unit)
            .select_related("parent")
            .order_by(F("valid_from").desc(nulls_last=True))
        ),
        events=list(events),
        predecessors=list(lineage.filter(successor=unit)),
        successors=list(lineage.filter(predecessor=unit)),
        audit=list(unit.history.select_related("history_user").order_by("-history_date")[:audit_limit]),
    )


def breadcrumbs(unit: Unit, user) -> list[Unit]:
    """The unit's ancestors the user may see, top first."""
    ids = unit.ancestor_ids
    visible = Unit.objects.for_user(user, Action.VIEW).filter(pk__in=ids).in_bulk()
    return [visible[pk] for pk in ids if pk in visible]


def unit_by_code(value: str) -> Unit | None:
    """The unit a command line names: ``id:N``, or an official code. The same code may belong to two units (a
    district and a commune, or a unit dissolved in a reform and a new one): a live unit wins, then the higher
    level, then the one that lived last."""
    value = value.strip()
    if value.startswith("id:"):
        return Unit.objects.filter(pk=int(value[3:])).first() if value[3:].isdigit() else None
    candidates = list(Unit.objects.filter(code=value))
    candidates.sort(
        key=lambda u: (
            u.valid_to is not None,
            LEVEL_ORDER.index(u.level),
            -(u.valid_to or datetime.date.min).toordinal(),
        )
    )
    return candidates[0] if candidates else None


# The levels a list can be narrowed to (a branch's own records are reached from its page).
LIST_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def list_units(user, current: Unit | None = None):
    """The live units above branch level a list can be narrowed to, highest first (for a unit picker), and
    ``current`` (the unit the list shows, which may be a branch reached from its page)."""
    units = Unit.objects.for_user(user).active().filter(level__in=LIST_LEVELS)
    if current is not None and current.level not in LIST_LEVELS:
        units = units | Unit.objects.filter(pk=current.pk)
    return units.select_related("parent").in_vi_order()
