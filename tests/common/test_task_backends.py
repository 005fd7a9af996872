"""The background work runs on either queue: the database (default, no broker) or Redis with RQ (several
workers on several machines). The same printed report is queued and run by a worker of each kind."""

import datetime
import os

import pytest

from reports import services, tasks
from reports.models import Document
from reports.selectors import annual

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI for the RQ task backend ({REDIS_URL})")
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.fixture(params=["django_tasks_db.DatabaseBackend", "django_tasks_rq.RQBackend"])
def backend(request, settings):
    settings.TASKS = {"default": {"BACKEND": request.param}}
    if request.param.startswith("django_tasks_rq"):
        _redis_or_skip()
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        import django_rq

        django_rq.get_queue("default").empty()
    return request.param


def _work_off(backend_path: str) -> None:
    """What one worker of this kind does with the queue: run everything waiting, then stop."""
    if backend_path.startswith("django_tasks_rq"):
        import django_rq
        from django_tasks_rq.backend import Job
        from rq import SimpleWorker

        queue = django_rq.get_queue("default")
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    else:
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        # The worker's own step for each waiting task (its loop would close the test's database connection).
        worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                        max_tasks=None, worker_id="test", excluded_queue_names=[])  # fmt: skip
        for waiting in DBTaskResult.objects.ready():
            waiting.claim("test")
            worker.run_task(waiting)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_printed_report_is_queued_and_run_by_a_worker(world, backend):
    document = Document.objects.create(
        unit=world.district_a, span=annual.Span.year(2024).key, format="xlsx", created_by=world.bob
    )
    result = tasks.render_document.enqueue(document.pk)
    assert result.backend == "default"
    document.refresh_from_db()
    assert document.state == "queued"
    _work_off(backend)
    document.refresh_from_db()
    assert document.state == "done" and document.file, document.error


def test_the_worker_command_picks_the_queue_of_the_settings(backend):
    from common.management.commands.run_worker import uses_rq

    assert uses_rq() == backend.startswith("django_tasks_rq")


def test_services_enqueue_on_the_chosen_backend(world, backend, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "INLINE_PRINT_UNITS", 0)  # everything goes to the worker
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            actor=world.bob, unit=world.district_a, span=annual.Span.year(2024), fmt="xlsx"
        )
    _work_off(backend)
    document.refresh_from_db()
    assert document.state == "done"
    assert document.finished_at.date() <= datetime.date.today() + datetime.timedelta(days=1)


def test_member_figures_a_page_could_not_wait_for_are_kept_by_a_worker(world, backend, login, settings):
    from django.core.cache import cache

    from members.models import FigureDay
    from tests.factories import MemberFactory

    cache.clear()
    MemberFactory(branch=world.branch_a1)
    MemberFactory(branch=world.branch_b1)
    settings.FIGURES_INLINE_MAX_PERIODS = 1  # a register too large to count a day in a request
    client = login(world.province_admin)
    url = f"/reports/annual/?unit={world.province.pk}&span={annual.Span.year(2024).key}"
    assert client.get(url).status_code == 202 and not FigureDay.objects.exists()
    _work_off(backend)
    assert FigureDay.objects.filter(day=datetime.date(2024, 12, 31)).exists()
    response = client.get(url)
    assert response.status_code == 200 and response.context["r"].figure("members.total").value == 2
