"""Bringing the tree in line with official lists: loading a unit list and applying the 2025 reform."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..adminlists import Decisions, OfficialUnit, ReformRow, unit_type_for, with_type_prefix
from ..constants import EventKind, Level, UnitType
from ..models import Unit
from . import _record, _reperiod, level_retire, unit_merge, unit_move, unit_rename, units_bulk_create


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    renamed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Unit] = field(default_factory=list)


NATIONAL_NAME = "Trung ương Hội LHPN Việt Nam"
NATIONAL_CODE = "VN"


def national_root(*, effective_on: datetime.date | None = None, actor=None) -> Unit:
    """The Central Union above every province (created once); provinces without a parent move under it."""
    root = Unit.objects.active().filter(level=Level.CENTRAL).first()
    if root is None:
        root = units_bulk_create(
            [Unit(name=NATIONAL_NAME, code=NATIONAL_CODE, level=Level.CENTRAL, unit_type=UnitType.CENTRAL)],
            valid_from=None, actor=actor,
        )[0]  # fmt: skip
    for province in Unit.objects.active().filter(level=Level.PROVINCE, parent__isnull=True):
        unit_move(unit=province, new_parent=root, effective_on=effective_on or datetime.date.today(), actor=actor)
    return root


@transaction.atomic
def admin_units_load(
    *, units: list[OfficialUnit], effective_on: datetime.date | None, actor=None, national: bool = False
) -> LoadSummary:
    """Create the units of an official list that are not in the tree; rename or move those that changed.

    Idempotent: a second run finds every unit by its live code and changes nothing.
    Units of the same provinces that the list no longer has are reported, never deleted.
    With ``national``, the provinces hang under the Central Union (created on the first such load).
    """
    summary = LoadSummary()
    first_load = not Unit.objects.exists()
    # A first load describes the tree "as it has been"; later loads date their changes.
    valid_from = None if first_load else effective_on
    root = national_root(effective_on=effective_on, actor=actor) if national else None
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        existing = {u.code: u for u in Unit.objects.active().filter(level=level).exclude(code="")}
        parents = {
            u.code: u for u in Unit.objects.active().filter(level__in=[Level.PROVINCE, Level.DISTRICT]).exclude(code="")
        }
        new_units = []
        for official in (u for u in units if u.level == level):
            parent = parents.get(official.parent_code) if official.parent_code else root
            unit = existing.get(official.code)
            if unit is None:
                new_units.append(
                    Unit(
                        name=official.name,
                        code=official.code,
                        level=level,
                        unit_type=official.unit_type,
                        parent=parent,
                    )
                )
                continue
            changed = False
            if unit.name != " ".join(official.name.split()) or unit.unit_type != official.unit_type:
                summary.renamed.append(f"{unit.name} → {official.name}")
                unit_rename(
                    unit=unit, name=official.name, unit_type=official.unit_type, effective_on=effective_on, actor=actor
                )
                changed = True
            if parent is not None and unit.parent_id != parent.pk:
                summary.moved.append(f"{unit.name} → {parent.name}")
                unit_move(unit=unit, new_parent=parent, effective_on=effective_on, actor=actor)
                changed = True
            summary.unchanged += not changed
        if new_units:
            units_bulk_create(new_units, valid_from=valid_from, actor=actor)
            summary.created[level] += len(new_units)
    listed = {(u.level, u.code) for u in units}
    provinces = [u.code for u in units if u.level == Level.PROVINCE]
    for province in Unit.objects.active().filter(level=Level.PROVINCE, code__in=provinces):
        for unit in Unit.objects.in_subtree(province).active().filter(level__in=[Level.DISTRICT, Level.COMMUNE]):
            if unit.code and (unit.level, unit.code) not in listed:
                summary.missing.append(unit)
    return summary


@dataclass
class ReformPlan:
    """What a reform mapping would do to the tree, worked out before anything is written."""

    effective_on: datetime.date
    provinces: dict[str, tuple[str, list[Unit]]] = field(default_factory=dict)  # new code -> (name, old units)
    communes: dict[str, tuple[str, list[Unit]]] = field(default_factory=dict)  # new code -> (name, old units)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # old code -> candidate new codes
    unmapped: list[Unit] = field(default_factory=list)
    not_in_tree: list[ReformRow] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.ambiguous and not self.unmapped


def admin_reform_plan(*, rows: list[ReformRow], decisions: Decisions, effective_on: datetime.date) -> ReformPlan:
    plan = ReformPlan(effective_on=effective_on)
    live_communes = {
        u.code: u for u in Unit.objects.alive_on(effective_on).filter(level=Level.COMMUNE).exclude(code="")
    }
    live_provinces = {
        u.code: u for u in Unit.objects.alive_on(effective_on).filter(level=Level.PROVINCE).exclude(code="")
    }
    candidates: dict[str, dict[str, str]] = defaultdict(dict)  # old code -> {new code: new name}
    province_of_new: dict[str, tuple[str, str]] = {}
    for row in rows:
        candidates[row.old_ward_code][row.new_ward_code] = row.new_ward_name
        province_of_new[row.new_ward_code] = (row.new_province_code, row.new_province_name)
        if row.old_province_code in live_provinces:
            old_province = live_provinces[row.old_province_code]
            name, olds = plan.provinces.setdefault(row.new_province_code, (row.new_province_name, []))
            if old_province not in olds:
                olds.append(old_province)
        if row.old_ward_code not in live_communes:
            plan.not_in_tree.append(row)

    affected_provinces = [p for _, olds in plan.provinces.values() for p in olds]
    names = {code: name for targets in candidates.values() for code, name in targets.items()}
    names.update(decisions.names)
    for province in affected_provinces:
        for commune in Unit.objects.in_subtree(province).alive_on(effective_on).filter(level=Level.COMMUNE):
            chosen = decisions.targets.get(commune.code)
            options = candidates.get(commune.code, {})
            if chosen is None and len(options) == 1:
                chosen = next(iter(options))
            if chosen is None:
                if options:
                    plan.ambiguous[commune.code] = sorted(options)
                else:
                    plan.unmapped.append(commune)
                continue
            if chosen not in names:
                raise ValidationError(
                    _("Decision for %(old)s names %(new)s, which is neither in the mapping nor given a name.")
                    % {"old": commune.code, "new": chosen}
                )
            plan.communes.setdefault(chosen, (names[chosen], []))[1].append(commune)
    return plan


def _commune_type(name: str) -> str:
    return unit_type_for(Level.COMMUNE, "", name)


@transaction.atomic
def admin_reform_apply(*, plan: ReformPlan, actor=None, reference: str = "") -> dict[str, int]:
    """Apply a ready plan: abolish the district level, merge or rename communes, rename or merge provinces.

    Official codes are reused across the reform (a new commune may carry the code a
    merged one had), so the codes of surviving communes are cleared before the new
    ones are given out; only live units need unique codes.
    """
    if not plan.ready:
        raise ValidationError(_("The reform plan still has communes without a decision."))
    day = plan.effective_on
    counts = defaultdict(int)

    provinces: list[Unit] = []
    for new_code, (new_name, olds) in plan.provinces.items():
        if len(olds) == 1:
            province = olds[0]
            type_word = "Thành phố" if province.unit_type == UnitType.CENTRAL_CITY else "Tỉnh"
            full_name = with_type_prefix(new_name, type_word)
            unit_rename(
                unit=province, name=full_name, code=new_code, effective_on=day, actor=actor, reference=reference
            )
        else:
            province = unit_merge(
                sources=olds,
                new_unit={
                    "name": with_type_prefix(new_name, "Tỉnh"),
                    "code": new_code,
                    "level": Level.PROVINCE,
                    "unit_type": olds[0].unit_type,
                    "parent": olds[0].parent,  # under the national root, where there is one
                },
                effective_on=day,
                actor=actor,
                reference=reference,
            )
        provinces.append(province)
        counts["districts_dissolved"] += level_retire(
            root=province, level=Level.DISTRICT, effective_on=day, actor=actor, reference=reference
        )

    province_by_commune = {}
    for province in provinces:
        for commune_id in Unit.objects.in_subtree(province).filter(level=Level.COMMUNE).values_list("pk", flat=True):
            province_by_commune[commune_id] = province

    renames = {code: olds[0] for code, (name, olds) in plan.communes.items() if len(olds) == 1}
    merges = {code: (name, olds) for code, (name, olds) in plan.communes.items() if len(olds) > 1}
    before = {unit.pk: {"name": unit.name, "code": unit.code, "unit_type": unit.unit_type} for unit in renames.values()}
    Unit.objects.filter(pk__in=[u.pk for u in renames.values()]).update(code="")

    for new_code, (new_name, olds) in merges.items():
        unit_merge(
            sources=olds,
            new_unit={
                "name": new_name,
                "code": new_code,
                "level": Level.COMMUNE,
                "unit_type": _commune_type(new_name),
                "parent": province_by_commune[olds[0].pk],
            },
            effective_on=day,
            actor=actor,
            reference=reference,
        )
        counts["communes_merged"] += len(olds)
        counts["communes_created"] += 1

    for new_code, unit in renames.items():
        unit.refresh_from_db()
        unit.name = plan.communes[new_code][0]
        unit.code = new_code
        unit.unit_type = _commune_type(unit.name)
        unit.full_clean()
        unit._history_user = actor
        unit.save()
        _reperiod([unit], day)
        after = {"name": unit.name, "code": unit.code, "unit_type": unit.unit_type}
        if after != before[unit.pk]:
            _record(
                EventKind.RENAME if after["name"] != before[unit.pk]["name"] else EventKind.RECODE,
                unit,
                _("%(old)s renamed to %(new)s") % {"old": before[unit.pk]["name"], "new": unit.name},
                effective_on=day,
                actor=actor,
                reference=reference,
                detail={"before": before[unit.pk], "after": after},
            )
        counts["communes_kept"] += 1
    return dict(counts)
