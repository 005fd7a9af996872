"""A reporting period's end (the 14th, not a month's end) is kept in the figures table when its report page first
reads it: later reads cost the branches, not the members, and every writer keeps the day current."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from members import figures, services
from members.models import FigureDay, MemberFigure
from reports import selectors
from reports.models import ReportingPeriod
from reports.selectors.annual import Tree
from tests.factories import MemberFactory

D = datetime.date


def _period(year: int, **dates) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        kind="half", year=year, start=dates["start"], end=dates["end"], deadline=dates["end"] + datetime.timedelta(10)
    )


def _known_members(unit, period) -> int:
    label, members = selectors.known_figures(unit, period.start, period.end)[0]  # members at the period's end
    assert label == "Hội viên cuối kỳ"
    return members


def _live(unit, day) -> int:
    return sum(figures.members_by_branch(Tree(unit, day).ids_query, day).values())


@pytest.mark.django_db
def test_a_period_s_end_is_kept_when_first_read_and_every_writer_keeps_it(world, login):
    period = _period(2024, start=D(2023, 12, 15), end=D(2024, 6, 14))
    early = MemberFactory(branch=world.branch_a1, joined_on=D(2020, 1, 1))
    MemberFactory(branch=world.branch_a1, joined_on=D(2024, 6, 14))  # joined on the last day: counted
    MemberFactory(branch=world.branch_a1, joined_on=D(2024, 6, 15))  # the day after: not counted
    response = login(world.alice).get(reverse("reports:report_detail", args=[period.pk, world.commune_a1.pk]))
    assert response.status_code == 200
    assert FigureDay.objects.filter(day=period.end).exists()
    assert MemberFigure.objects.filter(day=period.end).exists()
    assert _known_members(world.commune_a1, period) == _live(world.commune_a1, period.end) == 2

    # A leaving dated back into the period changes the kept day; one after its end does not.
    services.member_leave(member=early, left_on=D(2024, 3, 1), reason="other")
    assert _known_members(world.commune_a1, period) == _live(world.commune_a1, period.end) == 1
    # A member moved out of the commune before the period's end is counted where she went.
    late = MemberFactory(branch=world.branch_a1, joined_on=D(2021, 5, 5))
    services.member_transfer(member=late, to_branch=world.branch_b1, transfer_on=D(2024, 1, 10))
    assert _known_members(world.commune_a1, period) == _live(world.commune_a1, period.end) == 1
    assert _known_members(world.commune_b1, period) == _live(world.commune_b1, period.end) == 1
    assert figures.check() == []


@pytest.mark.django_db
def test_a_running_period_s_end_is_not_kept(world):
    today = datetime.date.today()
    period = _period(today.year + 1, start=today - datetime.timedelta(30), end=today + datetime.timedelta(60))
    MemberFactory(branch=world.branch_a1, joined_on=D(2020, 1, 1))
    assert _known_members(world.commune_a1, period) == 1
    assert not FigureDay.objects.filter(day=period.end).exists()


@pytest.mark.django_db
def test_rebuild_keeps_the_period_ends_already_kept(world, capsys):
    period = _period(2024, start=D(2023, 12, 15), end=D(2024, 6, 14))
    MemberFactory(branch=world.branch_a1, joined_on=D(2020, 1, 1))
    _known_members(world.commune_a1, period)
    MemberFigure.objects.filter(day=period.end).update(members=9)  # a figure gone wrong
    call_command("rebuild_figures", "--check-only")
    assert "2024-06-14 branch" in capsys.readouterr().out
    call_command("rebuild_figures")
    assert "0 differences" in capsys.readouterr().out
    assert FigureDay.objects.filter(day=period.end).exists()
    assert _known_members(world.commune_a1, period) == 1


@pytest.mark.django_db
def test_keep_figures_keeps_the_ends_of_the_periods_ended_in_the_last_year(world):
    today = datetime.date.today()
    recent = _period(today.year - 1, start=today - datetime.timedelta(200), end=today - datetime.timedelta(20))
    old = _period(today.year - 3, start=today - datetime.timedelta(1000), end=today - datetime.timedelta(800))
    running = _period(today.year + 1, start=today - datetime.timedelta(19), end=today + datetime.timedelta(100))
    MemberFactory(branch=world.branch_a1, joined_on=D(2020, 1, 1))
    assert selectors.period_ends_read_first(today) == [recent.end]
    call_command("keep_figures", stdout=io.StringIO())
    kept = set(FigureDay.objects.values_list("day", flat=True))
    assert recent.end in kept and old.end not in kept and running.end not in kept
