"""Build member lists shaped like the field's, for the importer's tests.

Legacy text is encoded with the Unikey tables in ../shared/data, an independent
source from the importer's own tables, so a decoding mistake cannot hide behind
the same mistake in the encoder.
"""

import csv
import datetime
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

SHARED = Path(__file__).resolve().parents[3] / "shared"
UNIKEY = SHARED / "data" / "legacy_encodings" / "derived" / "unikey_charset_table_unicode_tcvn3_vniwin.csv"
SAMPLES = SHARED / "samples"
UNITS_2024 = SHARED / "data" / "admin_units_2024" / "derived" / "bac_giang_units_20241201.csv"


def _tables():
    tcvn3, vni = {}, {}
    with UNIKEY.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["is_vietnamese_letter"] != "1":
                continue
            tcvn3.setdefault(row["unicode_char"], bytes([int(row["tcvn3_byte"], 16)]).decode("cp1252"))
            vni[row["unicode_char"]] = bytes(int(b, 16) for b in row["vni_win_bytes"].split()).decode("cp1252")
    return tcvn3, vni


_TCVN3, _VNI = _tables()


def tcvn3(text: str) -> str:
    """Unicode -> TCVN3 as Excel shows it; capitals with a tone have no byte, so they are lowered (as typists did)."""
    return "".join(_TCVN3.get(ch, _TCVN3.get(ch.lower(), ch)) for ch in text)


def vni(text: str) -> str:
    return "".join(_VNI.get(ch, ch) for ch in text)


def xlsx(
    sheets: dict, *, merged: dict | None = None, hidden=(), fonts: dict | None = None, hidden_columns=None
) -> bytes:
    """``sheets``: name -> rows; ``merged``: name -> ["A1:C1"]; ``fonts``: name -> font of every text cell;
    ``hidden_columns``: name -> ["D"]; ``hidden``: names of hidden sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for ref in (merged or {}).get(name, []):
            sheet.merge_cells(ref)
        if fonts and name in fonts:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.font = openpyxl.styles.Font(name=fonts[name])
        for letter in (hidden_columns or {}).get(name, []):
            sheet.column_dimensions[letter].hidden = True
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows, *, sheet: str = "Sheet1", font: str | None = None, fonts_by_row: dict | None = None) -> bytes:
    """An Excel 97 file; text cells in ``font`` (or a font per row index)."""
    import xlwt

    book = xlwt.Workbook(encoding="cp1252")
    page = book.add_sheet(sheet)
    styles = {}

    def style_for(name):
        if name not in styles:
            style = xlwt.XFStyle()
            if name:
                style.font = xlwt.Font()
                style.font.name = name
            styles[name] = style
        return styles[name]

    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                page.write(r, c, value, date_style)
            else:
                page.write(r, c, value, style_for((fonts_by_row or {}).get(r, font)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(rows) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), text and numbers only."""
    cells = []
    for row in rows:
        out = []
        for value in row:
            if value is None:
                out.append("<table:table-cell/>")
            elif isinstance(value, int | float):
                cell = f'office:value-type="float" office:value="{value}"><text:p>{value}'
                out.append(f"<table:table-cell {cell}</text:p></table:table-cell>")
            else:
                cell = f'office:value-type="string"><text:p>{escape(str(value))}'
                out.append(f"<table:table-cell {cell}</text:p></table:table-cell>")
        cells.append(f"<table:table-row>{''.join(out)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sách">'
        f"{''.join(cells)}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'  # noqa: E501
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


HEADER = ["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Số CCCD", "Điện thoại", "Ngày vào Hội"]


def member_record(member, *fields: str) -> dict:
    """A member as the expected files describe her (normalised), with ``fields`` beyond the common ones."""
    from imports.pipeline import branch_key

    record = {
        "full_name": member.full_name,
        "date_of_birth": member.date_of_birth.isoformat() if member.date_of_birth else None,
        "birth_year": member.birth_year,
        "ethnicity": member.ethnicity,
        "religion": member.religion or None,
        "id_number": member.id_number,
        "phone": member.phone,
        "branch": branch_key(member.branch.name),
        "joined_on": member.joined_on.isoformat(),
    }
    extra = {
        "card_number": member.card_number or None,
        "is_core": member.is_core,
        "old_id_number": member.old_id_number,
    }
    return {**record, **{name: extra[name] for name in fields}}


def member_rows(count: int, start: int = 1, id_prefix: str = "0241") -> list[list]:
    """Well-formed rows under HEADER."""
    names = ["Nguyễn Thị Hoa", "Trần Thị Lan", "Lê Thị Hồng", "Phạm Thị Thu", "Hoàng Thị Mai", "Vũ Thị Ngọc Ánh"]
    rows = []
    for n in range(start, start + count):
        born = datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
        rows.append(
            [n, names[n % len(names)], born.strftime("%d/%m/%Y"), "Kinh", f"{id_prefix}{n:08d}",
             f"09{n:08d}", datetime.date(born.year + 20, 3, 8).strftime("%d/%m/%Y")]
        )  # fmt: skip
    return rows
