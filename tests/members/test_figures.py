"""The figures table: kept member figures (per branch, per month's last day) agree with the live count of the
membership periods after anything the register's services do (joinings, transfers, leavings, rejoinings, late
corrections of a joining date, changes of the counted fields, merges, imports, bulk moves) and after a
reorganisation; the annual report reads the same figures from it as from the periods."""

import datetime
import random

import pytest

from branches.constants import Level
from branches.services import unit_merge
from members import figures, services
from members.constants import ETHNIC_GROUPS, RELIGIONS, LeaveReason, SpecialGroup
from members.models import FigureDay, Member, MemberFigure
from reports.selectors import annual
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory

D = datetime.date


def _tree():
    province = ProvinceFactory(name="Tỉnh Số Liệu", code="93")
    districts = [DistrictFactory(parent=province, name=f"Huyện {n}") for n in "AB"]
    communes = [CommuneFactory(parent=d, name=f"Xã {d.name[-1]}{n}") for d in districts for n in (1, 2)]
    branches = [BranchFactory(parent=c, name=f"Chi hội {c.name[-2:]}.{n}") for c in communes for n in (1, 2)]
    return province, districts, communes, branches


def _profile(rng: random.Random, n: int, joined: datetime.date) -> dict:
    return {
        "full_name": f"Nguyễn Thị Số {n}",
        "birth_year": rng.randint(1950, 2000),
        "ethnicity": rng.choice(["Kinh", "Kinh", "Kinh", *ETHNIC_GROUPS[1:4]]),
        "religion": rng.choice(["", "", *RELIGIONS[:2]]),
        "is_core": rng.random() < 0.3,
        "special_groups": rng.sample(list(SpecialGroup.values), rng.randint(0, 2)),
        "joined_on": joined,
    }


FIRST, LAST = D(2019, 1, 1), D(2025, 11, 30)


