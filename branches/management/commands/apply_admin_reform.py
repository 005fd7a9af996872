import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from branches.adminlists import Decisions, parse_decisions, parse_reform_mapping, read_table
from branches.services.official import admin_reform_apply, admin_reform_plan
from common.xlsx import csv_rows


class Command(BaseCommand):
    help = (
        "Apply an old→new commune mapping (the 1 July 2025 reform): abolish the district level, merge and rename "
        "communes. Communes the mapping leaves open are listed and need a decision file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--date", type=datetime.date.fromisoformat, required=True)
        parser.add_argument(
            "--decisions",
            type=Path,
            help="CSV with old_ward_code,new_ward_code[,new_ward_name] for communes mapped to several or no new ones.",
        )
        parser.add_argument("--template", type=Path, help="Write the open decisions to this CSV to be filled in.")
        parser.add_argument("--reference", default="", help="Legal basis, e.g. 'Nghị quyết 1658/NQ-UBTVQH15'.")
        parser.add_argument("--dry-run", action="store_true", help="Show the plan and write nothing.")

    def handle(self, *args, file: Path, date, decisions=None, template=None, reference="", dry_run=False, **options):
        try:
            rows = parse_reform_mapping(read_table(file))
            chosen = parse_decisions(read_table(decisions)) if decisions else Decisions()
            plan = admin_reform_plan(rows=rows, decisions=chosen, effective_on=date)
        except (ValidationError, FileNotFoundError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error

        merged = sum(1 for _, olds in plan.communes.values() if len(olds) > 1)
        self.stdout.write(
            f"Plan for {date:%d/%m/%Y}: {len(plan.communes)} new communes "
            f"({merged} by merging), {len(plan.provinces)} province(s)."
        )
        for row in plan.not_in_tree:
            self.stdout.write(f"  skipped, not a live commune: {row.old_ward_code} {row.old_ward_name}")
        if not plan.ready:
            for code, options in plan.ambiguous.items():
                self.stdout.write(f"  needs a decision: {code} maps to several communes: {', '.join(options)}")
            for unit in plan.unmapped:
                self.stdout.write(f"  needs a decision: {unit.code} {unit.name} is not in the mapping")
            if template:
                with template.open("w", newline="", encoding="utf-8") as handle:
                    writer = csv_rows(csv.writer(handle))
                    writer.writerow(["old_ward_code", "old_ward_name", "new_ward_code", "new_ward_name", "options"])
                    for code, options in plan.ambiguous.items():
                        writer.writerow([code, "", "", "", " | ".join(options)])
                    for unit in plan.unmapped:
                        writer.writerow([unit.code, unit.name, "", "", ""])
                self.stdout.write(f"Decision template written to {template}")
            raise CommandError("Nothing was changed: give a decision file (--decisions) for the communes listed above.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            counts = admin_reform_apply(plan=plan, reference=reference)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            "Applied: " + ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in sorted(counts.items()))
        )
