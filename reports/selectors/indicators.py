"""Movement indicators: which periods make up a span, and the one aggregation of their figures.

One rule for every screen and document: approved figures count. Figures of
reports still in draft, submitted or returned are never mixed in; they are
counted apart (``pending``) so that a report built early says which units are
missing from a figure.
"""

import datetime
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from branches.grouping import BY, in_provinces

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


def _add(sums: dict, period_end: datetime.date, total, n: int) -> None:
    """Add a row's total and count to ``sums`` (period end -> [total, count])."""
    if (found := sums.get(period_end)) is None:
        sums[period_end] = [total, n]
    else:
        found[0] += total
        found[1] += n


def _items(sums: dict) -> list[dict]:
    """The rows ``aggregate`` reads, one per period: sums of sums are the same sums."""
    return [{"total": total, "n": n, "period_end": day} for day, (total, n) in sums.items()]


def indicator_figures(
    units,
    periods: list[ReportingPeriod],
    indicators: Iterable[Indicator],
    *,
    lines=None,
    pending: bool = True,
    provinces=None,
) -> IndicatorFigures:
    """The figures of ``units`` (a queryset of unit ids) over ``periods``.

    The database sums the approved figures per indicator and period, and per line too when ``lines`` (a
    ``ByLine`` grouping of the same units) is given: ``by_group`` then holds each line's (the unit directly below
    the root, whose id keys it; the root's own figures belong to the whole only). ``pending=False``: without the
    units whose figures are not approved yet. ``provinces``: the provinces whose reports hold those of ``units``
    (``branches.grouping.in_provinces``), when known.
    """
    kinds = {i.pk: i.aggregation for i in indicators}
    found = IndicatorFigures()
    if not kinds or not periods:
        return found
    values = in_provinces(ReportValue.objects, "report__unit", provinces)
    values = values.filter(report__period__in=periods, indicator_id__in=kinds)
    approved = values.filter(report__state=ReportState.APPROVED)
    sums = {"total": Sum("value"), "n": Count("id")}
    if lines is None:
        rows = approved.filter(report__unit_id__in=units).values_list("indicator_id", "report__period__end")
        keyed = ((None, *row) for row in rows.annotate(**sums).order_by())
    else:
        rows = lines.records(approved, "report__unit").values_list(BY, "indicator_id", "report__period__end")
        keyed = ((lines.parse(by)[0], *row) for by, *row in rows.annotate(**sums).order_by())
    # Sums of sums are the same sums: each row is added to its indicator's sums per period, for the whole and for
    # its line, and every aggregation then reads those few sums.
    whole: dict[int, dict] = defaultdict(dict)
    per_line: dict[tuple[int, int], dict] = defaultdict(dict)
    for line, indicator_id, period_end, total, n in keyed:
        _add(whole[indicator_id], period_end, total, n)
        if line is not None:
            _add(per_line[(line, indicator_id)], period_end, total, n)
    found.totals = {indicator_id: aggregate(kinds[indicator_id], _items(sums)) for indicator_id, sums in whole.items()}
    for (line, indicator_id), sums in per_line.items():
        found.by_group.setdefault(line, {})[indicator_id] = aggregate(kinds[indicator_id], _items(sums))
    if pending:
        for indicator_id, unit_id in (
            values.filter(report__unit_id__in=units)
            .exclude(report__state=ReportState.APPROVED)
            .values_list("indicator_id", "report__unit_id")
            .distinct()
            .order_by()
        ):
            found.pending.setdefault(indicator_id, set()).add(unit_id)
    return found
