"""Every figure of a unit's report for a span, from the engine behind the page, the PDF and the xlsx.

python manage.py report_figures --unit 24 --year 2025 --json
python manage.py report_figures --unit 07522 --from 2025-01-01 --to 2025-06-30
"""

import datetime
import decimal
import json

from django.core.management.base import BaseCommand, CommandError

from branches.selectors import unit_by_code
from reports.selectors import annual
from reports.selectors.checks import report_checks


def plain(value):
    """A figure as JSON has it: whole numbers as integers, rates as decimals, nothing as null."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def figures_of(unit, span: annual.Span) -> dict:
    report = annual.build(unit, span)
    codes = {line.unit_id: line.code or line.name for line in report.units}
    return {
        "unit": codes.get(unit.pk, unit.code or unit.name),
        "name": report.name,
        "span": [span.start.isoformat(), span.end.isoformat()],
        "figures": {key: plain(figure.value) for key, figure in report.figures.items()},
        "own": {key: plain(value) for key, value in report.own.items()},
        "children": [
            {
                "unit": codes.get(line.unit_id, line.name),
                "name": line.name,
                "figures": {k: plain(v) for k, v in line.values.items()},
            }
            for line in report.children
        ],
        "checks": [check.as_dict() for check in report_checks(report)],
    }


class Command(BaseCommand):
    help = "Print the figures of a unit's report for a year or a span, with its children's and the checks."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's official code (or id:N).")
        parser.add_argument("--year", type=int)
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="One JSON object, for scripts.")

    def handle(self, *args, **options):
        unit = unit_by_code(options["unit"])
        if unit is None:
            raise CommandError(f"No unit has code {options['unit']!r}.")
        span = self._span(options)
        data = figures_of(unit, span)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{data['name']} ({data['unit']}), {span.label}")
        for key, value in data["figures"].items():
            self.stdout.write(f"  {key}: {'—' if value is None else value}")
        for check in data["checks"]:
            self.stdout.write(f"  ! {check['name']}: {check['message']}")

    @staticmethod
    def _span(options) -> annual.Span:
        try:
            if options["year"] is not None and not (options["start"] or options["end"]):
                span = annual.Span.year(options["year"])
            elif options["start"] and options["end"] and options["year"] is None:
                span = annual.Span("custom", options["start"], options["end"])
            else:
                raise CommandError("Give --year, or --from and --to.")
            annual.check_span_dates(span.start, span.end)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return span
