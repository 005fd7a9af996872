"""A corpus of commune files in the shapes the field keeps, each with the members and rejections it must give.

Every case builds its rows from the same small register of women (names,
births, CCCDs that fit their birth years) and writes them in one of the shapes
and formats commune offices use: sections with subtotals, merged village cells,
birth years split by sex or by day/month/year, old and new ID columns, a
legacy-font block inside a Unicode sheet, statistics tables under the list,
HTML and Excel 2003 XML saved as .xls, CSV. ``expected`` is written from the
generator's own knowledge of what it put where, never from the importer.
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from tests.imports.files import ods, tcvn3, vni, xls, xlsx

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Kim", "Thị Thanh", "Thị Mỹ"]
GIVEN = ["Hoa", "Lan", "Hồng", "Thu", "Mai", "Ánh", "Hường", "Nguyệt", "Yến", "Loan", "Thủy", "Xuân", "Đào"]


@dataclass
class Woman:
    full_name: str
    born: datetime.date
    id_number: str
    phone: str
    joined: datetime.date
    branch: str
    ethnicity: str = "Kinh"
    religion: str | None = None
    old_id_number: str = ""

    def record(self, *, year_only: bool = False) -> dict:
        return {
            "full_name": self.full_name,
            "date_of_birth": None if year_only else self.born.isoformat(),
            "birth_year": self.born.year,
            "ethnicity": self.ethnicity,
            "religion": self.religion,
            "id_number": self.id_number,
            "phone": self.phone,
            "branch": self.branch,
            "joined_on": self.joined.isoformat(),
        }


def women(count: int, seed: int, branches: list[str], id_province: str = "024") -> list[Woman]:
    rng = random.Random(seed)
    found, used = [], set()
    while len(found) < count:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        born = datetime.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        tail = f"{rng.randint(0, 999999):06d}"
        id_number = f"{id_province}{1 if born.year < 2000 else 3}{born.year % 100:02d}{tail}"
        if id_number in used:
            continue
        used.add(id_number)
        joined = datetime.date(born.year + rng.randint(19, 25), rng.randint(1, 12), rng.randint(1, 28))
        phone = f"09{rng.randint(0, 99_999_999):08d}"
        found.append(Woman(name, born, id_number, phone, joined, branches[len(found) % len(branches)]))
    return found


@dataclass
class Case:
    name: str  # file name, with its extension
    data: bytes
    members: list[dict]
    rejected: list[tuple[int, str]]  # (1-based row, field)
    skipped: list[int] = field(default_factory=list)  # 1-based rows listed as skipped
    branch: str | None = None  # the branch chosen at upload, when the file does not say
    flags: list[tuple[int, str]] = field(default_factory=list)
    extra_branches: list[str] = field(default_factory=list)  # branches the commune has before the import


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _html(rows: list[list], *, bom: bool, rowspans: dict | None = None) -> bytes:
    """An HTML table as web systems save "Excel" exports: entities for non-ASCII letters, rowspans for villages."""
    rowspans = rowspans or {}
    lines = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>']
    lines.append("<h3>DANH S&#193;CH H&#7896;I VI&#202;N</h3><table border=1>")
    covered = set()
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            span = rowspans.get((r, c), 1)
            for k in range(1, span):
                covered.add((r + k, c))
            text = (
                "" if value is None else "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in escape(str(value)))
            )
            attribute = f' rowspan="{span}"' if span > 1 else ""
            cells.append(f"<td{attribute}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    data = "\n".join(lines).encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _spreadsheetml(sheets: dict, *, hidden=(), merge_down: dict | None = None) -> bytes:
    """Excel 2003 XML: rows given as {row number: [cells]} so that ss:Index skips empty rows."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Excel.Sheet"?>',
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:x="urn:schemas-microsoft-com:office:excel">',
    ]
    for name, rows in sheets.items():
        out.append(f'<Worksheet ss:Name="{escape(name)}"><Table>')
        for number, cells in sorted(rows.items()):
            out.append(f'<Row ss:Index="{number}">')
            for c, value in enumerate(cells):
                if value is None:
                    continue
                merge = (merge_down or {}).get((name, number, c))
                attrs = f' ss:Index="{c + 1}"' + (f' ss:MergeDown="{merge}"' if merge else "")
                kind = "Number" if isinstance(value, int | float) else "String"
                out.append(f'<Cell{attrs}><Data ss:Type="{kind}">{escape(str(value))}</Data></Cell>')
            out.append("</Row>")
        out.append("</Table>")
        if name in hidden:
            out.append("<x:WorksheetOptions><x:Visible>SheetHidden</x:Visible></x:WorksheetOptions>")
        out.append("</Worksheet>")
    out.append("</Workbook>")
    return "".join(out).encode("utf-8")


