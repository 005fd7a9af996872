"""The printed report: a PDF in the administrative format of Decree 30/2020/NĐ-CP, and an xlsx of the same tables."""

import decimal
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from branches.constants import Level
from common.xlsx import workbook_bytes
from members.exporters import issuer_lines as member_issuer_lines

from . import charts, narrative
from .selectors import annual
from .selectors.annual import Report

# Liberation Serif 2.x (Debian's fonts-liberation2) has the metrics of Times New Roman and every Vietnamese
# glyph; 1.x lacks them, so the files are named rather than left to fontconfig.
SERIF_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]


def serif_faces() -> dict[str, str]:
    for folder in SERIF_DIRS:
        regular = folder / "LiberationSerif-Regular.ttf"
        if regular.exists():
            return {
                style: (folder / f"LiberationSerif-{style}.ttf").as_uri()
                for style in ("Regular", "Bold", "Italic", "BoldItalic")
            }
    return {}


def issuer_lines(report: Report) -> tuple[str, str]:
    """The issuing body as Decree 30 sets it: the body above it, then the union itself (named as it stood at the
    span's end); the same lines head the member list (``members.exporters.issuer_lines``)."""
    if report.unit.level == Level.CENTRAL:
        return "", "TRUNG ƯƠNG HỘI LHPN VIỆT NAM"
    above, _issuer = member_issuer_lines(report.unit)
    return above, f"HỘI LHPN {report.name}".upper()


TYPE_WORDS = re.compile(r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn|Đặc khu)\s+", re.IGNORECASE)


def _in_sentence(name: str) -> str:
    """A unit's name inside a sentence: its type word in lower case ("Hội LHPN tỉnh Bắc Giang")."""
    return TYPE_WORDS.sub(lambda match: match.group(1).lower() + " ", name)


def place(report: Report) -> str:
    """The place of the date line: where the issuing body sits (Decree 30/2020), its name without its type word.
    A branch or group issues nothing of its own: its commune's name is used."""
    unit = report.unit
    if unit.level == Level.CENTRAL:
        return "Hà Nội"  # where the Central Union sits
    if unit.level in (Level.BRANCH, Level.GROUP) and unit.parent_id:
        return TYPE_WORDS.sub("", report.unit.parent.name)
    return TYPE_WORDS.sub("", report.name)


def recipients(report: Report) -> list[str]:
    """ "Nơi nhận" of a report: the Union's level above, the Party committee and government of the same level."""
    unit = report.unit
    if unit.level == Level.CENTRAL:
        return ["Ban Bí thư Trung ương Đảng;", "Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam;", "Lưu: VT."]
    parent = unit.parent
    if unit.level == Level.PROVINCE or parent is None:  # the Central Union, whether or not the tree holds it
        above = "Đoàn Chủ tịch TW Hội LHPN Việt Nam"
    else:
        above = f"Ban Thường vụ Hội LHPN {_in_sentence(parent.name)}"
    same = {
        Level.PROVINCE: "Thường trực Tỉnh ủy, UBND tỉnh",
        Level.DISTRICT: "Thường trực cấp ủy, UBND cùng cấp",
        Level.COMMUNE: f"Đảng ủy, UBND {_in_sentence(report.name)}",
    }.get(unit.level, "Cấp ủy, chính quyền cùng cấp")
    return [f"{above};", f"{same};", "Lưu: VT."]


def signatory(report: Report) -> str:
    """Who signs for the union: the standing committee at province and district level, the executive committee
    of a commune union (most have no standing committee of their own)."""
    if report.unit.level == Level.CENTRAL:
        return "TM. ĐOÀN CHỦ TỊCH"
    return "TM. BAN THƯỜNG VỤ" if report.unit.level in (Level.PROVINCE, Level.DISTRICT) else "TM. BAN CHẤP HÀNH"


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _numbered(report: Report, text: str) -> dict:
    """The parts of the document with their numbers, with no gap where a section is empty: I the results, II the
    figures (sections 1, 2, … and the units below), then each headed part of the text."""
    parts = narrative.render_parts(text, report)
    results = parts[0][1] if parts and parts[0][0] is None else []
    headed = [part for part in parts if part[0] is not None]
    sections = report.printed_sections
    numbered = [
        (ROMAN[i + 2] if i + 2 < len(ROMAN) else str(i + 3), title, list(body))
        for i, (title, body) in enumerate(headed)
    ]
    # The last paragraph goes with the signature block, so the block never stands alone on a page.
    closing = None
    if numbered and numbered[-1][2]:
        closing = numbered[-1][2].pop()
    elif not numbered and results:
        results = list(results)
        closing = results.pop()
    return {
        "paragraphs": results,
        "printed_sections": sections,
        "children_number": len(sections) + 1,
        "headed": numbered,
        "closing": closing,
    }


