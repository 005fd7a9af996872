"""Which dates a report compares: the dashboard's year so far against the same dates last year, terms that do not
overlap."""

import datetime

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
