"""Writes to the tree of units: creation, reorganisations and women-18+ figures.

Reorganisations never delete: they close the current ``UnitPeriod`` of every
unit they touch and open a new one on the effective date, retire units by
setting ``valid_to``, and record a ``ReorgEvent`` with the lineage, so that the
tree as it stood on any date stays readable.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from common import validators as dates
from common.text import fold

from ..constants import EventKind, Level
from ..models import PATH_SEPARATOR, Lineage, ReorgEvent, Unit, UnitPeriod, UnitPopulation, check_placement
from ..records import provinces_moved

_STATE_FIELDS = ("parent_id", "name", "code", "level", "unit_type", "path")


def _period_state(unit: Unit) -> dict:
    return {field: getattr(unit, field) for field in _STATE_FIELDS}


def _reperiod(units: Sequence[Unit], effective_on: datetime.date | None) -> None:
    """Close the open period of each unit on ``effective_on`` and open one with its current state.

    A period that began on the same day is corrected in place: a unit renamed and
    moved on the same day has one new state, not an empty one in between.
    """
    if not units:
        return
    open_periods = {
        period.unit_id: period
        for period in UnitPeriod.objects.filter(unit_id__in=[u.pk for u in units], valid_to__isnull=True)
    }
    to_close, to_correct, to_open = [], [], []
    for unit in units:
        period = open_periods.get(unit.pk)
        _require_after(unit, period, effective_on)
        if period is not None and period.valid_from == effective_on:
            for field, value in _period_state(unit).items():
                setattr(period, field, value)
            to_correct.append(period)
            continue
        if period is not None:
            period.valid_to = effective_on
            to_close.append(period)
        to_open.append(UnitPeriod(unit=unit, valid_from=effective_on, **_period_state(unit)))
    UnitPeriod.objects.bulk_update(to_close, ["valid_to"])
    UnitPeriod.objects.bulk_update(to_correct, list(_STATE_FIELDS))
    UnitPeriod.objects.bulk_create(to_open)


def _require_after(unit: Unit, period: UnitPeriod | None, effective_on: datetime.date | None) -> None:
    """A change to a unit takes effect after the state it changes began: back-dating it would rewrite the
    reports of every year in between."""
    if effective_on is None:
        return
    dates.happened(effective_on)
    if period is not None and period.valid_from is not None and effective_on < period.valid_from:
        raise ValidationError(
            _("%(unit)s: a change cannot take effect on %(date)s, before its current state began (%(since)s).")
            % {
                "unit": unit.name,
                "date": date_format(effective_on, "d/m/Y"),
                "since": date_format(period.valid_from, "d/m/Y"),
            }
        )


def _check_effective(units: Sequence[Unit], effective_on: datetime.date | None) -> None:
    periods = {
        period.unit_id: period
        for period in UnitPeriod.objects.filter(unit_id__in=[u.pk for u in units], valid_to__isnull=True)
    }
    for unit in units:
        _require_after(unit, periods.get(unit.pk), effective_on)


def _close_periods(units: Sequence[Unit], effective_on: datetime.date) -> None:
    """End the open periods of retired units; a period that would be empty never happened."""
    periods = list(UnitPeriod.objects.filter(unit__in=units, valid_to__isnull=True).select_related("unit"))
    for period in periods:
        _require_after(period.unit, period, effective_on)
    empty = [p.pk for p in periods if p.valid_from is not None and p.valid_from >= effective_on]
    UnitPeriod.objects.filter(pk__in=empty).delete()
    closing = [p for p in periods if p.pk not in empty]
    for period in closing:
        period.valid_to = effective_on
    UnitPeriod.objects.bulk_update(closing, ["valid_to"])


def _record(
    kind: str,
    unit: Unit | None,
    summary: str,
    *,
    effective_on,
    actor,
    reference: str = "",
    detail: dict | None = None,
    lineage: Iterable[tuple[Unit, Unit]] = (),
) -> ReorgEvent:
    event = ReorgEvent.objects.create(
        kind=kind,
        unit=unit,
        summary=summary[:500],
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail=detail or {},
    )
    Lineage.objects.bulk_create(
        [Lineage(event=event, predecessor=a, successor=b, effective_on=effective_on) for a, b in lineage]
    )
    return event


def _require_active(*units: Unit) -> None:
    for unit in units:
        if not unit.is_active:
            raise ValidationError(
                _("%(unit)s was dissolved on %(date)s and can no longer change.")
                % {
                    "unit": unit.name,
                    "date": unit.valid_to.strftime("%d/%m/%Y"),
                }
            )


def _reparent(units: Sequence[Unit], new_parent: Unit, effective_on, actor) -> None:
    """Hang ``units`` under ``new_parent``, rewrite the paths of their subtrees, and open new periods."""
    if not units:
        return
    old_paths = {unit.pk: unit.path for unit in units}
    for unit in units:
        if new_parent.path.startswith(unit.path):
            raise ValidationError(_("A unit cannot be placed under itself or one of its sub-units."))
        check_placement(unit.level, new_parent)
        unit.parent = new_parent
        unit.path = f"{new_parent.path}{unit.pk}{PATH_SEPARATOR}"
        unit.depth = unit.path.count(PATH_SEPARATOR) - 1
        unit._history_user = actor
    Unit.objects.bulk_update(units, ["parent", "path", "depth"])
    bulk_history(units, actor)

    subtree = Q()
    for old_path in old_paths.values():
        subtree |= Q(path__startswith=old_path)
    descendants = list(Unit.objects.filter(subtree).exclude(pk__in=old_paths))
    new_prefix = {old_paths[unit.pk]: unit.path for unit in units}
    for descendant in descendants:
        for old_prefix, prefix in new_prefix.items():
            if descendant.path.startswith(old_prefix):
                descendant.path = prefix + descendant.path[len(old_prefix) :]
                descendant.depth = descendant.path.count(PATH_SEPARATOR) - 1
                break
    Unit.objects.bulk_update(descendants, ["path", "depth"], batch_size=1000)
    _reperiod(list(units) + [d for d in descendants if d.is_active], effective_on)
    from members.services import units_moved  # members hang on units, not the other way round

    units_moved(units, effective_on)
    provinces_moved(units)  # members and every record of the subtrees take the province they are in now


def bulk_history(units: Sequence[Unit], actor) -> None:
    """Audit rows for units changed with bulk_update, which bypasses the history signals."""
    history_model = Unit.history.model
    history_model.objects.bulk_create(
        [
            history_model(
                id=unit.pk,
                name=unit.name,
                code=unit.code,
                level=unit.level,
                unit_type=unit.unit_type,
                parent_id=unit.parent_id,
                valid_from=unit.valid_from,
                valid_to=unit.valid_to,
                history_date=timezone.now(),
                history_type="~",
                history_user=actor,
            )
            for unit in units
        ],
        batch_size=1000,
    )


@transaction.atomic
def unit_create(
    *,
    name: str,
    level: str,
    unit_type: str,
    parent: Unit | None = None,
    code: str = "",
    valid_from: datetime.date | None = None,
    actor=None,
    reference: str = "",
) -> Unit:
    if parent is not None:
        _require_active(parent)
    unit = Unit(
        name=name, level=level, unit_type=unit_type, parent=parent, code=(code or "").strip(), valid_from=valid_from
    )
    unit.full_clean()
    unit._history_user = actor
    unit.save()
    _reperiod([unit], valid_from)
    _record(
        EventKind.CREATE,
        unit,
        _("%(unit)s established") % {"unit": unit.name},
        effective_on=valid_from,
        actor=actor,
        reference=reference,
        detail={"parent": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def units_bulk_create(units: Sequence[Unit], *, valid_from: datetime.date | None = None, actor=None) -> list[Unit]:
    """Create many units of one load (an official list, the demo) in a few queries.

    Every parent must already be saved. Used by loaders where one ``unit_create``
    per row would cost thousands of queries.
    """
    for unit in units:
        unit.code = (unit.code or "").strip()
        unit.valid_from = valid_from
        unit.full_clean(exclude=["parent"], validate_constraints=False)
    created = bulk_create_with_history(list(units), Unit, batch_size=1000, default_user=actor)
    if any(unit.pk is None for unit in created):
        # Only databases that return ids from bulk inserts are supported (PostgreSQL, SQLite >= 3.35).
        raise RuntimeError("bulk insert did not return ids")
    for unit in created:
        unit.path = f"{unit.parent.path if unit.parent else ''}{unit.pk}{PATH_SEPARATOR}"
        unit.depth = unit.path.count(PATH_SEPARATOR) - 1
        unit.name_folded = fold(unit.name)
    Unit.objects.bulk_update(created, ["path", "depth", "name_folded"], batch_size=1000)
    UnitPeriod.objects.bulk_create(
        [UnitPeriod(unit=unit, valid_from=valid_from, **_period_state(unit)) for unit in created], batch_size=1000
    )
    return created


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    name: str | None = None,
    code: str | None = None,
    unit_type: str | None = None,
    effective_on: datetime.date,
    actor=None,
    reference: str = "",
) -> Unit:
    _require_active(unit)
    _check_effective([unit], effective_on)  # before the unit is touched: a refused change leaves it as it was
    before = {"name": unit.name, "code": unit.code, "unit_type": unit.unit_type}
    if name is not None:
        unit.name = name
    if code is not None:
        unit.code = code.strip()
    if unit_type is not None:
        unit.unit_type = unit_type
    unit.full_clean()
    after = {"name": unit.name, "code": unit.code, "unit_type": unit.unit_type}
    if after == before:
        return unit
    unit._history_user = actor
    unit.save()
    _reperiod([unit], effective_on)
    kind = EventKind.RENAME if after["name"] != before["name"] else EventKind.RECODE
    _record(
        kind,
        unit,
        _("%(old)s renamed to %(new)s") % {"old": before["name"], "new": unit.name}
        if kind == EventKind.RENAME
        else _("%(unit)s: code %(old)s changed to %(new)s")
        % {"unit": unit.name, "old": before["code"] or "—", "new": unit.code},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail={"before": before, "after": after},
    )
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, effective_on: datetime.date, actor=None, reference: str = "") -> Unit:
    _require_active(unit, new_parent)
    _check_effective([unit], effective_on)
    old_parent = unit.parent
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return unit
    _reparent([unit], new_parent, effective_on, actor)
    _record(
        EventKind.MOVE,
        unit,
        _("%(unit)s moved from %(old)s to %(new)s")
        % {"unit": unit.name, "old": old_parent.name if old_parent else "—", "new": new_parent.name},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail={"from": old_parent.pk if old_parent else None, "to": new_parent.pk},
    )
    return unit


def _retire(units: Sequence[Unit], effective_on: datetime.date, actor) -> None:
    for unit in units:
        unit.valid_to = effective_on
        unit._history_user = actor
        if unit.valid_from is not None and unit.valid_from >= effective_on:
            raise ValidationError(
                _("%(unit)s only came into existence on %(date)s.")
                % {"unit": unit.name, "date": unit.valid_from.strftime("%d/%m/%Y")}
            )
    Unit.objects.bulk_update(units, ["valid_to"])
    bulk_history(units, actor)
    _close_periods(units, effective_on)
    from members.services import units_dissolved

    units_dissolved(units, effective_on)


@transaction.atomic
def unit_merge(
    *,
    sources: Sequence[Unit],
    target: Unit | None = None,
    new_unit: dict | None = None,
    effective_on: datetime.date,
    actor=None,
    reference: str = "",
) -> Unit:
    """Merge ``sources`` into ``target`` (an existing unit) or into a unit created from ``new_unit``.

    The sources are dissolved on ``effective_on``; their live sub-units move to
    the target (members follow their branches); the lineage is kept. A new unit
    may reuse a source's official code: sources are dissolved first.
    """
    sources = list(sources)
    if not sources or (target is None) == (new_unit is None):
        raise ValidationError(_("Name the units to merge and exactly one target."))
    _require_active(*sources)
    if target is not None:
        _require_active(target)
        if target.pk in {s.pk for s in sources}:
            raise ValidationError(_("A unit cannot be merged into itself."))
    levels = {s.level for s in sources} | ({target.level} if target else {new_unit["level"]})
    if len(levels) != 1:
        raise ValidationError(_("Only units of the same level can be merged."))

    children = list(Unit.objects.filter(parent__in=sources, valid_to__isnull=True))
    _retire(sources, effective_on, actor)
    if target is None:
        target = unit_create(**new_unit, valid_from=effective_on, actor=actor, reference=reference)
    _reparent(children, target, effective_on, actor)
    _record(
        EventKind.MERGE,
        target,
        _("%(sources)s merged into %(target)s")
        % {"sources": ", ".join(s.name for s in sources), "target": target.name},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail={"sources": [s.pk for s in sources], "target": target.pk, "moved_children": len(children)},
        lineage=[(source, target) for source in sources],
    )
    return target


@transaction.atomic
def unit_split(
    *,
    source: Unit,
    allocation: dict[Unit, Sequence[Unit]],
    effective_on: datetime.date,
    actor=None,
    reference: str = "",
) -> list[Unit]:
    """Split ``source`` into the units of ``allocation``, each receiving the sub-units listed for it.

    Every live sub-unit of the source must be allocated exactly once; the source
    is dissolved and each target records it as a predecessor.
    """
    _require_active(source, *allocation)
    if len(allocation) < 2:
        raise ValidationError(_("A split needs at least two resulting units."))
    if any(target.pk == source.pk or target.level != source.level for target in allocation):
        raise ValidationError(_("A unit splits into other units of its own level."))
    live_children = {c.pk for c in Unit.objects.filter(parent=source, valid_to__isnull=True)}
    allocated = [child.pk for children in allocation.values() for child in children]
    if len(allocated) != len(set(allocated)) or set(allocated) != live_children:
        raise ValidationError(
            _("Every sub-unit of %(unit)s must go to exactly one of the new units.") % {"unit": source.name}
        )
    _retire([source], effective_on, actor)
    for target, children in allocation.items():
        _reparent(list(children), target, effective_on, actor)
    targets = list(allocation)
    _record(
        EventKind.SPLIT,
        source,
        _("%(source)s split into %(targets)s") % {"source": source.name, "targets": ", ".join(t.name for t in targets)},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail={"targets": {t.pk: [c.pk for c in children] for t, children in allocation.items()}},
        lineage=[(source, target) for target in targets],
    )
    return targets


@transaction.atomic
def unit_retire(*, unit: Unit, effective_on: datetime.date, actor=None, reference: str = "") -> Unit:
    """Dissolve a unit that no longer has live sub-units."""
    _require_active(unit)
    if Unit.objects.filter(parent=unit, valid_to__isnull=True).exists():
        raise ValidationError(_("%(unit)s still has sub-units: move or merge them first.") % {"unit": unit.name})
    _retire([unit], effective_on, actor)
    _record(
        EventKind.RETIRE,
        unit,
        _("%(unit)s dissolved") % {"unit": unit.name},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
    )
    return unit


@transaction.atomic
def level_retire(*, root: Unit, level: str, effective_on: datetime.date, actor=None, reference: str = "") -> int:
    """Abolish a whole level below ``root``: its units' sub-units move up to their grandparent.

    This is the 1 July 2025 reform: districts disappear, communes hang under the province.
    """
    _require_active(root)
    if level in (Level.PROVINCE, root.level):
        raise ValidationError(_("This level cannot be abolished here."))
    doomed = list(Unit.objects.in_subtree(root).active().filter(level=level).select_related("parent"))
    by_parent: dict[int, tuple[Unit, list[Unit]]] = {}
    children = Unit.objects.filter(parent__in=doomed, valid_to__isnull=True)
    doomed_by_id = {unit.pk: unit for unit in doomed}
    for child in children:
        grandparent = doomed_by_id[child.parent_id].parent
        by_parent.setdefault(grandparent.pk, (grandparent, []))[1].append(child)
    for grandparent, moving in by_parent.values():
        _reparent(moving, grandparent, effective_on, actor)
    _retire(doomed, effective_on, actor)
    _record(
        EventKind.LEVEL_RETIRE,
        root,
        _("Level %(level)s abolished in %(root)s: %(count)s units dissolved")
        % {"level": Level(level).label.lower(), "root": root.name, "count": len(doomed)},
        effective_on=effective_on,
        actor=actor,
        reference=reference,
        detail={"level": level, "dissolved": [u.pk for u in doomed]},
    )
    return len(doomed)


@transaction.atomic
def population_set(*, unit: Unit, year: int, women_18_plus: int, actor=None) -> UnitPopulation:
    record = UnitPopulation.objects.filter(unit=unit, year=year).first() or UnitPopulation(unit=unit, year=year)
    record.women_18_plus = women_18_plus
    record.full_clean()
    record._history_user = actor
    record.save()
    return record
