"""Count the kept member figures again from the membership periods, and check them against the live count."""

import time

from django.core.management.base import BaseCommand

from members import figures


class Command(BaseCommand):
    help = (
        "Rebuild the figures table (members of every branch on every month's last day, and each commune's sum) "
        "from the membership periods, then check it against the live count. --check-only only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check-only", action="store_true", help="Compare the table with the live count only.")

    def handle(self, *args, check_only=False, **options):
        started = time.monotonic()
        if not check_only:
            rows = figures.rebuild(
                progress=lambda done, total: self.stdout.write(f"  {done}/{total} days", ending="\r")
            )
            self.stdout.write(f"Kept {rows:,} branch figures in {time.monotonic() - started:.1f} s.")
        differences = figures.check()
        for day, unit, kept, live, what in differences[:20]:
            # A branch against the membership periods; a commune against the sum of its branches' rows.
            self.stdout.write(f"  {day.isoformat()} {what} {unit}: kept {kept} ≠ counted {live}")
        self.stdout.write(f"{len(differences)} differences between the table and the membership periods.")
        if differences and not check_only:
            raise SystemExit(1)