def _csv(rows: list[list], delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Ngày vào Hội"]


def _row(n: int, w: Woman) -> list:
    return [n, w.full_name, dmy(w.born), w.id_number, w.phone, dmy(w.joined)]


def _title(width: int = 6) -> list[list]:
    return [["HỘI LHPN XÃ TÂN ẤN"], ["DANH SÁCH HỘI VIÊN NĂM 2025"], [None] * width]


def _signature() -> list[list]:
    return [[], [None, None, None, "Tân Ấn, ngày 10 tháng 1 năm 2025"], [None, "NGƯỜI LẬP", None, "CHỦ TỊCH"]]


# The cases -------------------------------------------------------------------------------------------------------


def sections_in_one_sheet() -> Case:
    """Numbered and counted headings, subtotals in words and numbers, a grand total with its count as text."""
    east, temple = women(4, 1, ["Chi hội Thôn Đông"]), women(3, 2, ["Chi hội Xóm Chùa"])
    rows = [*_title(), HEADER]
    rows.append(["I", "CHI HỘI THÔN ĐÔNG", None, None, None, None])
    rows += [_row(i + 1, w) for i, w in enumerate(east)]
    rows.append([None, "Cộng chi hội", None, None, None, 4])
    rows.append([None, "II / Chi hội Xóm Chùa: 3 hội viên"])
    rows += [_row(i + 1, w) for i, w in enumerate(temple)]
    rows.append(["", "Cộng", 3])
    rows.append([None, "Tổng số: 7"])
    rows += _signature()
    return Case(
        "sections.xlsx", xlsx({"DS": rows}), [w.record() for w in east + temple], [], skipped=[5, 10, 11, 15, 16]
    )


def village_alone_in_the_name_column() -> Case:
    east, bay = women(3, 3, ["Chi hội Thôn Đông"]), women(2, 4, ["Chi hội Thôn Bãi"])
    rows = [HEADER, [None, "Thôn Đông"], *[_row(i + 1, w) for i, w in enumerate(east)]]
    rows += [[None, "Thôn Bãi"], *[_row(i + 1, w) for i, w in enumerate(bay)]]
    return Case("village_headings.xlsx", xlsx({"Sheet1": rows}), [w.record() for w in east + bay], [], skipped=[2, 6])


def merged_village_cells_xlsx() -> Case:
    people = women(6, 5, ["Chi hội Thôn Đông"] * 3 + ["Chi hội Thôn Bắc"] * 3)
    people.sort(key=lambda w: w.branch != "Chi hội Thôn Đông")
    header = [*HEADER, "Thôn"]
    rows = [header]
    for i, w in enumerate(people):
        rows.append([*_row(i + 1, w), ("Thôn Đông" if i == 0 else "Thôn Bắc" if i == 3 else None)])
    return Case(
        "merged_villages.xlsx", xlsx({"DS": rows}, merged={"DS": ["G2:G4", "G5:G7"]}), [w.record() for w in people], []
    )


def merged_village_cells_xls() -> Case:
    import xlwt

    people = women(4, 6, ["Chi hội Thôn Đông"] * 2 + ["Chi hội Thôn Trại"] * 2)
    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet("DS")
    for c, text in enumerate([*HEADER, "Chi hội"]):
        page.write(0, c, text)
    for i, w in enumerate(people):
        for c, value in enumerate(_row(i + 1, w)):
            page.write(i + 1, c, value)
    page.write_merge(1, 2, 6, 6, "Thôn Đông")
    page.write_merge(3, 4, 6, 6, "Thôn Trại")
    buffer = io.BytesIO()
    book.save(buffer)
    return Case("merged_villages.xls", buffer.getvalue(), [w.record() for w in people], [])


def birth_year_split_by_sex() -> Case:
    people = women(4, 7, ["Chi hội Thôn Đông"])
    upper = ["STT", "Họ và tên", "Năm sinh", None, "Số CCCD", "Ngày vào Hội"]
    lower = [None, None, "Nam", "Nữ", None, None]
    rows = [upper, lower]
    for i, w in enumerate(people):
        rows.append([i + 1, w.full_name, None, w.born.year, w.id_number, dmy(w.joined)])
    rows.append([5, "Nguyễn Văn Nam", 1980, None, "", "01/01/2005"])
    return Case(
        "birth_by_sex.xlsx",
        xlsx({"DS": rows}, merged={"DS": ["C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2"]}),
        [{**w.record(year_only=True), "phone": ""} for w in people],
        [(7, "birth_male")],
        branch="Chi hội Thôn Đông",
    )


def birth_day_month_year_columns_xls() -> Case:
    people = women(4, 8, ["Chi hội Thôn Đông"])
    rows = [["STT", "Họ và tên", "Ngày sinh", None, None, "Ngày vào Hội"], [None, None, "Ngày", "Tháng", "Năm", None]]
    members = []
    for i, w in enumerate(people):
        if i % 2:
            rows.append([i + 1, w.full_name, None, None, w.born.year, dmy(w.joined)])
            members.append({**w.record(year_only=True), "id_number": "", "phone": ""})
        else:
            rows.append([i + 1, w.full_name, w.born.day, w.born.month, w.born.year, dmy(w.joined)])
            members.append({**w.record(), "id_number": "", "phone": ""})
    rows.append([5, "Lê Thị Sai", 31, 2, 1970, "01/01/2000"])
    return Case("birth_parts.xls", xls(rows), members, [(7, "date_of_birth")], branch="Chi hội Thôn Đông")


def statistics_under_the_list_and_other_sheets() -> Case:
    people = women(5, 9, ["Chi hội Thôn Đông"])
    rows = [HEADER, *[_row(i + 1, w) for i, w in enumerate(people)], []]
    rows += [[None, "THỐNG KÊ THEO ĐỘ TUỔI"], [None, "Độ tuổi", "Số lượng", "Tỷ lệ"]]
    rows += [[None, "Từ 18 đến 30", 2, "40%"], [None, "Từ 31 đến 45", 3, "60%"]]
    summary = [["Chi hội", "Số hội viên"], ["Thôn Đông", 5]]
    lookup = [["Mã", "Tên dân tộc"], [1, "Kinh"], [2, "Tày"]]
    data = xlsx({"Tổng hợp": summary, "DS": rows, "Danh mục": lookup})
    return Case("with_statistics.xlsx", data, [w.record() for w in people], [], branch="Chi hội Thôn Đông")


def old_and_new_id_columns() -> Case:
    people = women(3, 10, ["Chi hội Thôn Đông"])
    rows = [["STT", "Họ và tên", "Ngày sinh", "Số CMND (cũ)", "Số CCCD", "Ngày vào Hội"]]
    members = []
    for i, w in enumerate(people):
        old = f"12{i:07d}"
        rows.append([i + 1, w.full_name, dmy(w.born), old, w.id_number, dmy(w.joined)])
        members.append({**w.record(), "phone": "", "old_id_number": old})
    data = xlsx({"DS": rows}, hidden_columns={"DS": ["D"]})
    return Case("old_and_new_ids.xlsx", data, members, [], branch="Chi hội Thôn Đông")


def tcvn3_block_in_a_unicode_xls() -> Case:
    people = women(6, 11, ["Chi hội Thôn Đông"])
    rows = [["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Ngày vào Hội", "Thôn"]]
    fonts = {}
    for i, w in enumerate(people):
        legacy = i >= 3
        name, village = (tcvn3(w.full_name), tcvn3("Thôn Đông")) if legacy else (w.full_name, "Thôn Đông")
        rows.append([i + 1, name, dmy(w.born), w.id_number, dmy(w.joined), village])
        fonts[i + 1] = ".VnTime" if legacy else "Times New Roman"
    data = xls(rows, fonts_by_row=fonts)
    return Case("tcvn3_block.xls", data, [{**w.record(), "phone": ""} for w in people], [])


def vni_block_in_a_unicode_xlsx() -> Case:
    people = women(6, 12, ["Chi hội Thôn Đông"])
    rows = [["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Ngày vào Hội", "Chi hội"]]
    for i, w in enumerate(people):
        legacy = i % 2 == 1
        name, village = (vni(w.full_name), vni("Chi hội Thôn Đông")) if legacy else (w.full_name, "Chi hội Thôn Đông")
        rows.append([i + 1, name, dmy(w.born), w.id_number, dmy(w.joined), village])
    return Case("vni_block.xlsx", xlsx({"DS": rows}), [{**w.record(), "phone": ""} for w in people], [])


def html_saved_as_xls(bom: bool) -> Case:
    people = women(4, 13 + bom, ["Chi hội Thôn Đông"] * 2 + ["Chi hội Thôn Bến"] * 2)
    rows = [[*HEADER, "Chi hội"]]
    for i, w in enumerate(people):
        rows.append([*_row(i + 1, w), w.branch])
    data = _html(rows, bom=bom, rowspans={(1, 6): 2, (3, 6): 2})
    return Case(f"web_export{'_bom' if bom else ''}.xls", data, [w.record() for w in people], [])


def spreadsheetml_with_gaps_and_a_hidden_sheet() -> Case:
    people = women(4, 15, ["Chi hội Thôn Đông"] * 4)
    sheet = {1: ["DANH SÁCH HỘI VIÊN"], 3: [*HEADER, "Thôn"]}
    for i, w in enumerate(people):
        sheet[4 + i] = [*_row(i + 1, w), "Thôn Đông" if i == 0 else None]
    data = _spreadsheetml({"DS": sheet, "Ẩn": {1: ["x"]}}, hidden=("Ẩn",), merge_down={("DS", 4, 6): 3})
    return Case("excel2003.xls", data, [w.record() for w in people], [])


def csv_with_lost_zeros_and_two_phones() -> Case:
    people = women(4, 16, ["Chi hội Thôn Đông"], id_province="001")
    rows = [HEADER]
    members = []
    for i, w in enumerate(people):
        id_cell = w.id_number.lstrip("0")  # typed as a number: "001…" loses two zeros
        phone = f"+84 {w.phone[1:4]} {w.phone[4:7]} {w.phone[7:]}"
        if i == 0:
            phone = f"{w.phone[:4]}.{w.phone[4:7]}.{w.phone[7:]} - 0987654321"
        rows.append([i + 1, w.full_name, dmy(w.born), id_cell, phone, dmy(w.joined)])
        members.append(w.record())
    rows.append([5, "Vũ Thị Lẻ", "01/01/1970", "1234567", "", "01/01/1995"])
    return Case("lost_zeros.csv", _csv(rows), members, [(6, "id_number")], branch="Chi hội Thôn Đông")


def ethnic_groups_and_religions_as_typed() -> Case:
    people = women(6, 17, ["Chi hội Thôn Đông"])
    typed = [
        ("mèo", "Mông", "thiên chúa", "Công giáo"), ("Dân tộc Tày", "Tày", "Lương", None),
        ("KHO ME", "Khmer", "Đạo Phật", "Phật giáo"), ("ede", "Ê Đê", "tin lanh", "Tin lành"),
        ("Cao Lan", "Sán Chay", "PGHH", "Phật giáo Hòa Hảo"), ("Kinh Bắc", "Kinh Bắc", "Đạo Mẫu", "Đạo Mẫu"),
    ]  # fmt: skip
    rows = [["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Ngày vào Hội"]]
    members = []
    for i, (w, (ethnic, official, faith, official_faith)) in enumerate(zip(people, typed, strict=True)):
        rows.append([i + 1, w.full_name, dmy(w.born), ethnic, faith, w.id_number, dmy(w.joined)])
        members.append({**w.record(), "phone": "", "ethnicity": official, "religion": official_faith})
    return Case(
        "ethnic_religion.xlsx", xlsx({"DS": rows}), members, [], branch="Chi hội Thôn Đông",
        flags=[(7, "ethnicity"), (7, "religion")],
    )  # fmt: skip


def day_numbers_are_not_dates() -> Case:
    people = women(2, 18, ["Chi hội Thôn Đông"])
    rows = [HEADER, *[_row(i + 1, w) for i, w in enumerate(people)]]
    rows.append([3, "Trần Thị Số", 15, "", "", "01/01/2000"])
    rows.append([4, "Trần Thị Cổ", "01/01/1900", "", "", "01/01/1930"])
    return Case(
        "day_numbers.xlsx", xlsx({"DS": rows}), [w.record() for w in people],
        [(4, "date_of_birth"), (5, "date_of_birth")], branch="Chi hội Thôn Đông",
    )  # fmt: skip


def accents_that_decide_the_branch() -> Case:
    """The commune has Thôn Đông and Thôn Đồng: exact spellings go to each, "Thon Dong" is asked about."""
    east, copper = women(2, 19, ["Chi hội Thôn Đông"]), women(2, 20, ["Chi hội Thôn Đồng"])
    rows = [[*HEADER, "Thôn"]]
    rows += [[*_row(i + 1, w), "Thôn Đông"] for i, w in enumerate(east)]
    rows += [[*_row(i + 3, w), "thôn đồng"] for i, w in enumerate(copper)]
    stray = women(1, 21, ["?"])[0]
    rows.append([*_row(5, stray), "Thon Dong"])
    return Case(
        "accents.xlsx", xlsx({"DS": rows}), [w.record() for w in east + copper], [(6, "branch")],
        extra_branches=["Chi hội Thôn Đồng"],
    )  # fmt: skip


def ods_sections_and_subtotals() -> Case:
    east, north = women(3, 22, ["Chi hội Thôn Đông"]), women(2, 23, ["Chi hội Thôn Bắc"])
    rows = [HEADER, [None, "1. Thôn Đông"], *[_row(i + 1, w) for i, w in enumerate(east)], [None, "Cộng", None, 3]]
    rows += [[None, "2. Thôn Bắc"], *[_row(i + 1, w) for i, w in enumerate(north)], [None, "Cộng", None, 2]]
    rows += [[None, "Tổng cộng", None, 5]]
    return Case("sections.ods", ods(rows), [w.record() for w in east + north], [], skipped=[2, 6, 7, 10, 11])


def sheets_named_without_accents() -> Case:
    east, north = women(2, 24, ["Chi hội Thôn Đông"]), women(2, 25, ["Chi hội Thôn Bắc"])
    data = xlsx(
        {
            "Thon Dong": [HEADER, *[_row(i + 1, w) for i, w in enumerate(east)]],
            "Thôn Bắc": [HEADER, *[_row(i + 1, w) for i, w in enumerate(north)]],
        }
    )
    return Case("sheets_per_branch.xlsx", data, [w.record() for w in east + north], [])


def utf16_tab_text() -> Case:
    people = women(3, 26, ["Chi hội Thôn Đông"])
    rows = [HEADER, *[_row(i + 1, w) for i, w in enumerate(people)]]
    data = b"\xff\xfe" + _csv(rows, delimiter="\t", encoding="utf-16-le")
    return Case("unicode_text.csv", data, [w.record() for w in people], [], branch="Chi hội Thôn Đông")


def bad_rows_among_good_ones_xls() -> Case:
    people = women(4, 27, ["Chi hội Thôn Đông"])
    rows = [HEADER, *[_row(i + 1, w) for i, w in enumerate(people)]]
    rows.append([5, "", "01/01/1980", "", "", "01/01/2000"])  # no name
    rows.append([6, "Hà Thị Trẻ", "01/01/2015", "", "", "01/01/2020"])  # under 18
    rows.append([7, people[0].full_name, dmy(people[0].born), people[0].id_number, "", dmy(people[0].joined)])
    return Case(
        "bad_rows.xls", xls(rows), [w.record() for w in people],
        [(6, "full_name"), (7, "date_of_birth"), (8, "id_number")], branch="Chi hội Thôn Đông",
    )  # fmt: skip


CASES = [
    sections_in_one_sheet, village_alone_in_the_name_column, merged_village_cells_xlsx, merged_village_cells_xls,
    birth_year_split_by_sex, birth_day_month_year_columns_xls, statistics_under_the_list_and_other_sheets,
    old_and_new_id_columns, tcvn3_block_in_a_unicode_xls, vni_block_in_a_unicode_xlsx,
    lambda: html_saved_as_xls(True), lambda: html_saved_as_xls(False), spreadsheetml_with_gaps_and_a_hidden_sheet,
    csv_with_lost_zeros_and_two_phones, ethnic_groups_and_religions_as_typed, day_numbers_are_not_dates,
    accents_that_decide_the_branch, ods_sections_and_subtotals, sheets_named_without_accents, utf16_tab_text,
    bad_rows_among_good_ones_xls,
]  # fmt: skip
