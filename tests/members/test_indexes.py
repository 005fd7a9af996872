"""The member register's indexes: one per searched column, and the searches use them."""

import datetime

import pytest
from django.db import connection

from members.models import Member
from tests.factories import MemberFactory


def _indexed_columns(model) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return sorted(tuple(c["columns"]) for c in constraints.values() if c["index"] or c["primary_key"])


def _plan(queryset) -> str:
    """PostgreSQL's plan for ``queryset`` when it may not read the whole table."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_one_index_per_searched_column():
    # Every index costs each imported row; a second one per column (varchar_pattern_ops) is not needed. The second
    # on the ID number holds only the records that share one (a partial index: new members never do).
    assert _indexed_columns(Member) == sorted(
        [("id",), ("branch_id", "status"), ("joined_on", "left_on"), ("sort_key",), ("province_id", "sort_key"),
         ("name_folded",), ("id_number",), ("phone",), ("old_id_number",), ("id_number",)]
    )  # fmt: skip


@pytest.mark.django_db
def test_the_audit_trail_is_indexed_by_member_date_and_user_only():
    assert _indexed_columns(Member.history.model) == sorted(
        [("history_id",), ("id",), ("history_date",), ("history_user_id",)]
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
@pytest.mark.parametrize(
    ("search", "index"),
    [("0912", "member_phone"), ("02410", "member_id_number"), ("nguyen thi ha", "member_sort_key")],
)
def test_searches_by_prefix_use_the_plain_index(world, search, index):
    MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà", phone="0912345678")
    assert index in _plan(Member.objects.search(search))


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_the_list_order_reads_the_sort_key_index():
    plan = _plan(Member.objects.order_by("sort_key")[:50])
    assert "member_sort_key" in plan and "Sort" not in plan.split("Index")[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_a_scoped_search_by_number_still_uses_the_indexes(world):
    MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà", phone="0912345678")
    plan = _plan(Member.objects.search("0912", world.alice))
    assert "member_phone" in plan and "member_old_id_number" in plan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_a_search_within_a_province_can_read_its_own_stretch_of_the_name_index(world):
    # The member list adds the province to a search within one (tests/members/test_province.py). On a near-empty
    # table the planner may walk any index, so the country-wide name index is dropped (inside the test's
    # transaction): the province's index must then answer the province and the name together.
    member = MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà")
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX member_sort_key")
    searched = Member.objects.filter(province_id=member.province_id).search("nguyen ha").order_by("sort_key", "id")
    plan = _plan(searched[:50])
    assert "member_province_sort_key" in plan and "Index Cond: ((province_id = " in plan, plan


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_who_holds_a_batch_of_numbers_is_looked_up_in_the_index_without_statistics(world):
    # An import grows the register within its own transaction, past what the statistics say; a join would then
    # read the whole register for every batch. Plain planner settings here, no statistics for the new rows.
    from django.test.utils import CaptureQueriesContext

    from members import selectors, services

    rows = [{"branch": world.branch_a1, "full_name": f"Người {n}", "birth_year": 1970,
             "joined_on": datetime.date(2000, 1, 1), "id_number": f"024170{n:06d}"} for n in range(3000)]  # fmt: skip
    services.members_bulk_create(rows=rows)
    wanted = [row["id_number"] for row in rows[::2]]
    with CaptureQueriesContext(connection) as captured:
        assert len(selectors.holders_of(wanted)) == len(wanted)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {captured.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using member_id_number" in plan and "Seq Scan on members_member" not in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ["", "024,170000001", "0241\x1f70000001"])
def test_who_holds_numbers_whatever_the_numbers_hold(world, odd):
    from members import selectors

    holders = [MemberFactory(branch=world.branch_a1, id_number=f"02417000000{n}") for n in range(3)]
    asked = ["024170000002", "024170000000", "999999999999", odd, "024170000002"]
    found = selectors.holders_of(asked)
    assert [(h["id_number"], h["full_name"], h["branch__name"]) for h in found] == [
        (m.id_number, m.full_name, world.branch_a1.name) for m in (holders[0], holders[2])
    ]


@pytest.mark.django_db
def test_a_number_two_records_share_has_one_holder(world):
    # Two records may share a number until a merge (the duplicates page): the look-up names one of them.
    from members import selectors
    from members.models import Member

    first, second = MemberFactory(branch=world.branch_a1), MemberFactory(branch=world.branch_a1)
    Member.objects.filter(pk=second.pk).update(id_number=first.id_number)
    found = selectors.holders_of([first.id_number])
    assert len(found) == 1 and found[0]["id_number"] == first.id_number


@pytest.mark.django_db
def test_the_members_of_every_branch_on_a_day_can_be_read_from_an_index():
    # A national report reads the members of tens of thousands of branches on a day; the figures' rows are wide
    # (their JSON parts), so on PostgreSQL the index holds the count itself and the table is not read.
    from members.models import MemberFigure

    covering = ("day", "branch_id", "members") if connection.vendor == "postgresql" else ("day", "branch_id")
    assert covering in _indexed_columns(MemberFigure)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_a_subtree_s_joinings_in_a_span_are_read_branch_by_branch(world):
    """A province's target of new members counts its joinings of the year: from each of its branches' stretch of
    the events index, not from the whole country's events."""
    from reports.selectors import _joined
    from reports.selectors.annual import Tree

    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2025, 3, 1))
    end = datetime.date(2025, 12, 31)
    joined = _joined(Tree(world.district_a, end).ids_query, datetime.date(2025, 1, 1), end)
    assert joined.count() == 1
    assert "member_event_branch_day" in _plan(joined)
