"""The commit writes new members batch by batch while the next batch is cleaned (on PostgreSQL, in a thread that
shares the transaction): what it writes is what the preview shows, and a failure anywhere writes nothing."""

import sys
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from branches.constants import Level, UnitType
from branches.services import unit_create
from imports import matching, pipeline, writer
from imports.pipeline import Importer, analyse_and_commit, branch_key
from members import bulk as member_bulk
from members import services as member_services
from members.models import Member, MemberEvent, Membership
from tests.factories import MemberFactory
from tests.imports.corpus import CASES, sections_in_one_sheet
from tests.imports.files import HEADER, member_record, member_rows, xlsx


def _importer(world, case, **options) -> Importer:
    branch = None
    if case.branch:
        branch = next(u for u in world.commune_a1.children.all() if branch_key(u.name) == branch_key(case.branch))
    return Importer(
        commune=world.commune_a1, file_name=case.name, branch=branch, create_branches=True, actor=world.alice
    )


@pytest.mark.parametrize("make", CASES, ids=lambda make: make().name)
def test_streamed_commit_writes_what_the_preview_shows(world, make, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 3)  # many batches even for a small file
    monkeypatch.setattr(member_bulk, "STATEMENT_ROWS", 2)  # and more than one statement per batch
    interval = sys.getswitchinterval()
    case = make()
    for name in case.extra_branches:
        unit_create(name=name, level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=world.commune_a1)
    with translation.override("en"):
        preview = _importer(world, case).analyse(case.data)
        with transaction.atomic():
            analysis, outcome = analyse_and_commit(_importer(world, case), case.data, actor=world.alice)

    assert sys.getswitchinterval() == interval  # the writer's shorter interval ends with it
    assert analysis.summary() == preview.summary()
    assert [(r.sheet, r.row) for r in analysis.new] == [(r.sheet, r.row) for r in preview.new]
    assert outcome["new"] == len(preview.new) == len(case.members)
    stored = Member.objects.in_subtree(world.commune_a1).select_related("branch")
    key = lambda r: (r["id_number"], r["full_name"], r["birth_year"])  # noqa: E731
    assert sorted((member_record(m, "old_id_number") for m in stored), key=key) == sorted(
        ({"old_id_number": "", **r, "branch": branch_key(r["branch"])} for r in case.members), key=key
    )
    # Each member written by a batch has her first period and her "joined" event.
    assert Membership.objects.filter(member__in=stored).count() == len(case.members)
    assert MemberEvent.objects.filter(member__in=stored, kind="joined").count() == len(case.members)


def _case(world):
    case = sections_in_one_sheet()
    assert len(case.members) > 6
    return case


def test_a_batch_that_fails_to_store_writes_nothing(world, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 3)
    real, calls = member_services.members_bulk_store, []

    def second_fails(new, **options):
        calls.append(len(new))
        if len(calls) == 2:
            raise ValidationError({"id_number": "taken meanwhile"})
        return real(new, **options)

    monkeypatch.setattr(member_services, "members_bulk_store", second_fails)
    case = _case(world)
    before = Member.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        analyse_and_commit(_importer(world, case), case.data, actor=world.alice)
    assert len(calls) >= 2
    assert Member.objects.count() == before


def test_a_failure_while_cleaning_writes_nothing(world, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 3)
    real, calls = matching.Matcher.match, []

    def third_fails(self, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("the reader broke")
        return real(self, rows)

    monkeypatch.setattr(matching.Matcher, "match", third_fails)
    case = _case(world)
    before = Member.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        analyse_and_commit(_importer(world, case), case.data, actor=world.alice)
    assert Member.objects.count() == before
    # The connection is usable afterwards: the writing thread has let it go.
    assert Member.objects.filter(branch__path__startswith=world.commune_a1.path).count() == 0


def test_streamed_commit_needs_the_callers_transaction(world, transactional_db):
    case = _case(world)
    with pytest.raises(RuntimeError):
        analyse_and_commit(_importer(world, case), case.data, actor=world.alice)
    assert Member.objects.count() == 0


def test_batches_start_small_and_grow_to_their_size():
    sizes = [len(batch) for batch in pipeline._batches(iter(range(100)), 20)]
    assert sizes == [4, 8, 16, 20, 20, 20, 12]
    assert [len(batch) for batch in pipeline._batches(iter(range(3)), 1)] == [1, 1, 1]


@pytest.mark.parametrize("ahead", [10_000, 3])
def test_numbers_held_elsewhere_are_looked_up_ahead_and_refused_as_in_the_preview(world, monkeypatch, ahead):
    monkeypatch.setattr(pipeline, "BATCH", 3)
    monkeypatch.setattr(matching, "AHEAD", ahead)
    MemberFactory(branch=world.branch_b1, full_name="Đỗ Thị Hằng", id_number="024163000777")
    rows = member_rows(8)
    rows[2][4] = 24163000777  # born 1963, typed as a number: the zero it lost is put back
    data = xlsx({"DS": [HEADER, *rows]})
    asked = []
    real = matching.holders_of
    monkeypatch.setattr(matching, "holders_of", lambda numbers: asked.append(set(numbers)) or real(numbers))

    def importer():
        return Importer(commune=world.commune_a1, file_name="ds.xlsx", branch=world.branch_a1, actor=world.alice)

    with translation.override("en"):
        preview = importer().analyse(data)
        asked.clear()
        with transaction.atomic():
            analysis, outcome = analyse_and_commit(importer(), data, actor=world.alice)

    refused = [(r.row, p.reason) for r in analysis.rejected for p in r.problems]
    assert refused == [(r.row, p.reason) for r in preview.rejected for p in r.problems]
    assert refused == [(4, refused[0][1])] and "another unit" in refused[0][1]  # alice cannot see who
    assert outcome["new"] == 7
    # Every number of the table looked up ahead, in file order, ``ahead`` at a time; none batch by batch.
    assert [len(numbers) for numbers in asked] == [min(ahead, 8 - start) for start in range(0, 8, ahead)]
    assert set().union(*asked) == {"024163000777", *(row[4] for row in rows if isinstance(row[4], str))}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the writing thread runs on PostgreSQL")
def test_a_read_asked_after_a_failed_batch_is_still_answered(world, monkeypatch):
    monkeypatch.setattr(member_services, "members_bulk_prepare", lambda rows: list(rows))
    monkeypatch.setattr(member_services, "members_bulk_store", lambda new, **options: 1 / 0)
    row = SimpleNamespace(data={"full_name": "Nguyễn Thị Hoa"}, branch=world.branch_a1)
    with transaction.atomic():
        sink = writer.NewMembers()
        sink([row])  # fails in the writing thread
        sink._thread.join(timeout=0.5)  # the thread waits for more work: this only gives it time to fail first
        answer = sink.lookup(lambda: 42)
        # The reader gets its answer instead of waiting for ever.
        assert answer.result(timeout=10) == 42
        with pytest.raises(ZeroDivisionError):
            sink.close()
