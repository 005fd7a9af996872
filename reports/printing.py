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
from branches.models import Unit
from common.xlsx import workbook_bytes

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
    """The issuing body as Decree 30 sets it: the body above it, then the union itself."""
    parent = report.unit.parent
    above = f"HỘI LHPN {parent.name}" if parent else "TW HỘI LHPN VIỆT NAM"
    return above.upper(), f"HỘI LHPN {report.name}".upper()


def place(report: Report) -> str:
    """The place name of the date line: the province's name without its type word."""
    unit = report.unit
    province = unit if unit.level == Level.PROVINCE else None
    if province is None:
        province = Unit.objects.filter(pk=int(unit.path.split(".")[0])).first() or unit
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", province.name)


def _context(report: Report, text: str, number: str = "") -> dict:
    today = timezone.localdate()
    above, issuer = issuer_lines(report)
    return {
        "r": report,
        "number": number,
        "above": above,
        "issuer": issuer,
        "place": place(report),
        "today": today,
        "paragraphs": narrative.render_plain(text, report),
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
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", section.title)[:31])
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
