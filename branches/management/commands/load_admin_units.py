import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from branches.adminlists import parse_unit_list, read_table
from branches.constants import Level
from branches.services.official import admin_units_load


class Command(BaseCommand):
    help = "Load an official administrative-unit list (CSV or xlsx: province/district/commune code, name, type)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--national",
            action="store_true",
            help="Hang the provinces under the Central Union (Trung ương Hội LHPN Việt Nam), created if needed.",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Date from which names and placements that changed take effect (default: today).",
        )

    def handle(self, *args, file: Path, date=None, national=False, **options):
        if not file.exists():
            raise CommandError(f"File not found: {file}")
        try:
            units = parse_unit_list(read_table(file))
            summary = admin_units_load(units=units, effective_on=date or timezone.localdate(), national=national)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        created = ", ".join(f"{Level(level).label}: {n}" for level, n in summary.created.items()) or "0"
        self.stdout.write(f"Created: {created}")
        self.stdout.write(
            f"Renamed: {len(summary.renamed)}; moved: {len(summary.moved)}; unchanged: {summary.unchanged}"
        )
        for line in summary.renamed + summary.moved:
            self.stdout.write(f"  {line}")
        if summary.missing:
            self.stdout.write(f"Not in the file (kept, review them): {len(summary.missing)}")
            for unit in summary.missing:
                self.stdout.write(f"  {unit.code} {unit.name}")
