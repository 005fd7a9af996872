"""Every figure of a unit's report for a span, from the engine behind the page, the PDF and the xlsx.

python manage.py report_figures --unit 24 --year 2025 --json
python manage.py report_figures --unit 07522 --from 2025-01-01 --to 2025-06-30
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from branches.selectors import unit_by_code
from reports.selectors import annual
from reports.selectors.figures import figures_of


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