def _day(rng: random.Random, start=FIRST, end=LAST) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _report_values(unit, span) -> dict:
    report = annual.build(unit, span)
    figures_ = {key: (f.value, f.previous) for key, f in report.figures.items() if key.startswith("members.")}
    children = {
        line.unit_id: {k: v for k, v in line.values.items() if k.startswith("members.")} for line in report.children
    }
    tables = [(t.title, t.rows) for s in report.sections for t in s.tables]
    return {"figures": figures_, "children": children, "tables": repr(tables)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_figures_follow_every_change_and_reports_read_the_same(db, settings, monkeypatch, seed):
    rng = random.Random(seed)
    province, districts, communes, branches = _tree()
    members = []
    for n in range(40):
        joined = _day(rng, end=D(2024, 6, 30))
        members.append(services.member_create(branch=rng.choice(branches), **_profile(rng, n, joined)))
    # The days the spans below end on (every month's last day would do as well, only slower).
    kept = [D(year, month, 30 if month == 6 else 31) for year in range(2019, 2026) for month in (6, 12)]
    assert figures.rebuild(days=kept) > 0
    assert figures.check() == []

    # What a year of a province's work does to the register, in random order, some of it back-dated.
    for step in range(60):
        member = Member.objects.get(pk=rng.choice(members).pk)
        action = rng.choice(["transfer", "leave", "rejoin", "correct", "recount", "create", "died"])
        latest = max(member.events.values_list("occurred_on", flat=True))
        on = _day(rng, start=latest + datetime.timedelta(days=1)) if latest < D(2025, 11, 1) else None
        if action == "transfer" and member.status == "active" and on:
            target = rng.choice([b for b in branches if b.pk != member.branch_id])
            services.member_transfer(member=member, to_branch=target, transfer_on=on)
        elif action == "leave" and member.status == "active" and on:
            services.member_leave(member=member, left_on=on, reason=LeaveReason.PERSONAL)
        elif action == "died" and member.status == "active" and on:
            services.member_record_death(member=member, died_on=on)
        elif action == "rejoin" and member.status == "left" and on:
            services.member_rejoin(member=member, rejoined_on=on)
        elif action == "correct" and not member.events.exclude(kind="joined").exists():
            services.member_update(member=member, joined_on=_day(rng, end=D(2024, 12, 31)))
        elif action == "recount":
            counted = ("birth_year", "ethnicity", "religion", "is_core")
            profile = _profile(rng, 0, member.joined_on)
            services.member_update(member=member, **{k: v for k, v in profile.items() if k in counted})
        elif action == "create":
            members.append(services.member_create(branch=rng.choice(branches), **_profile(rng, 100 + step, _day(rng))))
        assert figures.check() == [], (step, action)  # right after each change, not only at the end
    # An import: new members, a bulk move, corrections of joining dates.
    services.members_bulk_create(
        rows=[{**services.clean_profile(_profile(rng, 500 + n, _day(rng))), "branch": rng.choice(branches)}
              for n in range(15)]
    )  # fmt: skip
    active = list(Member.objects.filter(status="active").order_by("pk")[:6])
    services.members_bulk_move(moves={m.pk: rng.choice([b for b in branches if b != m.branch]) for m in active},
                               on=D(2025, 11, 15))  # fmt: skip
    fresh = [m for m in Member.objects.filter(status="active") if not m.events.exclude(kind="joined").exists()][:4]
    services.members_bulk_update(changes={m.pk: {"joined_on": _day(rng, end=D(2023, 12, 31))} for m in fresh})
    # Two records of one woman merged; two communes merged in a reorganisation.
    first, second = Member.objects.filter(status="active").order_by("pk")[:2]
    services.member_merge(first=first, second=second)
    unit_merge(sources=[communes[1]], target=communes[0], effective_on=D(2025, 7, 1))

    assert figures.check() == []  # the kept figures are what the periods say, every day, every branch
    folded = []
    original = figures.folded_on_days
    monkeypatch.setattr(figures, "folded_on_days", lambda *a: folded.append(original(*a)) or folded[-1])
    for unit in (province, districts[0], communes[0]):
        for span in (annual.Span.year(2024), annual.Span.year(2025), annual.Span.half(2025, 1)):
            settings.MEMBER_FIGURES_TABLE = False
            counted = _report_values(unit, span)
            settings.MEMBER_FIGURES_TABLE = True
            assert _report_values(unit, span) == counted, (unit.name, span)
    # The province's and the district's reports read communes' rows, but not in 2025 those of the two communes
    # merged that year (read branch by branch): the district of the two reads all of its branches then.
    assert len(folded) == 6 and all(read is not None and read.covered for read in folded[:4])
    merged = {b.pk for b in branches if b.parent_id in (communes[0].pk, communes[1].pk)}
    assert merged <= folded[0].covered and not merged & folded[1].covered and merged <= folded[2].covered
    assert merged <= folded[3].covered and folded[4] is None and merged <= folded[5].covered  # the merger: 1 July
    _to_a_month_end_reads_the_table(settings, (province, districts[0], communes[0]), folded)


def _to_a_month_end_reads_the_table(settings, units, folded) -> None:
    """This year to a month's end against the same dates a year before (the dashboard of a large register): the
    two spans do not follow each other, and the report reads four kept days instead of the periods."""
    span = annual.Span.to_date(D(2025, 6, 30))
    for unit in units:
        settings.MEMBER_FIGURES_TABLE = False
        counted = _report_values(unit, span)
        settings.MEMBER_FIGURES_TABLE = True
        del folded[:]
        assert _report_values(unit, span) == counted, (unit.name, span)
        if unit.level != Level.COMMUNE:  # a commune's report reads its branches' rows, not communes' rows
            assert folded and folded[0] is not None and folded[0].by_day.keys() == {
                D(2023, 12, 31), D(2024, 6, 30), D(2024, 12, 31), D(2025, 6, 30)
            }  # fmt: skip


def test_a_report_on_a_new_month_end_keeps_that_day_and_reads_it_afterwards(db, django_assert_max_num_queries):
    province, _districts, _communes, branches = _tree()
    services.member_create(branch=branches[0], **_profile(random.Random(0), 1, D(2020, 5, 1)))
    assert not FigureDay.objects.exists()
    assert figures.figures_on([b.pk for b in branches], D(2023, 12, 31))[branches[0].pk]["now"] == 1
    assert FigureDay.objects.filter(day=D(2023, 12, 31)).exists()
    assert MemberFigure.objects.filter(day=D(2023, 12, 31)).count() == 1
    with django_assert_max_num_queries(2):  # is the day kept, then the branches' rows
        figures.figures_on([b.pk for b in branches], D(2023, 12, 31))
    # Not a month's last day, or not yet come: counted live, nothing kept.
    assert figures.figures_on([branches[0].pk], D(2023, 12, 30))[branches[0].pk]["now"] == 1
    assert not FigureDay.objects.filter(day=D(2023, 12, 30)).exists()


def test_rebuild_command_checks_the_table(db, capsys):
    from django.core.management import call_command

    _province, _districts, _communes, branches = _tree()
    services.member_create(branch=branches[0], **_profile(random.Random(0), 1, D(2024, 1, 15)))
    call_command("rebuild_figures")
    assert "0 differences" in capsys.readouterr().out
    MemberFigure.objects.filter(day=D(2024, 1, 31)).update(members=7)  # a figure gone wrong
    call_command("rebuild_figures", "--check-only")
    out = capsys.readouterr().out
    # The branch against the periods, and its commune against the sum of its branches.
    assert "2 differences" in out and "2024-01-31 branch" in out and "2024-01-31 commune" in out
    call_command("rebuild_figures")
    assert "0 differences" in capsys.readouterr().out


def test_the_national_report_reads_communes_rows_and_counts_what_the_periods_say(db, settings, monkeypatch):
    from branches.services import unit_move
    from branches.services.official import national_root

    rng = random.Random(7)
    root = national_root(effective_on=D(2019, 1, 1))
    provinces = [ProvinceFactory(parent=root, name=f"Tỉnh {n}", code=f"8{n}") for n in range(2)]
    communes = [CommuneFactory(parent=p, name=f"Xã {p.code}{n}") for p in provinces for n in range(3)]
    branches = [BranchFactory(parent=c, name=f"Chi hội {c.name}.{n}") for c in communes for n in range(2)]
    members = [services.member_create(branch=rng.choice(branches), **_profile(rng, n, _day(rng, end=D(2023, 6, 1))))
               for n in range(40)]  # fmt: skip
    kept = [D(year, 12, 31) for year in range(2019, 2026)]
    figures.rebuild(days=kept)
    # Moves within a commune, between communes and between provinces; a branch moved to another commune and
    # another province in the middle of 2024; new members after it.
    for n, member in enumerate(rng.sample(members, 15)):
        target = rng.choice([b for b in branches if b.pk != member.branch_id])
        services.member_transfer(member=member, to_branch=target, transfer_on=D(2024, 1 + n % 11, 10))
    unit_move(unit=branches[0], new_parent=communes[4], effective_on=D(2024, 7, 1))
    for n in range(5):
        services.member_create(branch=rng.choice(branches), **_profile(rng, 900 + n, D(2025, 3, 1)))
    assert figures.check() == []

    folded = []
    original = figures.folded_on_days
    monkeypatch.setattr(figures, "folded_on_days", lambda *a: folded.append(original(*a)) or folded[-1])
    for unit in (root, provinces[0], provinces[1]):
        for span in (annual.Span.year(2024), annual.Span.year(2025)):
            settings.MEMBER_FIGURES_TABLE = False
            counted = _report_values(unit, span)
            settings.MEMBER_FIGURES_TABLE = True
            assert _report_values(unit, span) == counted, (unit.name, span)
    # The national report reads its trees down to the communes first; the two communes whose branches changed in
    # 2024 have no rows that stand for them in 2024 and 2025 (whose span before starts in 2024), so it reads its
    # trees whole and asks again: those two branch by branch, the others by their rows.
    assert len(folded) == 8 and all(read is not None for read in folded)
    changed_ = {b.pk for b in branches if b.parent_id in (communes[0].pk, communes[4].pk)} | {branches[0].pk}
    unchanged = {b.pk for b in branches} - changed_
    assert all(not changed_ & read.covered for read in folded)
    assert unchanged <= folded[1].covered and unchanged <= folded[3].covered  # the national report, both years
    assert not folded[0].branch_members  # the national report lists no branch: it asks for no branch's members
    _to_a_month_end_reads_the_table(settings, (root, provinces[0]), folded)


def test_days_kept_together_are_counted_in_one_pass_and_agree_with_the_periods(db, monkeypatch):
    _province, _districts, _communes, branches = _tree()
    rng = random.Random(3)
    for n in range(12):
        services.member_create(branch=rng.choice(branches), **_profile(rng, n, _day(rng, end=D(2024, 6, 30))))
    passes = []
    original = figures.live
    monkeypatch.setattr(figures, "live", lambda *a, **k: passes.append(a[1]) or original(*a, **k))
    days = [D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31), D(2023, 12, 31), D(2024, 6, 30), D(2024, 12, 31),
            D(2025, 6, 30), D(2025, 11, 30)]  # fmt: skip
    assert figures.keep(days) is True
    assert [len(chunk) for chunk in passes] == [figures.DAYS_PER_QUERY, len(days) - figures.DAYS_PER_QUERY]
    assert figures.keep(days) is False and len(passes) == 2  # nothing counted again
    assert figures.check(days) == []


