"""Shapes of lists found in the field, beyond the samples: each is found, mapped and read."""

import codecs
import datetime
import io
import unicodedata
import zipfile

import pytest
from django.utils import translation

from imports.pipeline import Importer
from imports.reader import ImportFileError
from imports.table import find_table
from tests.imports.files import HEADER, member_rows, ods, tcvn3, vni, xls, xlsx


def analyse(world, data: bytes, name: str = "ds.xlsx", **options):
    options.setdefault("branch", world.branch_a1)
    with translation.override("en"):
        return Importer(commune=world.commune_a1, file_name=name, **options).analyse(data)


def test_title_block_totals_and_signatures_are_not_rows(world):
    rows = [
        ["HỘI LHPN XÃ TÂN ẤN"], [], ["DANH SÁCH HỘI VIÊN NĂM 2025"], [],
        HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        *member_rows(3),
        [None, "Tổng cộng: 3 hội viên"], [], [None, None, None, None, "Tân Ấn, ngày 5 tháng 1 năm 2025"],
        [None, "NGƯỜI LẬP BIỂU", None, None, "CHI HỘI TRƯỞNG"],
    ]  # fmt: skip
    analysis = analyse(world, xlsx({"DS": rows}, merged={"DS": ["A1:G1", "A3:G3"]}))
    sheet = analysis.sheets[0].as_dict()
    assert (sheet["header_row"], sheet["column_number_row"], sheet["footer_row"]) == (5, 6, 12)
    assert len(analysis.new) == 3 and not analysis.rejected
    assert [(s.row, s.text) for s in analysis.skipped] == [(10, "Tổng cộng: 3 hội viên")]


def test_two_row_header_with_a_merged_date_group(world):
    upper = ["STT", "Họ và tên", "Ngày, tháng, năm", None, "Dân tộc", "Số CMND/CCCD"]
    lower = [None, None, "Sinh", "Vào Hội", None, None]
    data = [1, "Trần Thị Lan", "02/03/1970", "08/03/1995", "Tày", "024170000001"]
    analysis = analyse(world, xlsx({"S": [upper, lower, data]}, merged={"S": ["C1:D1", "A1:A2", "B1:B2"]}))
    mapping = analysis.sheets[0].table.mapping
    assert mapping["date_of_birth"] == 2 and mapping["joined_on"] == 3
    [row] = analysis.new
    assert row.data["date_of_birth"] == datetime.date(1970, 3, 2)
    assert row.data["joined_on"] == datetime.date(1995, 3, 8)


def test_two_row_header_without_merge_information(world):
    table = find_table(
        [
            ["TT", "Họ và tên", None, "Ngày, tháng, năm", None, "SĐT"],
            [None, "Họ đệm", "Tên", "Sinh", "Kết nạp", None],
            [1, "Trần Thị", "Lan", "02/03/1970", "08/03/1995", "0912345678"],
        ]
    )
    assert table.mapping == {
        "last_name": 1,
        "given_name": 2,
        "date_of_birth": 3,
        "joined_on": 4,
        "phone": 5,
    }


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ("HỌ VÀ TÊN HỘI VIÊN", "full_name"),
        ("Họ tên", "full_name"),
        ("Sinh ngày", "date_of_birth"),
        ("Năm sinh", "date_of_birth"),
        ("Ngày, tháng, năm sinh", "date_of_birth"),
        ("Số CMND/CCCD", "id_number"),
        ("CMND", "id_number"),
        ("SĐT", "phone"),
        ("Điện thoại", "phone"),
        ("Thôn/Xóm", "branch"),
        ("Tổ dân phố", "branch"),
        ("Chi hội", "branch"),
        ("Kết nạp ngày", "joined_on"),
        ("Số thẻ", "card_number"),
        ("Nòng cốt", "is_core"),
    ],
)
def test_header_synonyms(headers, field):
    row = ["STT", "Họ và tên", headers, "Ngày vào Hội"] if field != "full_name" else ["STT", headers, "Ngày sinh"]
    table = find_table([row])
    assert table is not None and table.mapping.get(field) is not None


def test_vni_workbook_one_sheet_per_branch_split_names_serials_and_a_hidden_sheet(world):
    header = [vni("STT"), vni("Họ đệm"), vni("Tên"), vni("Ngày sinh"), vni("Dân tộc"), vni("Ngày vào Hội")]
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    sheets = {
        vni("Thôn Đông"): [header, numbers, [1, vni("Nguyễn Thị"), vni("Hồng"), 27857, vni("Nùng"), "08/03/1997"]],
        vni("Thôn Bắc"): [header, numbers, [1, vni("Lương Thị"), vni("Thủy"), 25000, "Kinh", "20/10/2001"]],
        "An": [],
    }
    analysis = analyse(world, xlsx(sheets, hidden={"An"}, fonts=dict.fromkeys(sheets, "VNI-Times")), branch=None,
                       create_branches=True)  # fmt: skip
    assert [s.encoding for s in analysis.sheets] == ["vni", "vni"]
    assert analysis.ignored_sheets == ["An"]
    names = {row.data["full_name"]: row for row in analysis.new}
    assert set(names) == {"Nguyễn Thị Hồng", "Lương Thị Thủy"}
    assert names["Nguyễn Thị Hồng"].data["date_of_birth"] == datetime.date(1976, 4, 7)
    assert names["Nguyễn Thị Hồng"].data["ethnicity"] == "Nùng"
    # The sheet is the branch: Thôn Đông exists in commune A1, Thôn Bắc is to be created.
    assert names["Nguyễn Thị Hồng"].branch == world.branch_a1
    assert analysis.branches_to_create == ["Chi hội Thôn Bắc"]


