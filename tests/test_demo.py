"""The demo province that ``make run`` loads: it builds, and its report's figures add up over its units."""

import io
import json

from django.core.management import call_command

from branches.models import Unit
from members.models import Member, Membership

SUMMED = ("members.total", "members.new", "members.left", "work.supervisions", "org.branches")


def test_demo_province_loads_and_its_figures_add_up_over_two_years(db):
    call_command("load_demo", members=1500, verbosity=0, stdout=io.StringIO())
    root = Unit.objects.get(parent=None)
    assert Member.objects.count() >= 1500
    # Every member has a membership period: the register was written whole.
    assert Membership.objects.values("member").distinct().count() == Member.objects.count()
    for year in (2024, 2025):  # before and after the 2025 reform
        out = io.StringIO()
        call_command("report_figures", "--unit", f"id:{root.pk}", "--year", str(year), "--json", stdout=out)
        data = json.loads(out.getvalue())
        assert data["children"], year
        for key in SUMMED:
            below = sum(child["figures"].get(key) or 0 for child in data["children"])
            assert (data["figures"].get(key) or 0) == below + (data["own"].get(key) or 0), (year, key)
        assert data["figures"]["members.total"] > 0
