"""Demo reporting periods, period reports in every state and targets for the demo province."""

import datetime
import decimal
import random

from django.db import transaction
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces

from .constants import Measure, ReportState
from .models import Indicator, PeriodReport, ReportingPeriod, ReportValue, Target
from .services import default_periods

SCALE = {
    Measure.COUNT: (0, 6),
    Measure.VND: (5_000_000, 400_000_000),
    Measure.HOUSEHOLDS: (10, 400),
    Measure.PEOPLE: (20, 600),
    Measure.PERCENT: (55, 95),
}


@transaction.atomic
def build_demo_reports(province: Unit, seed: int = 2025) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    periods = []
    for year in range(2023, today.year + 1):
        for kind, start, end, deadline in default_periods(year):
            if start <= today:
                periods.append(
                    ReportingPeriod.objects.get_or_create(
                        kind=kind, year=year, defaults={"start": start, "end": end, "deadline": deadline}
                    )[0]
                )
    indicators = list(Indicator.objects.active())
    units = list(
        Unit.objects.in_subtree(province).active().filter(level__in=[Level.DISTRICT, Level.COMMUNE]).order_by("-depth")
    )
    reports, values = [], []
    children: dict[int, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    for period in periods:
        approved = set()
        finished = period.deadline < today - datetime.timedelta(days=60)
        for unit in units:
            roll = rng.random()
            if finished:
                state = ReportState.APPROVED
            elif period.end > today:
                continue
            else:
                state = rng.choices(
                    ["missing", ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED],
                    weights=(10, 15, 35, 10, 30),
                )[0]
            if state == ReportState.APPROVED and not all(c in approved for c in children.get(unit.pk, [])):
                state = ReportState.SUBMITTED  # as in the app: approved only once everything below is
            if state == "missing":
                continue
            if state == ReportState.APPROVED:
                approved.add(unit.pk)
            submitted = None
            if state != ReportState.DRAFT:
                late = roll < 0.15
                day = (
                    period.deadline + datetime.timedelta(days=rng.randint(1, 10))
                    if late
                    else period.deadline - datetime.timedelta(days=rng.randint(0, 9))
                )
                submitted = timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(9)))
            report = PeriodReport(
                unit=unit,
                period=period,
                state=state,
                first_submitted_at=submitted,
                submitted_at=submitted,
                decided_at=submitted if state in (ReportState.APPROVED, ReportState.RETURNED) else None,
            )
            reports.append(report)
    PeriodReport.objects.bulk_create(with_provinces(reports), batch_size=2000)
    for report in reports:
        share = 1 if report.unit.level == Level.COMMUNE else 3
        for indicator in indicators:
            low, high = SCALE[indicator.measure]
            value = rng.randint(low, high) * (share if indicator.measure != Measure.PERCENT else 1)
            values.append(ReportValue(report=report, indicator=indicator, value=decimal.Decimal(value)))
    ReportValue.objects.bulk_create(values, batch_size=5000)
    targets = [
        Target(
            unit=province, span="term", year=2021, end_year=2026, metric="attraction_rate", value=decimal.Decimal(50)
        )
    ]
    for year in range(2023, today.year + 1):
        targets.append(
            Target(
                unit=province, span="year", year=year, end_year=year, metric="new_members", value=decimal.Decimal(12000)
            )
        )
        targets.append(
            Target(
                unit=province,
                span="year",
                year=year,
                end_year=year,
                metric="strong_branches",
                value=decimal.Decimal(200),
            )
        )
        houses = next((i for i in indicators if i.code == "MA01"), None)
        if houses:
            targets.append(
                Target(
                    unit=province,
                    span="year",
                    year=year,
                    end_year=year,
                    metric="indicator",
                    indicator=houses,
                    value=decimal.Decimal(400),
                )
            )
    Target.objects.bulk_create(targets)
    return {"periods": len(periods), "reports": len(reports), "targets": len(targets)}
