"""Reads of period reports: who is expected to report, completeness, indicator roll-ups, known figures, targets."""

import datetime
import decimal
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.constants import Level
from branches.grouping import in_provinces
from branches.models import Unit, UnitPeriod, alive_on_q
from branches.records import provinces_of
from cadres.models import Classification, Grade
from common.collation import vi_key
from members import selectors as member_selectors
from members.constants import EventKind
from members.models import MemberEvent
from supervision import selectors as supervision

from ..constants import ReportState, TargetMetric
from ..models import Indicator, PeriodReport, ReportingPeriod, Target
from .indicators import IndicatorFigures, indicator_figures, periods_of


def reporting_levels() -> set[str]:
    levels = set()
    for value in Indicator.objects.active().values_list("levels", flat=True):
        levels.update(level for level in value.split(",") if level)
    return levels


@dataclass
class Line:
    """A unit expected to report in a period, as the tree stood then, and where its report is."""

    unit_id: int
    name: str
    level: str
    path: str
    report: PeriodReport | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def sort_key(self) -> tuple:
        return vi_key(self.name)

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else _("not started")

    @property
    def submitted(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.APPROVED)

    @property
    def on_time(self) -> bool:
        return bool(self.report and self.report.on_time)


def _lines(periods, period: ReportingPeriod) -> list[Line]:
    periods = list(periods)
    reports = {
        r.unit_id: r
        for r in PeriodReport.objects.filter(period=period, unit_id__in=[p.unit_id for p in periods]).select_related(
            "period", "decided_by"
        )
    }
    return [Line(p.unit_id, p.name, p.level, p.path, reports.get(p.unit_id)) for p in periods]


def expected_children(unit: Unit, period: ReportingPeriod) -> list[Line]:
    """The units directly below ``unit`` that had to report for ``period`` (tree as on its last day)."""
    periods = UnitPeriod.objects.filter(alive_on_q(period.end), parent=unit, level__in=reporting_levels()).order_by(
        "name"
    )
    return _lines(periods, period)


@dataclass
class Completeness:
    lines: list[Line]
    expected: int
    submitted: int
    on_time: int
    approved: int
    by_child: list[dict]


def completeness(unit: Unit, period: ReportingPeriod) -> Completeness:
    """Expected, submitted, on time and approved reports in ``unit``'s subtree as it stood in ``period``."""
    root = UnitPeriod.objects.filter(alive_on_q(period.end), unit=unit).first()
    path = root.path if root else unit.path
    periods = (
        UnitPeriod.objects.filter(alive_on_q(period.end), path__startswith=path, level__in=reporting_levels())
        .exclude(unit=unit)
        .order_by("path")
    )
    lines = _lines(periods, period)
    groups: dict[str, dict] = {}
    depth = path.count(".")
    names = {
        p.path: (p.unit_id, p.name)
        for p in UnitPeriod.objects.filter(
            alive_on_q(period.end), path__startswith=path, path__regex=r"^[0-9.]+$"
        ).only("path", "unit_id", "name")
        if p.path.count(".") == depth + 1
    }
    for line in lines:
        head = ".".join(line.path.split(".")[: depth + 1]) + "."
        unit_id, name = names.get(head, (None, line.name))
        group = groups.setdefault(
            head, {"unit_id": unit_id, "name": name, "expected": 0, "submitted": 0, "on_time": 0, "approved": 0}
        )
        group["expected"] += 1
        group["submitted"] += line.submitted
        group["on_time"] += line.on_time
        group["approved"] += line.state == ReportState.APPROVED
    return Completeness(
        lines=lines,
        expected=len(lines),
        submitted=sum(line.submitted for line in lines),
        on_time=sum(line.on_time for line in lines),
        approved=sum(line.state == ReportState.APPROVED for line in lines),
        by_child=sorted(groups.values(), key=lambda g: g["name"]),
    )


def subtree_indicators(unit: Unit, periods: list[ReportingPeriod], indicators=None) -> IndicatorFigures:
    """Each indicator over ``unit``'s subtree (each unit reports its own work) and ``periods``: approved totals,
    and the units whose figures are not approved yet."""
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    return indicator_figures(Unit.objects.filter(path__startswith=unit.path).values("pk"), periods, indicators)


def indicator_totals(unit: Unit, periods: list[ReportingPeriod], indicators=None) -> dict[int, decimal.Decimal]:
    return subtree_indicators(unit, periods, indicators).totals


def _joined(branch_ids, start: datetime.date, end: datetime.date):
    """Women who joined (or rejoined) one of the branches between two dates, as the report counts them."""
    return MemberEvent.objects.filter(
        kind__in=[EventKind.JOINED, EventKind.REJOINED],
        occurred_on__gte=start,
        occurred_on__lte=end,
        branch_id__in=branch_ids,
    )


