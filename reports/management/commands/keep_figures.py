"""Keep the member figures of the days the first visits of a month read, so that nobody waits for them.

python manage.py keep_figures            # from cron every night, and after loading data
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from members import figures
from reports import selectors
from reports.selectors import annual


class Command(BaseCommand):
    help = (
        "Keep the member figures of the days the dashboard and last year's reports read first (year ends, the "
        "last month's end and the same day a year before) and the ends of the reporting periods ended in the last "
        "year: counted here, not on a user's first visit."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        today = timezone.localdate()
        days = sorted(set(annual.days_read_first(today)) | set(selectors.period_ends_read_first(today)))
        counted = figures.keep(days)
        shown = ", ".join(day.strftime("%d/%m/%Y") for day in days)
        what = "kept" if counted else "already kept"
        self.stdout.write(f"{len(days)} days {what} ({shown}) in {time.monotonic() - started:.1f} s.")
