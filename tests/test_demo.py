"""The demo province that ``make run`` loads: it builds, and its report's figures add up over its units."""

import csv
import io
import json
import re
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from branches.models import Unit
from members.models import FigureDay, Member, Membership
from reports.selectors import annual

SUMMED = ("members.total", "members.new", "members.left", "work.supervisions", "org.branches")


def test_demo_province_loads_and_its_figures_add_up_over_two_years(db):
    call_command("load_demo", members=1500, verbosity=0, stdout=io.StringIO())
    # The days a first dashboard and last year's report read are kept with the demo, not on the first click.
    kept = set(FigureDay.objects.values_list("day", flat=True))
    assert set(annual.days_read_first(timezone.localdate())) <= kept
    root = Unit.objects.get(parent=None)
    assert Member.objects.count() >= 1500
    # Every member has a membership period: the register was written whole.
    assert Membership.objects.values("member").distinct().count() == Member.objects.count()
    found = {}
    for year in (2021, 2024, 2025):  # before and after the 2025 reform
        out = io.StringIO()
        call_command("report_figures", "--unit", f"id:{root.pk}", "--year", str(year), "--json", stdout=out)
        data = json.loads(out.getvalue())
        assert data["children"], year
        for key in SUMMED:
            below = sum(child["figures"].get(key) or 0 for child in data["children"])
            assert (data["figures"].get(key) or 0) == below + (data["own"].get(key) or 0), (year, key)
        assert data["figures"]["members.total"] > 0
        found[year] = data["figures"]
    # Every figure the real reports state has a value in the demo province's report (Covid-19 support: 2021).
    with MAP.open(encoding="utf-8") as handle:
        keys = {row["id"]: row["key"] for row in csv.DictReader(handle)}
    # Zero is a fair value for these in a small demo (1,500 members leave every commune below 50%).
    may_be_zero = {"members.above_floor", "targets.term.met"}
    missing = {
        i: key for i, key in keys.items()
        if not any(found[y].get(key) or (key in may_be_zero and found[y].get(key) == 0) for y in found)
    }  # fmt: skip
    assert not missing, sorted(missing.items())
    # How to log in, as `make run` prints it: each title once, then the unit when the account has one.
    from branches.demo import DEMO_LOGINS, demo_login_lines

    lines = demo_login_lines()
    assert len(lines) == len(DEMO_LOGINS)
    for login, line in zip(DEMO_LOGINS, lines, strict=True):
        assert line.count(login.title) == 1, line


def test_demo_members_loaded_in_several_runs_hold_one_number_each(world):
    # A grown province is loaded in several runs (benchmarks/scale.py --grow members): its CCCD serials continue
    # those it holds, and an old CMND follows the record's id.
    from members.demo import build_demo_members

    first = build_demo_members(world.province, count=300, seed=1)
    second = build_demo_members(world.province, count=300, seed=2)
    numbers = list(Member.objects.exclude(id_number="").values_list("id_number", flat=True))
    assert first + second >= 600 and len(numbers) >= 500
    assert len(numbers) == len(set(numbers))
    code = world.province.code[-2:].rjust(3, "0")
    assert all(len(n) == 9 or (len(n) == 12 and n.startswith(code)) for n in numbers)


MAP = Path(__file__).parent / "reports" / "report_figures_map.csv"
FIGURES = Path(__file__).parents[1].parent / "shared" / "docs" / "REPORT_FIGURES.md"


def test_every_figure_of_the_real_reports_is_mapped_to_a_key():
    ids = set(re.findall(r"^\| ([A-E][0-9]+) \|", FIGURES.read_text(encoding="utf-8"), re.MULTILINE))
    with MAP.open(encoding="utf-8") as handle:
        mapped = {row["id"]: row["key"] for row in csv.DictReader(handle)}
    assert len(ids) >= 100
    assert ids == set(mapped), sorted(ids ^ set(mapped))
    assert all(mapped.values())
