"""Which dates a report compares: the dashboard's year so far against the same dates last year, terms that do not
overlap."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports.selectors import annual
from tests.factories import MemberFactory


def test_a_term_is_compared_with_the_term_before_without_sharing_a_year():
    term = annual.Span.term(2021, 2026)
    previous = term.previous()
    assert previous.end < term.start and previous.start == datetime.date(2016, 1, 1)


@pytest.mark.parametrize("day", [datetime.date(2026, 12, 4), datetime.date(2024, 2, 29), datetime.date(2026, 1, 1)])
def test_the_year_so_far_is_compared_with_the_same_dates_a_year_earlier(day):
    span = annual.Span.to_date(day)
    previous = span.previous()
    assert (span.start, span.end) == (datetime.date(day.year, 1, 1), day)
    assert previous.start == datetime.date(day.year - 1, 1, 1)
    assert (previous.end.month, previous.end.day) == (day.month, min(day.day, 28 if day.month == 2 else 31))


@pytest.mark.django_db
def test_the_dashboard_compares_the_same_dates(world, login):
    today = datetime.date.today()
    if (today.month, today.day) == (12, 31):
        pytest.skip("on 31 December the year so far is the whole year")
    cache.clear()
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(today.year - 1, 1, 2))  # within the same dates
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(today.year - 1, 12, 31))  # after them
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(today.year, 1, 2))
    page = login(world.bob).get(reverse("reports:dashboard"), {"unit": world.district_a.pk})
    new = page.context["r"].figures["members.new"]
    assert (new.value, new.previous) == (1, 1)
    text = page.content.decode()
    compared = annual.Span.to_date(today).previous().end
    assert f"01/01 đến {today:%d/%m/%Y}" in text and f"01/01 đến {compared:%d/%m/%Y}" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (datetime.date(2026, 12, 4), datetime.date(2026, 1, 1), datetime.date(2026, 11, 30)),
        (datetime.date(2026, 3, 31), datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),  # a month's last day
        (datetime.date(2024, 3, 1), datetime.date(2024, 1, 1), datetime.date(2024, 2, 29)),
        (datetime.date(2027, 1, 15), datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),  # January: last year
    ],
)
def test_a_large_subtree_s_dashboard_ends_on_the_last_month_end(world, settings, today, start, end):
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2020, 1, 1))
    MemberFactory(branch=world.branch_b1, joined_on=datetime.date(2020, 1, 1))
    settings.DASHBOARD_LIVE_MAX_PERIODS = 1  # the province holds two membership periods, a commune one
    span = annual.dashboard_span(world.province, today)
    assert (span.start, span.end) == (start, end)
    assert span.kind == ("year" if today.month == 1 else "to_date")
    assert annual.dashboard_span(world.commune_a1, today) == annual.Span.to_date(today)  # counted to the day


@pytest.mark.django_db
def test_a_large_subtree_s_dashboard_reads_kept_days_and_says_so(world, login, settings, django_assert_max_num_queries):
    from members.models import FigureDay

    today = datetime.date.today()
    cache.clear()
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(today.year - 1, 1, 2))
    MemberFactory(branch=world.branch_a2, joined_on=datetime.date(today.year - 1, 12, 31))
    settings.DASHBOARD_LIVE_MAX_PERIODS = 1
    span = annual.dashboard_span(world.district_a, today)
    page = login(world.bob).get(reverse("reports:dashboard"), {"unit": world.district_a.pk})
    assert page.status_code == 200 and page.context["span"] == span and span.end <= today
    # The figures are the report's for that span, read from the kept days (each day of the comparison).
    expected = annual.build(world.district_a, span)
    assert page.context["r"].figure("members.total").value == expected.figure("members.total").value == 2
    assert {span.end, span.previous().end} <= set(FigureDay.objects.values_list("day", flat=True))
    text = page.content.decode()
    assert f"{span.end:%d/%m/%Y}" in text
    assert f"{span.end.year}: 2" in text  # the trend's last point is the dashboard's own total
    # Another district's user sees nothing of it.
    assert login(world.charlie).get(reverse("reports:dashboard"), {"unit": world.district_a.pk}).status_code == 404


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (
            datetime.date(2026, 12, 4),
            [*(datetime.date(y, 12, 31) for y in range(2020, 2025)), datetime.date(2025, 11, 30),
             datetime.date(2025, 12, 31), datetime.date(2026, 11, 30)],
        ),
        (datetime.date(2027, 1, 15), [datetime.date(y, 12, 31) for y in range(2021, 2027)]),  # January
        (  # a month's last day: that day, which the dashboard reads from then on
            datetime.date(2026, 11, 30),
            [*(datetime.date(y, 12, 31) for y in range(2020, 2025)), datetime.date(2025, 11, 30),
             datetime.date(2025, 12, 31), datetime.date(2026, 11, 30)],
        ),
    ],
)  # fmt: skip
def test_the_days_read_first_are_the_dashboard_s_and_last_year_s_report_s(today, days):
    assert annual.days_read_first(today) == days


@pytest.mark.django_db
def test_after_keep_figures_a_large_unit_s_first_visits_count_no_day(world, login, settings):
    from django.core.management import call_command

    from members.models import FigureDay

    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2020, 1, 1))
    settings.DASHBOARD_LIVE_MAX_PERIODS = 0  # every unit counted to the last month's end, from kept days
    out = io.StringIO()
    call_command("keep_figures", stdout=out)
    kept = FigureDay.objects.count()
    assert kept == len(annual.days_read_first(datetime.date.today())) and "days kept" in out.getvalue()
    cache.clear()
    client = login(world.province_admin)
    assert client.get(reverse("reports:dashboard"), {"unit": world.province.pk}).status_code == 200
    last_year = annual.Span.year(datetime.date.today().year - 1).key
    assert client.get(reverse("reports:annual"), {"unit": world.province.pk, "span": last_year}).status_code == 200
    assert FigureDay.objects.count() == kept  # nothing left to count on the first visits
    call_command("keep_figures", stdout=out)
    assert "already kept" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("large", [False, True])
def test_a_running_year_s_targets_are_counted_as_far_as_the_dashboard_counts(world, settings, large):
    from branches.models import UnitPopulation
    from members.figures import month_end
    from reports.constants import TargetMetric
    from reports.models import Target
    from reports.selectors import target_achievements

    today = datetime.date.today()
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2020, 1, 1))
    UnitPopulation.objects.create(unit=world.commune_a1, year=today.year, women_18_plus=4)
    Target.objects.create(unit=world.district_a, year=today.year, end_year=today.year,
                          metric=TargetMetric.ATTRACTION_RATE, value=50)  # fmt: skip
    settings.DASHBOARD_LIVE_MAX_PERIODS = 0 if large else 1000
    counted = annual.counted_span(world.district_a, annual.Span.year(today.year), today)
    assert counted == annual.dashboard_span(world.district_a, today)
    last_month_end = today if month_end(today) == today else today.replace(day=1) - datetime.timedelta(days=1)
    assert counted.end == (last_month_end if large else today)
    (achievement,) = target_achievements(world.district_a, today.year)
    assert achievement.actual == 25  # 1 member of 4 women, as far as counted
    # A year that has ended is counted whole; one not begun is left as it is.
    last = annual.Span.year(today.year - 1)
    assert annual.counted_span(world.district_a, last, today) == last
    following = annual.Span.year(today.year + 1)
    assert annual.counted_span(world.district_a, following, today) == following
