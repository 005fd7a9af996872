"""The home page says what is waiting for each user, with a count and one click to it, and only in her units."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hoilhpn.selectors import todo_for
from members import services as member_services
from reports import services as report_services
from reports.models import ReportingPeriod
from tests.factories import MemberFactory
from tests.supervision import factories as work


@pytest.fixture
def period(db):
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        kind="half", year=today.year, start=today - datetime.timedelta(days=200),
        end=today - datetime.timedelta(days=20), deadline=today - datetime.timedelta(days=10),
    )  # fmt: skip


def _keys(user) -> dict[str, int]:
    return {todo.key: todo.count for todo in todo_for(user, timezone.localdate())}


def test_a_commune_cadre_sees_her_report_due_and_nothing_else(world, period):
    keys = _keys(world.alice)
    assert keys == {"reports_due": 1}
    response = next(t for t in todo_for(world.alice, timezone.localdate()) if t.key == "reports_due")
    assert response.url == reverse("reports:report_detail", args=[period.pk, world.commune_a1.pk]) and response.urgent


def test_a_submitted_report_waits_for_the_district_not_for_the_commune(world, period):
    report = report_services.report_for(world.commune_a1, period)
    report_services.report_submit(actor=world.alice, report=report)
    assert "reports_due" not in _keys(world.alice)
    assert _keys(world.bob)["reports_to_approve"] == 1
    assert "reports_to_approve" not in _keys(world.charlie)  # district B approves nothing of A


def test_overdue_recommendations_transfers_and_merges_are_counted_in_scope(world, period):
    long_ago = timezone.localdate() - datetime.timedelta(days=120)
    work.recommendation(world.commune_a1, world.alice, made_on=long_ago, due_days=30)
    member = MemberFactory(branch=world.branch_b1)
    member_services.member_transfer(member=member, to_branch=world.branch_a1, transfer_on=timezone.localdate(),
                                    actor=world.charlie)  # fmt: skip
    keys = _keys(world.alice)
    assert keys["overdue"] == 1 and keys["transfers"] == 1
    assert "overdue" not in _keys(world.charlie) and "transfers" not in _keys(world.charlie)


def test_the_home_page_lists_the_work_with_links(world, period, login, django_assert_max_num_queries):
    client = login(world.alice)
    with django_assert_max_num_queries(20):
        body = client.get(reverse("home")).content.decode()
    assert 'data-key="reports_due"' in body
    assert reverse("reports:report_detail", args=[period.pk, world.commune_a1.pk]) in body


def test_nothing_waiting_says_so(world, login):
    body = login(world.charlie).get(reverse("home")).content.decode()
    assert "data-todo-empty" in body
