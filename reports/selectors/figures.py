"""The figures of a report as data: what ``report_figures --json`` prints and what a signed copy keeps."""

import decimal

from django.db.models import Count, Q

from branches.models import ReorgEvent
from members.constants import EventKind
from members.models import MemberEvent

from .annual import Report, Span, Tree, build
from .checks import report_checks


def plain(value):
    """A figure as JSON has it: whole numbers as integers, rates as decimals, nothing as null."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def figures_data(report: Report) -> dict:
    codes = {line.unit_id: line.code or line.name for line in report.units}
    return {
        "unit": codes.get(report.unit.pk, report.unit.code or report.unit.name),
        "name": report.name,
        "span": [report.span.start.isoformat(), report.span.end.isoformat()],
        "labels": {key: str(figure.label) for key, figure in report.figures.items()},
        "figures": {key: plain(figure.value) for key, figure in report.figures.items()},
        "own": {key: plain(value) for key, value in report.own.items()},
        "children": [
            {
                "unit": codes.get(line.unit_id, line.name),
                "name": line.name,
                "figures": {key: plain(value) for key, value in line.values.items()},
            }
            for line in report.children
        ],
        "checks": [check.as_dict() for check in report_checks(report)],
    }


def figures_of(unit, span: Span) -> dict:
    return figures_data(build(unit, span))


def differences(signed: dict, live: dict) -> list[dict]:
    """Every figure of the report, and of each unit below, that differs between a signed copy and today."""
    labels = live.get("labels", {}) | signed.get("labels", {})
    live_children = {child["name"]: child["figures"] for child in live["children"]}
    lines = [(signed["name"], signed["figures"], live["figures"])]
    lines += [(child["name"], child["figures"], live_children.get(child["name"], {})) for child in signed["children"]]
    return [
        {"unit": name, "key": key, "label": labels.get(key, key), "signed": before.get(key), "now": now.get(key)}
        for name, before, now in lines
        for key in sorted(set(before) | set(now))
        if before.get(key) != now.get(key)
    ]


def late_records(unit, span: Span, since) -> list[dict]:
    """What the audit trail knows was recorded after ``since`` about the span: member events (a late import, a
    correction) and reorganisations, grouped by what recorded them."""
    tree = Tree(unit, span.end)
    events = (
        MemberEvent.objects.filter(created_at__gt=since, occurred_on__lte=span.end, branch_id__in=tree.ids_query)
        .values("kind", "note")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    labels = dict(EventKind.choices)
    found = [
        {"what": "members", "kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), "note": row["note"],
         "count": row["n"]}
        for row in events
    ]  # fmt: skip
    reorganisations = (
        ReorgEvent.objects.filter(created_at__gt=since, effective_on__lte=span.end)
        .filter(Q(unit__isnull=True) | Q(unit__path__startswith=unit.path))
        .count()
    )
    if reorganisations:
        found.append({"what": "units", "kind": "reorganisation", "note": "", "count": reorganisations})
    return found
