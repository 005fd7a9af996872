"""How the records of a subtree are grouped by the database for the figures: by unit, by level, or by line.

Every selector that counts records for a report asks a grouping for them (``records``): it narrows the records to
the grouping's units and puts the key they are summed under in the column ``by``. The report engine then reads a
row per key and figure:
- ``ByUnit``: a row per unit (the figures page of a unit's own children, tests);
- ``ByLevel``: a row per level of the units below a root as the tree stood on a day (the span before a report's,
  which prints totals only);
- ``ByLine``: a row per line and level, a line being the unit directly below the root on the unit's path as the
  tree stood on a day. A national report reads a row per province and figure instead of one per unit of the
  country (tens of thousands).
"""

import datetime
from collections.abc import Mapping

from django.db.models import F, Q, Value
from django.db.models.functions import Concat, StrIndex, Substr

from .models import alive_on_q

BY = "by"  # the column the key is put in


def in_provinces(queryset, field: str, provinces):
    """Only the records of ``provinces`` (ids; None: every record), read by the records' own province column
    (``branches.records``): a province's report reads its own rows of a table, not the whole country's."""
    if provinces is None:
        return queryset
    return queryset.filter(**{f"{field.removesuffix('unit')}province_id__in": provinces})


class ByUnit:
    """A row per unit of ``ids`` (a list or a subquery of unit ids); ``levels``: unit id -> level; ``provinces``:
    see ``in_provinces``."""

    def __init__(self, ids, levels: Mapping[int, str], provinces=None):
        self.ids = ids
        self.levels = levels
        self.provinces = provinces

    def records(self, queryset, field: str = "unit"):
        queryset = in_provinces(queryset, field, self.provinces)
        return queryset.filter(**{f"{field}_id__in": self.ids}).annotate(**{BY: F(f"{field}_id")})

    def level(self, key: int) -> str:
        return self.levels[key]


class _InTree:
    """The records of the units below ``path`` (the root's path, ending in a dot) as the tree stood on ``day``, in
    ``provinces`` when given (see ``in_provinces``): each record's unit joined to its period that day, whose path
    and level the key is made of (a period's level is its unit's: levels never change)."""

    def __init__(self, path: str, day: datetime.date, provinces=None):
        self.path = path
        self.day = day
        self.provinces = provinces

    def records(self, queryset, field: str = "unit"):
        queryset = in_provinces(queryset, field, self.provinces)
        periods = f"{field}__periods__"
        # One filter() call, so that its conditions and the key read the same period. The level is the period's
        # too: the units are only passed through on the way to their periods, and no unit is read row by row.
        within = alive_on_q(self.day, periods) & Q(**{f"{periods}path__startswith": self.path})
        return queryset.filter(within).annotate(**{BY: self._key(periods)})

    def periods(self, queryset):
        """The units themselves: their periods (a ``UnitPeriod`` queryset, of the days the caller picks) below
        ``path``, the key in ``by``: a report that did not read every unit of its tree counts the rest this way."""
        return queryset.filter(path__startswith=self.path).annotate(**{BY: self._key("")})


class ByLevel(_InTree):
    """A row per level. Keys are levels."""

    @staticmethod
    def _key(periods: str):
        return F(f"{periods}level")

    @staticmethod
    def level(key: str) -> str:
        return key


class ByLine(_InTree):
    """A row per line and level. Keys read "<line's unit id>:<level>", and ":<level>" for the root's own records."""

    def _key(self, periods: str):
        # The path as it stood; its segment after the root's path is the line (paths are unit ids joined by dots,
        # ending in a dot).
        rest = Substr(F(f"{periods}path"), len(self.path) + 1)  # "" for the root's own
        line = Substr(rest, 1, StrIndex(Concat(rest, Value(".")), Value(".")) - 1)
        return Concat(line, Value(":"), F(f"{periods}level"))

    @staticmethod
    def parse(key: str) -> tuple[int | None, str]:
        """(the line's unit id, None for the root's own; the level) of a key."""
        line, _, level = key.partition(":")
        return (int(line) if line else None), level

    @classmethod
    def level(cls, key: str) -> str:
        return cls.parse(key)[1]