def test_xls_in_tcvn3_with_vntimeh_titles_and_a_year_only_birth(world):
    rows = [
        [tcvn3("danh sách hội viên")],
        [tcvn3("stt"), tcvn3("họ và tên"), tcvn3("năm sinh"), tcvn3("dân tộc"), tcvn3("thôn"), tcvn3("ngày vào hội")],
        [1, tcvn3("nguyễn thị hồng"), 1965, tcvn3("tày"), tcvn3("thôn đông"), "08/03/1990"],
        [2, tcvn3("phạm thị thu"), datetime.date(1970, 5, 1), "Kinh", tcvn3("thôn đông"), "08/03/1992"],
    ]
    data = xls(rows, font=".VnTime", fonts_by_row={0: ".VnTimeH", 1: ".VnTimeH"})
    analysis = analyse(world, data, "ds.xls", branch=None)
    assert analysis.sheets[0].encoding == "tcvn3"
    assert analysis.sheets[0].fonts_used  # .VnTimeH cells were read as capitals
    assert analysis.sheets[0].table.columns[1].header == "HỌ VÀ TÊN"
    first, second = sorted(analysis.new, key=lambda row: row.row)
    assert (first.data["full_name"], first.data["date_of_birth"], first.data["birth_year"]) == (
        "Nguyễn Thị Hồng",
        None,
        1965,
    )  # noqa: E501
    assert first.data["ethnicity"] == "Tày" and first.branch == world.branch_a1
    assert second.data["date_of_birth"] == datetime.date(1970, 5, 1)


def test_ods_is_read(world):
    analysis = analyse(world, ods([HEADER, *member_rows(2)]), "ds.ods")
    assert len(analysis.new) == 2


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ";", True), ("utf-8", ",", False), ("utf-8", "\t", False), ("cp1258", ";", False)],
)
def test_csv_encodings_and_delimiters(world, encoding, delimiter, bom):
    lines = [delimiter.join(HEADER)] + [delimiter.join(str(v) for v in row) for row in member_rows(3)]
    text = "\r\n".join(lines)
    data = _cp1258(text) if encoding == "cp1258" else (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    analysis = analyse(world, data, "ds.csv")
    assert {row.data["full_name"] for row in analysis.new} >= {"Trần Thị Lan", "Lê Thị Hồng"}
    assert len(analysis.new) == 3


def _cp1258(text: str) -> bytes:
    """Windows-1258 writes "ễ" as "ê" followed by a combining tilde."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += (base + "".join(p for p in parts if p in tones)).encode("cp1258")
    return bytes(out)


def test_csv_typed_in_tcvn3(world):
    lines = [";".join(HEADER)] + [";".join(str(v) for v in row) for row in member_rows(2)]
    data = tcvn3("\r\n".join(lines).lower()).encode("cp1252")
    analysis = analyse(world, data, "ds.csv")
    assert {row.data["full_name"] for row in analysis.new} == {"Trần Thị Lan", "Lê Thị Hồng"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"\x00\x01\x02binary\x00garbage" * 50, "not a spreadsheet"),
        (b"PK\x03\x04broken zip", "damaged"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "No member list"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600, "password"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cannot be read"),
    ],
)
def test_bad_files_get_a_clear_message(world, data, message):
    with pytest.raises(ImportFileError, match=message):
        analyse(world, data)


def _with_dimension(data: bytes, old: bytes, new: bytes, extra: bytes = b"") -> bytes:
    """The workbook with its <dimension> tag rewritten (and ``extra`` cells appended to the sheet)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(old, new).replace(b"</sheetData>", extra + b"</sheetData>")
            target.writestr(item, content)
    return out.getvalue()


def test_a_lying_dimension_tag_is_ignored_for_the_real_extent(world, settings):
    settings.IMPORT_MAX_ROWS = 1000
    data = _with_dimension(
        xlsx({"S": [HEADER, *member_rows(2)]}), b'<dimension ref="A1:G3" />', b'<dimension ref="A1:XFD1048576" />'
    )
    assert len(analyse(world, data).new) == 2


def test_a_far_stray_cell_behind_a_small_dimension_tag_is_refused_before_reading(world, settings):
    settings.IMPORT_MAX_ROWS = 1000
    far = b'<row r="5000"><c r="GR5000" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _with_dimension(xlsx({"S": [HEADER, *member_rows(2)]}), b"", b"", far)
    with pytest.raises(ImportFileError, match="rows and"):
        analyse(world, data)


def test_too_large_a_file_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportFileError, match="MB"):
        analyse(world, xlsx({"S": [HEADER, *member_rows(50)]}))


def test_a_sheet_without_a_member_table_is_reported(world):
    analysis = analyse(
        world, xlsx({"Ghi chú": [["Chỉ có ghi chú"], ["không có bảng"]], "DS": [HEADER, *member_rows(1)]})
    )
    assert len(analysis.new) == 1
    assert any("Ghi chú" in warning for warning in analysis.warnings)


def test_undecodable_text_is_rejected_not_guessed(world):
    rows = [[vni(h) for h in HEADER], *[[1, vni("Nguyễn Thị Hoa"), "01/01/1970", "Kinh", "", "", "08/03/1995"]]]
    rows.append([2, "Tr\xdf\xdfn Th\xdf", "01/01/1971", "Kinh", "", "", "08/03/1995"])
    analysis = analyse(world, xlsx({"S": rows}))
    assert [row.data["full_name"] for row in analysis.new] == ["Nguyễn Thị Hoa"]
    [problem] = analysis.problems
    assert (problem.row, problem.field) == (3, "full_name") and "ß" in problem.reason
