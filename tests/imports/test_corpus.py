"""The corpus of field-shaped files (``corpus.py``) imports exactly: every member field by field, every rejection
with its row, every skipped heading or subtotal, every value kept as typed flagged."""

import pytest
from django.utils import translation

from branches.constants import Level, UnitType
from branches.services import unit_create
from imports.pipeline import Importer, branch_key, commit
from members.models import Member
from tests.imports.corpus import CASES
from tests.imports.files import member_record

FIELDS = ("full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "joined_on")


def _record(member: Member) -> dict:
    return member_record(member, "old_id_number")


def _wanted(record: dict) -> dict:
    return {**{"old_id_number": ""}, **record, "branch": branch_key(record["branch"])}


@pytest.mark.parametrize("make", CASES, ids=lambda make: make().name)
def test_corpus_file_imports_exactly(world, make):
    case = make()
    for name in case.extra_branches:
        unit_create(name=name, level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=world.commune_a1)
    branch = None
    if case.branch:
        branch = next(u for u in world.commune_a1.children.all() if branch_key(u.name) == branch_key(case.branch))
    with translation.override("en"):
        analysis = Importer(
            commune=world.commune_a1, file_name=case.name, branch=branch, create_branches=True, actor=world.alice
        ).analyse(case.data)
        assert sorted((p.row, p.field) for p in analysis.problems) == sorted(case.rejected), analysis.problems
        if case.skipped:
            assert sorted(s.row for s in analysis.skipped) == case.skipped
        assert sorted((f.row, f.field) for f in analysis.flags) == sorted(case.flags)
        outcome = commit(analysis, actor=world.alice)

    key = lambda r: (r["id_number"], r["full_name"], r["birth_year"])  # noqa: E731
    got = sorted((_record(m) for m in Member.objects.in_subtree(world.commune_a1).select_related("branch")), key=key)
    want = sorted((_wanted(r) for r in case.members), key=key)
    assert outcome["new"] == len(want)
    assert got == want


def test_corpus_has_every_format_and_twenty_files():
    names = [make().name for make in CASES]
    assert len(names) >= 20
    assert {name.rsplit(".", 1)[1] for name in names} >= {"xlsx", "xls", "ods", "csv"}
    kinds = {make().data[:5] for make in CASES}
    assert any(head.startswith(b"<?xml") for head in kinds) and any(b"<html" in head for head in kinds)
