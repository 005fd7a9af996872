import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from branches.demo import build_demo_province, create_demo_users
from branches.models import Unit
from cadres.demo import build_demo_cadres
from members.demo import build_demo_members
from programmes.demo import build_demo_programmes
from reports.demo import build_demo_reports
from supervision.demo import build_demo_supervision


class Command(BaseCommand):
    help = "Build the demo province (10 districts, ~230 communes, ~2,500 branches, ~420,000 members) and demo users."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has units.")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--members", type=int, default=420_000, help="How many member records to generate (default 420,000)."
        )

    def handle(self, *args, if_empty=False, seed=2025, members=420_000, **options):
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("The database already has units: the demo is not loaded again.")
                return
            self.stderr.write("The database already has units; load the demo into an empty database.")
            return
        started = time.monotonic()
        province = build_demo_province(seed=seed)
        create_demo_users(province)
        self.stdout.write(f"Units ready ({time.monotonic() - started:.1f} s); generating {members:,} members…")
        created = build_demo_members(
            province,
            count=members,
            seed=seed,
            progress=lambda n: self.stdout.write(f"  {n:,} members ({time.monotonic() - started:.0f} s)"),
        )
        work = build_demo_supervision(province, seed=seed)
        self.stdout.write(
            "Supervision and dialogue work: "
            + ", ".join(f"{n:,} {name}" for name, n in work.items())
            + f" ({time.monotonic() - started:.0f} s)"
        )
        work = {
            **build_demo_cadres(province, seed=seed),
            **build_demo_programmes(province, seed=seed),
            **build_demo_reports(province, seed=seed),
        }
        self.stdout.write("Cadres, programmes and reports: " + ", ".join(f"{n:,} {name}" for name, n in work.items()))
        # The member figures the first dashboard and last year's report read, counted now rather than on the
        # first click (about 15 s on SQLite for this province).
        self.stdout.write("Member figures of the usual days: ", ending="")
        call_command("keep_figures", stdout=self.stdout)
        counts = {level: Unit.objects.filter(level=level).count() for level in ("district", "commune", "branch")}
        self.stdout.write(
            f"Demo province {province.name}: {counts['district']} districts, {counts['commune']} communes, "
            f"{counts['branch']} branches, {created:,} members ({time.monotonic() - started:.1f} s)."
        )
