"""A page that needs member figures of a day not kept yet: counted in the request while the register is small;
on a large register (the whole country) handed to the worker, with a page that says so and reloads itself."""

import datetime

import pytest
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from members import figures
from members.models import FigureDay
from members.tasks import keep_figure_days
from reports.selectors import annual
from tests.factories import MemberFactory

SPAN = annual.Span.year(2024)
DAYS = [datetime.date(2022, 12, 31), datetime.date(2023, 12, 31), datetime.date(2024, 12, 31)]  # what it reads


@pytest.fixture
def register(world):
    cache.clear()  # which days were handed to the worker (kept for a while, whatever the test)
    for branch in (world.branch_a1, world.branch_b1):
        MemberFactory(branch=branch)
    return world


def _pages(world) -> list[str]:
    return [
        f"/reports/annual/?unit={world.province.pk}&span={SPAN.key}",
        f"/reports/dashboard/?unit={world.province.pk}",
    ]


def _handed_over() -> list[list[str]]:
    return [row.args_kwargs["args"][0] for row in DBTaskResult.objects.filter(task_path=keep_figure_days.module_path)]


@pytest.mark.parametrize("page", [0, 1])
def test_a_small_register_keeps_a_new_day_in_the_request(register, login, page):
    response = login(register.province_admin).get(_pages(register)[page])
    assert response.status_code == 200 and "Refresh" not in response
    assert FigureDay.objects.exists() and _handed_over() == []


@pytest.mark.parametrize("page", [0, 1])
def test_a_large_register_hands_a_new_day_to_the_worker_and_the_page_waits_for_it(register, login, settings, page):
    settings.FIGURES_INLINE_MAX_PERIODS = 1  # two membership periods: more than a request may count
    client = login(register.province_admin)
    url = _pages(register)[page]
    response = client.get(url)
    assert response.status_code == 202 and response["Refresh"] == "15"
    text = response.content.decode()
    assert "Số liệu của trang này đang được chuẩn bị" in text and "31/12/" in text
    assert not FigureDay.objects.exists()  # nothing counted in the request
    handed = _handed_over()
    assert len(handed) == 1 and set(handed[0]) <= {day.isoformat() for day in figures.kept_days()}
    client.get(url)
    assert len(_handed_over()) == 1  # a reload does not hand the same days over again
    keep_figure_days.call(handed[0])  # what the worker runs
    assert sorted(FigureDay.objects.values_list("day", flat=True)) == sorted(
        datetime.date.fromisoformat(day) for day in handed[0]
    )
    response = client.get(url)
    assert response.status_code == 200 and "Refresh" not in response


def test_the_annual_report_asks_for_the_three_days_its_spans_are_read_on(register, login, settings):
    settings.FIGURES_INLINE_MAX_PERIODS = 1
    login(register.province_admin).get(_pages(register)[0])
    assert _handed_over() == [[day.isoformat() for day in DAYS]]


def test_outside_a_request_a_large_register_keeps_the_day_there_and_then(register, settings):
    # The worker printing a report, or the command line: no one is waiting on a page.
    settings.FIGURES_INLINE_MAX_PERIODS = 1
    assert annual.build(register.province, SPAN).figure("members.total").value == 2
    assert set(DAYS) <= set(FigureDay.objects.values_list("day", flat=True)) and _handed_over() == []


def test_a_unit_out_of_scope_is_a_404_and_hands_nothing_over(register, login, settings):
    settings.FIGURES_INLINE_MAX_PERIODS = 1
    client = login(register.alice)  # a commune's cadre
    for url in _pages(register):
        assert client.get(url).status_code == 404
    assert _handed_over() == [] and not FigureDay.objects.exists()