def test_days_another_process_kept_meanwhile_are_left_as_they_are(db):
    _province, _districts, _communes, branches = _tree()
    services.member_create(branch=branches[0], **_profile(random.Random(1), 1, D(2020, 5, 1)))
    figures.keep([D(2023, 12, 31)])  # kept by another process between the look and the count
    figures._build_days([D(2023, 12, 31), D(2024, 12, 31)])
    assert set(FigureDay.objects.values_list("day", flat=True)) == {D(2023, 12, 31), D(2024, 12, 31)}
    assert MemberFigure.objects.filter(day=D(2023, 12, 31)).count() == 1
    assert figures.check() == []


@pytest.mark.parametrize("seed", [1, 2])
def test_members_alone_are_counted_as_the_full_count_counts_them(db, seed):
    rng = random.Random(seed)
    _province, _districts, _communes, branches = _tree()
    members = [services.member_create(branch=rng.choice(branches), **_profile(rng, n, _day(rng, end=D(2023, 6, 1))))
               for n in range(25)]  # fmt: skip
    for member in rng.sample(members, 8):
        target = rng.choice([b for b in branches if b.pk != member.branch_id])
        services.member_transfer(member=member, to_branch=target, transfer_on=_day(rng, start=D(2023, 7, 1)))
    for member in rng.sample(members, 5):
        member.refresh_from_db()
        if member.status == "active":
            services.member_leave(member=member, left_on=_day(rng, start=D(2025, 1, 1)), reason=LeaveReason.PERSONAL)
    ids = [b.pk for b in branches]
    for day in (D(2022, 3, 14), D(2023, 6, 14), D(2024, 12, 14), D(2025, 11, 14), D(2026, 12, 14)):
        full = {branch: counts["now"] for (_day, branch), counts in figures.live(ids, [day], events=False).items()}
        assert figures.members_by_branch(ids, day) == full, day
        assert sum(full.values()) > 0
