import time

from django.core.management.base import BaseCommand

from branches.demo import build_demo_province, create_demo_users
from branches.models import Unit


class Command(BaseCommand):
    help = "Build the demo province (10 districts, ~230 communes, ~2,500 branches) and the demo users."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has units.")
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, if_empty=False, seed=2025, **options):
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("The database already has units: the demo is not loaded again.")
                return
            self.stderr.write("The database already has units; load the demo into an empty database.")
            return
        started = time.monotonic()
        province = build_demo_province(seed=seed)
        create_demo_users(province)
        counts = {level: Unit.objects.filter(level=level).count() for level in ("district", "commune", "branch")}
        self.stdout.write(
            f"Demo province {province.name}: {counts['district']} districts, {counts['commune']} communes, "
            f"{counts['branch']} branches ({time.monotonic() - started:.1f} s)."
        )