def _context(report: Report, text: str, number: str = "") -> dict:
    today = timezone.localdate()
    above, issuer = issuer_lines(report)
    return {
        "r": report,
        "number": number,
        "above": above,
        "issuer": issuer,
        "place": place(report),
        "recipients": recipients(report),
        "signatory": signatory(report),
        "today": today,
        **_numbered(report, text),
        "fonts": serif_faces(),
        "columns": annual.child_columns(),
        "chart": charts.bars(
            [(line.name, line.values.get("members.rate")) for line in report.children], floor=50, suffix="%"
        ),
    }


def render_pdf(report: Report, text: str, progress=lambda percent: None, number: str = "", **options) -> bytes:
    """The report in the administrative format; ``number``, when it is signed, goes in the heading."""
    from weasyprint import HTML  # imported here: it loads Pango, which the web pages never need

    html = render_to_string("reports/print/annual.html", _context(report, text, number))
    progress(60)
    document = HTML(string=html, base_url=str(Path.cwd())).render()
    progress(85)
    return document.write_pdf(**options)


def sheet_name(title: str, taken: list[str]) -> str:
    """An xlsx sheet name (at most 31 characters, none of []:*?/\\) cut at a word boundary, unique in the book."""
    words = re.sub(r"[\[\]:*?/\\]", " ", title).split()
    name = ""
    for word in words:
        if len(f"{name} {word}".strip()) > 31:
            break
        name = f"{name} {word}".strip()
    name = (name or title[:31]).rstrip(",;–- ")
    candidate, n = name, 2
    while candidate.lower() in (t.lower() for t in taken):
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)].rstrip() + suffix, n + 1
    return candidate


NUMBER = "#,##0"
DECIMAL = "#,##0.00"


def _cell_format(value) -> str | None:
    if isinstance(value, decimal.Decimal) and value != value.to_integral_value():
        return DECIMAL
    if isinstance(value, int | decimal.Decimal):
        return NUMBER
    return None


def _excel(value):
    """Numbers stay numbers (the format shows them the Vietnamese way); labels become plain text."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    return str(value)


def render_xlsx(report: Report, text: str) -> bytes:
    """One sheet per section with the figures and the section's tables, a sheet of units below, the narrative."""
    book = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EFE3EF")
    first = book.active
    first.title = _("Narrative")[:31]
    first.append([f"{report.name} – {report.span.label}"])
    first["A1"].font = Font(bold=True, size=13)
    for paragraph in narrative.render_plain(text, report):
        first.append([paragraph])
        first.cell(first.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    first.column_dimensions["A"].width = 120

    def write_table(sheet, columns, rows):
        sheet.append([str(c) for c in columns])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, head_fill
        for row in rows:
            sheet.append([_excel(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                fmt = _cell_format(value)
                if fmt:
                    cell.number_format = fmt

    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.title, book.sheetnames))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        write_table(
            sheet,
            [_("Figure"), report.span.label, report.previous_span.label, _("Change")],
            [[f.label, f.value, f.previous, f.change] for f in section.figures],
        )
        for table in section.tables:
            sheet.append([])
            sheet.append([table.title])
            sheet.cell(sheet.max_row, 1).font = bold
            write_table(sheet, table.columns, table.rows)
        sheet.column_dimensions["A"].width = 60
        for column in range(2, 9):
            sheet.column_dimensions[get_column_letter(column)].width = 18
        sheet.freeze_panes = "A3"

    if report.children:
        sheet = book.create_sheet(_("Units below")[:31])
        keys = annual.child_columns()
        write_table(
            sheet,
            [_("Unit"), *(label for _key, label in keys)],
            [[line.name, *(line.values.get(key) for key, _label in keys)] for line in report.children],
        )
        sheet.column_dimensions["A"].width = 36
        sheet.freeze_panes = "B2"
    return workbook_bytes(book)
