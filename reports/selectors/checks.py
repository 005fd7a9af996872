"""Checks before signing: figures a report should not be signed with, found on the report itself.

Like validation rules in health statistics systems: each check names its code,
the unit concerned and what is wrong, and links to the unit. They run on the
figures the report prints (``annual.build``), plus who has reported for the
periods of the span.
"""

import decimal
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from branches.constants import Level
from common.numbers import display, money

from ..constants import ReportState
from . import expected_children
from .annual import Report
from .indicators import periods_of

# A figure that moves by more than this share of last year's is worth a second look, if last year's is not tiny.
CHANGE_LIMIT = decimal.Decimal(settings.REPORT_CHANGE_LIMIT_PERCENT)
CHANGE_FLOOR = 20
# Figures that count units or move little, and figures compared elsewhere, are not checked for change.
_NOT_CHANGE_CHECKED = (
    "members.net", "members.rate", "members.below_floor", "members.women", "members.above_floor",
    "members.rated_communes", "org.", "targets.", "target.",
)  # fmt: skip


@dataclass
class Check:
    code: str
    unit_id: int | None
    unit: str  # the unit's official code, or its name when it has none
    name: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "unit": self.unit, "name": self.name, "message": self.message}


def report_checks(report: Report) -> list[Check]:
    if not report.exists:
        return []
    found: list[Check] = []

    def add(code: str, line, message: str) -> None:
        found.append(Check(code, line.unit_id, line.code or line.name, line.name, message))

    for line in report.units:
        if line.women is not None and line.members > line.women:
            add(
                "members_above_women",
                line,
                _("%(members)s members but %(women)s women aged 18 and over: an attraction rate above 100%%.")
                % {"members": display(line.members), "women": display(line.women)},
            )
        if line.level == Level.COMMUNE and line.women is None:
            year = report.span.end.year
            add("no_women_figure", line, _("No figure of women aged 18 and over for %(year)s.") % {"year": year})
        if line.level == Level.BRANCH and line.members == 0:
            add("branch_without_members", line, _("The branch has no members at the end of the span."))
    root = next((line for line in report.units if line.unit_id == report.unit.pk), None)
    if root is not None:
        for figure in report.figures.values():
            # Breakdowns ("– at district level", one campaign) are looked at through their totals.
            breakdown = ":" in figure.key or figure.label.startswith("–")
            if figure.key.startswith(_NOT_CHANGE_CHECKED) or breakdown or figure.percent or figure.previous is None:
                continue
            if figure.value is None or figure.previous < CHANGE_FLOOR:
                continue
            change = (decimal.Decimal(figure.value) - figure.previous) * 100 / figure.previous
            if abs(change) > CHANGE_LIMIT:
                add(
                    "far_from_last_year",
                    root,
                    _("%(figure)s: %(now)s against %(before)s in %(span)s (%(change)s%%).")
                    % {
                        "figure": figure.label,
                        "now": money(figure.value) if figure.measure == "vnd" else display(figure.value),
                        "before": money(figure.previous) if figure.measure == "vnd" else display(figure.previous),
                        "span": report.previous_span.label,
                        "change": ("+" if change > 0 else "") + display(change.quantize(decimal.Decimal("0.1"))),
                    },
                )
    for period in periods_of(report.span.start, report.span.end):
        for line in expected_children(report.unit, period):
            if line.state == ReportState.APPROVED:
                continue
            code = "not_reported" if line.report is None else "not_approved"
            found.append(
                Check(
                    code,
                    line.unit_id,
                    line.name,
                    line.name,
                    _("%(period)s: the report is “%(state)s”; its figures are not counted.")
                    % {"period": period, "state": line.state_label},
                )
            )
    return found
