import sys

from django.core.management.base import BaseCommand, CommandError

from branches.models import Unit
from branches.selectors import unit_by_code
from members import exporters, selectors
from members.constants import Status
from members.models import Member


class Command(BaseCommand):
    help = "Export the members of a unit's subtree to xlsx (the Union's list layout), csv or json."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Official code of the unit, or id:<number>.")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
        parser.add_argument("-o", "--output", help="File to write; standard output when omitted (csv, json).")
        parser.add_argument(
            "--status",
            default=Status.ACTIVE,
            help="Only members of this status (active, transferred, left, deceased) or 'all'. Default: active.",
        )

    def handle(self, *args, unit, format, output, status, **options):
        target = self._unit(unit)
        members = Member.objects.in_subtree(target)
        if status != "all":
            if status not in Status.values:
                raise CommandError(f"Unknown status {status!r}.")
            members = members.filter(status=status)
        rows = selectors.export_rows(members)
        if format == "xlsx":
            if not output:
                raise CommandError("An xlsx file needs -o FILE.")
            exporters.render_xlsx(rows, unit=target, target=output)
        else:
            chunks = exporters.render_csv(rows) if format == "csv" else exporters.render_json(rows)
            if output:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.writelines(chunks)
            else:
                for chunk in chunks:
                    sys.stdout.write(chunk)
        if output:
            self.stderr.write(f"Wrote {target.name} to {output}.")

    def _unit(self, value: str) -> Unit:
        unit = unit_by_code(value)
        if unit is None or unit.valid_to is not None:
            raise CommandError(f"No live unit has code {value!r}.")
        return unit
