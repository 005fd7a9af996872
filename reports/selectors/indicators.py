"""Movement indicators: which periods make up a span, and the one aggregation of their figures.

One rule for every screen and document: approved figures count. Figures of
reports still in draft, submitted or returned are never mixed in; they are
counted apart (``pending``) so that a report built early says which units are
missing from a figure.
"""

import datetime
import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from ..constants import Aggregation, PeriodKind, ReportState
from ..models import Indicator, ReportingPeriod, ReportValue

CENT = decimal.Decimal("0.01")


def periods_of(start: datetime.date, end: datetime.date) -> list[ReportingPeriod]:
    """Reporting periods that end between the dates; a year's own period stands for its half-years."""
    periods = list(ReportingPeriod.objects.filter(end__gte=start, end__lte=end))
    years = {p.year for p in periods if p.kind == PeriodKind.YEAR}
    return [p for p in periods if p.kind == PeriodKind.YEAR or p.year not in years]


def aggregate(kind: str, rows: list[dict]) -> decimal.Decimal:
    """Sum adds up; last value takes the latest period's sum over units; average averages every figure."""
    if kind == Aggregation.SUM:
        return sum((r["total"] for r in rows), decimal.Decimal(0))
    if kind == Aggregation.LAST:
        last = max(r["period_end"] for r in rows)
        return sum((r["total"] for r in rows if r["period_end"] == last), decimal.Decimal(0))
    count = sum(r["n"] for r in rows)
    return (sum((r["total"] for r in rows), decimal.Decimal(0)) / count).quantize(CENT)


@dataclass
class IndicatorFigures:
    """Approved totals of each indicator, the same folded per group (e.g. per unit directly below), and for
    each indicator the units whose figures are not approved yet."""

    totals: dict[int, decimal.Decimal] = field(default_factory=dict)
    by_group: dict[int, dict[int, decimal.Decimal]] = field(default_factory=dict)
    pending: dict[int, set[int]] = field(default_factory=dict)


def indicator_figures(
    units, periods: list[ReportingPeriod], indicators: Iterable[Indicator], group: Callable[[int], int | None] = None
) -> IndicatorFigures:
    """The figures of ``units`` (a queryset of unit ids) over ``periods``: one grouped query.

    ``group`` maps a unit id to the group its figures also count in (None: the whole only).
    """
    kinds = {i.pk: i.aggregation for i in indicators}
    found = IndicatorFigures()
    if not kinds or not periods:
        return found
    rows = (
        ReportValue.objects.filter(report__unit_id__in=units, report__period__in=periods, indicator_id__in=kinds)
        .values("report__unit_id", "report__state", "indicator_id", "report__period__end")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    )
    whole: dict[int, list] = defaultdict(list)
    per_group: dict[tuple[int, int], list] = defaultdict(list)
    for row in rows:
        unit_id, indicator_id = row["report__unit_id"], row["indicator_id"]
        if row["report__state"] != ReportState.APPROVED:
            found.pending.setdefault(indicator_id, set()).add(unit_id)
            continue
        item = {"total": row["total"], "n": row["n"], "period_end": row["report__period__end"]}
        whole[indicator_id].append(item)
        key = group(unit_id) if group is not None else None
        if key is not None:
            per_group[(key, indicator_id)].append(item)
    found.totals = {indicator_id: aggregate(kinds[indicator_id], items) for indicator_id, items in whole.items()}
    for (key, indicator_id), items in per_group.items():
        found.by_group.setdefault(key, {})[indicator_id] = aggregate(kinds[indicator_id], items)
    return found
