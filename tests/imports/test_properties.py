"""Generated tables of random shapes and cell types: the pipeline never raises, never writes part of an import,
and puts every row of a member table in exactly one place (imported, skipped or rejected)."""

import datetime
import io
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.pipeline import Importer, analyse_and_commit, commit
from imports.rows import MEMBER
from imports.sheets import ImportFileError, RawSheet, Workbook
from members.models import Member, MemberEvent, Membership
from tests.factories import MemberFactory

HEADERS = [
    "STT", "Họ và tên", "Ngày sinh", "Năm sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Số CMND (cũ)", "Điện thoại",
    "Ngày vào Hội", "Thôn", "Chi hội", "Nòng cốt", "Số thẻ hội viên", "Ghi chú", "Nghề nghiệp", "Địa chỉ",
]  # fmt: skip

cells = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=5),
    st.text(min_size=300, max_size=400),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1800, 1, 1)),
    st.booleans(),
    st.sampled_from(["#N/A", "#VALUE!", "#REF!", "=SUM(A1:A3)", "Cộng", "Tổng số: 3.059", "I / CHI HỘI THÔN ĐÔNG",
                     "Thôn Đông", "THỐNG KÊ", "0241 7671 6918", "+84 912 345 678 / 0987654321", "15", "01/01/1900"]),
    st.sampled_from(["Nguyễn Thị Hoa", "Trần Thị Lan", "24176716918", "07/04/1976", "1980", "Kinh", "Mèo"]),
)  # fmt: skip


@st.composite
def tables(draw):
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    width = len(header) + draw(st.integers(0, 2))
    above = draw(st.lists(st.lists(cells, max_size=width), max_size=3))
    body = draw(st.lists(st.lists(cells, min_size=0, max_size=width), max_size=25))
    return [*above, list(header), *body]


def _analyse(world, rows, **options):
    sheet = RawSheet(name="Danh sách", rows=[list(row) for row in rows])
    workbook = Workbook(kind="xlsx", sheets=[sheet])
    with mock.patch("imports.pipeline.read_workbook", return_value=workbook):
        return Importer(commune=world.commune_a1, file_name="x.xlsx", actor=world.alice, **options).analyse(b"")


@pytest.mark.django_db(transaction=False)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tables(), create=st.booleans())
def test_any_table_is_read_without_raising_and_every_row_lands_once(world, rows, create):
    try:
        with transaction.atomic():
            analysis = _analyse(world, rows, create_branches=create, branch=None if create else world.branch_a1)
            placed = [(r.sheet, r.row) for r in analysis.new + analysis.updated + analysis.unchanged]
            placed += [(r.sheet, r.row) for r in analysis.rejected]
            skipped = [(s.sheet, s.row) for s in analysis.skipped]
            assert len(placed) == len(set(placed)) and not set(placed) & set(skipped)
            member_lines = {
                (report.name, line.index + 1)
                for report in analysis.sheets
                if report.table is not None
                for line in report.table.lines
                if line.kind == MEMBER
            }
            assert set(placed) == member_lines
            outcome = commit(analysis, actor=world.alice)
            assert Member.objects.count() == outcome["new"] == len(analysis.new)
            assert Membership.objects.count() == MemberEvent.objects.count() == outcome["new"]
            transaction.set_rollback(True)
    except ImportFileError:
        pass
    assert not Member.objects.exists()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tables())
def test_a_failing_write_leaves_nothing(world, rows):
    try:
        analysis = _analyse(world, rows, branch=world.branch_a1)
    except ImportFileError:
        return
    with (
        mock.patch("members.services.members_bulk_update", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        commit(analysis, actor=world.alice)
    assert not Member.objects.exists() and not Membership.objects.exists()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(cells, max_size=6), max_size=12))
def test_any_csv_or_xlsx_bytes_are_read_or_refused_with_a_message(rows):
    import csv

    import openpyxl

    from imports.reader import read_workbook

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["" if v is None else str(v) for v in row] for row in rows])
    for data, name in [(buffer.getvalue().encode("utf-8", "surrogatepass"), "x.csv")]:
        try:
            read_workbook(data, name)
        except ImportFileError as error:
            assert str(error)
    book = openpyxl.Workbook()
    for row in rows:
        try:
            book.active.append([v if not isinstance(v, str) else v.replace("\x00", "") for v in row])
        except (ValueError, TypeError, openpyxl.utils.exceptions.IllegalCharacterError):
            return
    out = io.BytesIO()
    try:
        book.save(out)
    except (ValueError, TypeError):
        return
    try:
        read_workbook(out.getvalue(), "x.xlsx")
    except ImportFileError as error:
        assert str(error)


HELD = "024176716918"  # held in another commune; a file may write it in any of these ways
held_cells = st.sampled_from([HELD, 24176716918, 24176716918.0, "0241 7671 6918", "024.176.716.918", " 24176716918 "])


@st.composite
def lists_with_held_numbers(draw):
    """Well-formed member lists in which some numbers are held elsewhere, written as clerks write them."""
    body = draw(
        st.lists(
            st.tuples(st.sampled_from(["Nguyễn Thị Hoa", "Trần Thị Lan"]), st.one_of(held_cells, cells)),
            min_size=1, max_size=12,
        )
    )  # fmt: skip
    rows = [["Họ và tên", "Số CCCD", "Ngày sinh", "Ngày vào Hội"]]
    return rows + [[name, number, "07/04/1976", "01/01/2000"] for name, number in body]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(tables(), lists_with_held_numbers()))
def test_the_streamed_commit_classifies_any_table_as_the_preview(world, rows):
    # Numbers held elsewhere are looked up ahead by the writing thread; the answer must be the preview's.
    if not Member.objects.filter(id_number=HELD).exists():  # once: the examples share the database
        MemberFactory(branch=world.branch_b1, id_number=HELD, date_of_birth=datetime.date(1976, 4, 7))
    with transaction.atomic():
        try:
            preview = _analyse(world, rows, branch=world.branch_a1)
        except ImportFileError:
            return
        sheet = RawSheet(name="Danh sách", rows=[list(row) for row in rows])
        with mock.patch("imports.pipeline.read_workbook", return_value=Workbook(kind="xlsx", sheets=[sheet])):
            importer = Importer(commune=world.commune_a1, file_name="x.xlsx", actor=world.alice, branch=world.branch_a1)
            analysis, outcome = analyse_and_commit(importer, b"", actor=world.alice)
        assert analysis.summary() == preview.summary()
        assert outcome["new"] == len(preview.new)
        transaction.set_rollback(True)
