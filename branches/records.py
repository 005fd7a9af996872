"""Records that carry the province of their unit, so that a province's reports read its own rows of a table, not
the whole country's (a province is a thirty-fourth of the country; its records are spread over every page).

``InProvince`` keeps the column: ``save`` fills it from the record's unit (``province_from``), the bulk writers
pass what they insert through ``with_provinces``, and a reorganisation that moves units calls ``provinces_moved``
(``branches.services._reparent``). Members carry it the same way, from their branch.
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Q

from .constants import Level
from .selectors import province_id, province_ids, provinces_on_paths


class InProvince(models.Model):
    """A record with the province its ``province_from`` unit is in (None above the provinces)."""

    province_from = "unit"
    province = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="+", null=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        unit_id = getattr(self, f"{self.province_from}_id")
        if unit_id != getattr(self, "_province_of", None) and (
            update_fields is None or self.province_from in update_fields
        ):
            self.province_id = province_id(getattr(self, self.province_from))
            self._province_of = unit_id
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "province"]
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._province_of = record.__dict__.get(f"{cls.province_from}_id")  # the stored province is its unit's
        return record


def provinces_of(unit) -> list[int] | None:
    """The provinces whose records hold those of ``unit``'s subtree today (``grouping.in_provinces``): its own;
    None above the provinces."""
    province = province_id(unit)
    return None if province is None else [province]


def provinces_holding(unit_ids) -> list[int]:
    """The provinces that hold the units ``unit_ids`` (a query of ids) today, and so their records: read off the
    units' paths at the provinces' depth (every province stands at the same depth, under the root or the Central
    Union)."""
    Unit = apps.get_model("branches", "Unit")
    depth = Unit.objects.filter(level=Level.PROVINCE).values_list("depth", flat=True).first()
    if depth is None:
        return []
    paths = Unit.objects.filter(pk__in=unit_ids, depth__gte=depth).values_list("path", flat=True)
    return sorted({int(path.split(".")[depth]) for path in paths})


def province_models() -> list[type[InProvince]]:
    return [model for model in apps.get_models() if issubclass(model, InProvince)]


def with_provinces(records: list) -> list:
    """Give records about to be bulk inserted or updated (which skips ``save``) the province of their unit: one
    look-up of their units' provinces."""
    if records:
        source = f"{records[0].province_from}_id"
        provinces = province_ids({getattr(record, source) for record in records})
        for record in records:
            record.province_id = provinces[getattr(record, source)]
    return records


def fill_provinces(model, unit_model, unit_field: str = "unit") -> int:
    """Give every row of ``model`` the province its unit is in (a migration's historical models): an update per
    province, by the ids of its units (their index, whatever the planner knows of the tables)."""
    filled = 0
    for pk, path in unit_model.objects.filter(level=Level.PROVINCE).values_list("pk", "path"):
        units = list(unit_model.objects.filter(path__startswith=path).values_list("pk", flat=True))
        filled += model.objects.filter(**{f"{unit_field}_id__in": units}).update(province_id=pk)
    return filled


def provinces_moved(units: Iterable) -> int:
    """Units have moved in the tree: the records of their subtrees, in every table that carries a province, take
    the province they are in now (one query for the provinces and one for the subtrees' units, then an update per
    table and province, by the units' ids). Returns how many rows changed province."""
    units = list(units)
    provinces = provinces_on_paths({unit.pk: unit.path for unit in units})
    by_province: dict[int | None, list[int]] = {}
    for unit in units:
        by_province.setdefault(provinces[unit.pk], []).append(unit.path)
    Unit = apps.get_model("branches", "Unit")
    moved = 0
    for province, paths in by_province.items():
        subtree = reduce(or_, (Q(path__startswith=path) for path in paths))
        ids = list(Unit.objects.filter(subtree).values_list("pk", flat=True))
        for model in province_models():
            rows = model.objects.filter(**{f"{model.province_from}_id__in": ids}).exclude(province_id=province)
            moved += rows.update(province_id=province)
    return moved
