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


def test_a_report_printed_while_she_waits_goes_to_the_worker_when_its_days_are_not_ready(
    register, login, settings, django_capture_on_commit_callbacks, tmp_path
):
    # A small subtree prints in the request; the register is large and the days not kept: the worker prints it
    # (keeping the days first) instead of a failed document.
    from reports.models import Document
    from reports.services import document_render

    settings.FIGURES_INLINE_MAX_PERIODS = 1
    settings.MEDIA_ROOT = tmp_path
    client = login(register.province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reports/annual/print/?unit={register.district_a.pk}&span={SPAN.key}", {"format": "xlsx"}
        )
    document = Document.objects.get()
    assert response.status_code == 302 and document.state == Document.State.QUEUED and not document.error
    queued = DBTaskResult.objects.filter(task_path="reports.tasks.render_document")
    assert [row.args_kwargs["args"] for row in queued] == [[document.pk]] and not FigureDay.objects.exists()
    document_render(document.pk)  # what the worker runs: no one waits on a page there
    document.refresh_from_db()
    assert document.state == Document.State.DONE and FigureDay.objects.exists()


def test_a_form_sent_is_not_sent_again_behind_her_back(register, rf):
    # A page that reloads itself repeats a GET; a POST (signing a report) waits to be sent again, with a way back.
    from django.contrib.messages.storage.fallback import FallbackStorage

    from members.middleware import KeptFiguresMiddleware

    middleware = KeptFiguresMiddleware(lambda request: None)
    waiting = figures.FiguresNotReady([datetime.date(2024, 12, 31)])
    for method, referer in (
        ("get", ""),
        ("post", "http://testserver/reports/annual/"),
        ("post", "https://evil.example/"),
    ):
        request = getattr(rf, method)("/reports/annual/sign/", HTTP_REFERER=referer)
        request.user, request.session = register.province_admin, {}
        request._messages = FallbackStorage(request)
        response = middleware.process_exception(request, waiting)
        text = response.content.decode()
        assert response.status_code == 202 and "31/12/2024" in text
        if method == "get":
            assert response["Refresh"] == "15" and "Trang tự tải lại" in text
        else:
            assert "Refresh" not in response and "chưa được thực hiện" in text
            assert ('href="http://testserver/reports/annual/"' in text) == ("testserver" in referer)
            assert "evil.example" not in text
    assert middleware.process_exception(request, ValueError()) is None  # anything else is not its business