def known_figures(unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """Figures the system already holds for the period, shown beside the form (read-only), counted as the annual
    report counts them: on the tree as it stood at the period's end."""
    from .annual import Tree  # the annual engine imports this package

    branches = Tree(unit, end).ids_query
    work = supervision.figures(unit, start, end)
    return [
        # A period's end is kept in the figures table when first read, as a month's end is: read again on every
        # visit to the period's reports, it then costs the branches, not the members.
        (_("Members at the end of the period"), member_selectors.count_on(end, branches, keep_day=True)),
        (_("New members in the period"), _joined(branches, start, end).count()),
        (_("Supervisions"), work.supervisions_total),
        (_("Dialogue forums"), work.total("dialogues", 1, "count")),
        (_("Opinions at dialogue forums"), work.opinions_total),
        (_("Petitions received"), work.total("cases", 0, "petition", "received")),
        (_("Mediations"), work.total("cases", 0, "mediation", "received")),
    ]


PERIOD_ENDS_KEPT_AHEAD = datetime.timedelta(days=400)  # the ends of the periods reported on in the last year or so


def period_ends_read_first(today: datetime.date) -> list[datetime.date]:
    """The ends of the reporting periods that have ended lately: the days their reports' pages read (the members
    at the period's end), kept ahead by ``manage.py keep_figures``."""
    periods = ReportingPeriod.objects.filter(end__lte=today, end__gt=today - PERIOD_ENDS_KEPT_AHEAD)
    return sorted(set(periods.values_list("end", flat=True)))


def year_periods(year: int) -> list[ReportingPeriod]:
    """The periods whose figures make up a year: the year's own period, else its half-years."""
    return periods_of(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass
class Achievement:
    target: Target
    actual: decimal.Decimal | None
    met: bool
    percent: decimal.Decimal | None
    detail: str = ""


def _attraction(unit: Unit, year: int) -> tuple[decimal.Decimal | None, str]:
    """The lowest commune attraction rate in the subtree (the target is "every commune ≥ N%")."""
    from .annual import Span, commune_rates, counted_span  # the annual engine imports this package

    rates = commune_rates(unit, counted_span(unit, Span.year(year), timezone.localdate()).end)
    if not rates:
        return None, ""
    name, lowest = min(rates, key=lambda item: item[1])
    return lowest, name


def target_achievements(
    unit: Unit, year: int, lowest_rate: tuple[str, decimal.Decimal] | None = None, figures: dict | None = None
):
    """Targets of ``unit`` covering ``year``, each with what was achieved on its subtree.

    ``lowest_rate`` (commune name, rate), when the caller has already counted it, saves a scan of the members;
    ``figures`` (key -> value of the year's report) serve targets set on a report figure.
    """

    results = []
    targets = list(Target.objects.filter(unit=unit).covering(year).select_related("indicator"))
    for target in targets:
        years = range(target.year, min(target.end_year, year) + 1)
        detail = ""
        if target.metric == TargetMetric.ATTRACTION_RATE:
            actual, detail = (lowest_rate[1], lowest_rate[0]) if lowest_rate else _attraction(unit, year)
        elif target.metric == TargetMetric.NEW_MEMBERS:
            from .annual import Tree

            last = datetime.date(years[-1], 12, 31)
            actual = decimal.Decimal(_joined(Tree(unit, last).ids_query, datetime.date(years[0], 1, 1), last).count())
        elif target.metric == TargetMetric.STRONG_BRANCHES:
            actual = decimal.Decimal(
                in_provinces(Classification.objects, "unit", provinces_of(unit))
                .filter(unit__path__startswith=unit.path, unit__level=Level.BRANCH, year__in=years, grade=Grade.STRONG)
                .count()
            )
        elif target.metric == TargetMetric.FIGURE:
            if figures is None:
                from .annual import Span, build, counted_span

                span = counted_span(unit, Span.year(year), timezone.localdate())
                figures = {key: figure.value for key, figure in build(unit, span).figures.items()}
            value = figures.get(target.figure)
            actual = decimal.Decimal(value) if value is not None else None
        else:
            periods = [p for y in years for p in year_periods(y)]
            actual = indicator_totals(unit, periods, [target.indicator]).get(target.indicator_id)
        met = target.is_met(actual)
        percent = (
            (actual * 100 / target.value).quantize(decimal.Decimal("0.01"))
            if actual is not None and target.value
            else None
        )
        results.append(Achievement(target, actual, met, percent, detail))
    return results
