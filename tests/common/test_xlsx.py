import datetime

from openpyxl import load_workbook

from common.xlsx import BOLD, HEADER, XlsxStream, merge_ref


def test_stream_round_trips_through_openpyxl(tmp_path):
    path = tmp_path / "t.xlsx"
    with XlsxStream(path, "Hội viên", widths=[6, 20], freeze_rows=1, merges=[merge_ref(1, 0, 2)]) as sheet:
        sheet.row(["Tiêu đề <&>"], BOLD)
        sheet.row(["STT", "Họ và tên", "Ngày"], HEADER)
        sheet.row([1, "=1+1", datetime.date(2024, 3, 8)])
        sheet.row([2, None, True])
    workbook = load_workbook(path)
    ws = workbook["Hội viên"]
    assert ws["A1"].value == "Tiêu đề <&>" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["STT", "Họ và tên", "Ngày"] and ws["B2"].border.left.style == "thin"
    assert ws["B3"].value == "=1+1" and ws["B3"].data_type == "s"  # text, never a formula
    assert ws["C3"].value == "08/03/2024" and ws["A4"].value == 2 and ws["C4"].value is True
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A2"
