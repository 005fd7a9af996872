"""Every legacy list in ../shared/samples imports to exactly the members and rejections its .expected.json lists."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from branches.constants import Level
from branches.models import Unit
from imports.pipeline import Importer, branch_key, create_branch
from members.models import Member
from tests.imports.files import SAMPLES, UNITS_2024, member_record

SAMPLE_FILES = sorted(
    path
    for path in (SAMPLES.iterdir() if SAMPLES.exists() else [])
    if path.suffix.lower() in {".xlsx", ".xls", ".ods", ".csv"}
    and path.with_name(path.name + ".expected.json").exists()
)
pytestmark = pytest.mark.skipif(not SAMPLE_FILES, reason="../shared/samples is not beside the checkout")


@pytest.fixture
def bac_giang(db):
    call_command("load_admin_units", str(UNITS_2024), stdout=io.StringIO())


def _expected(path):
    return json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))


def _import(path, expected, *extra) -> dict:
    args = [str(path), "--unit", expected["unit_code"], "--create-branches", "--json", *extra]
    if expected["branch"]:
        args += ["--branch", expected["branch"]]
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_members", *args, stdout=out)
    return json.loads(out.getvalue())


def _record(member: Member) -> dict:
    return member_record(member, "card_number", "is_core")


def _key(record: dict):
    return (record["id_number"], record["full_name"], record["birth_year"])


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_sample_imports_exactly_the_expected_members(bac_giang, path):
    expected = _expected(path)
    summary = _import(path, expected)

    commune = Unit.objects.get(level=Level.COMMUNE, code=expected["unit_code"], valid_to__isnull=True)
    actual = sorted((_record(m) for m in Member.objects.in_subtree(commune).select_related("branch")), key=_key)
    wanted = sorted(
        ({**m, "branch": branch_key(m["branch"])} for m in expected["members"]),
        key=_key,
    )
    assert summary["new"] == len(wanted)
    assert len(actual) == len(wanted)
    for got, want in zip(actual, wanted, strict=True):
        assert got == want


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_sample_rejects_exactly_the_expected_rows(bac_giang, path):
    expected = _expected(path)
    commune = Unit.objects.get(level=Level.COMMUNE, code=expected["unit_code"], valid_to__isnull=True)
    branch = None
    if expected["branch"]:
        branch = create_branch(commune, expected["branch"])
    with translation.override("en"):
        analysis = Importer(commune=commune, file_name=path.name, branch=branch, create_branches=True).analyse(
            path.read_bytes()
        )
    got = {(p.row, p.field): p.reason for p in analysis.problems}
    assert {(r["row"], r["field"]) for r in expected["rejected_rows"]} == set(got)
    for rejected in expected["rejected_rows"]:
        assert got[(rejected["row"], rejected["field"])].startswith(rejected["why"])

    summary = _import(path, expected)
    wanted = sorted(expected["rejected_rows"], key=lambda r: r["row"])
    assert [r["row"] for r in summary["rejected"]] == [r["row"] for r in wanted]
    assert all(got["reason"].startswith(want["why"]) for got, want in zip(summary["rejected"], wanted, strict=True))
    assert all(r["column"] and r["sheet"] for r in summary["rejected"])


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_sample_imported_twice_changes_nothing(bac_giang, path):
    expected = _expected(path)
    _import(path, expected)
    history = Member.history.count()

    again = _import(path, expected)

    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, len(expected["members"]))
    assert Member.history.count() == history
