"""Member lists out of the register: rows come from ``selectors.export_rows``; these turn them into files.

Every renderer streams: csv and json yield text chunks, xlsx is written with
openpyxl's write-only mode to a temporary file, so memory stays flat for
420,000 rows.
"""

import csv
import datetime
import io
import json
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side

from .constants import SpecialGroup, Status

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in a spreadsheet: a leading =, +, -, @ would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _groups(value: str) -> str:
    return ", ".join(str(SpecialGroup(code).label) for code in value.split(",") if code in SpecialGroup.values)


def _core(value) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, "")


def columns():
    """(heading, how to get the cell from an export row) in the Union's list order, after STT."""
    return [
        (_("Full name"), lambda r: r["full_name"]),
        (_("Date of birth"), lambda r: _day(r["date_of_birth"]) or str(r["birth_year"])),
        (_("Ethnicity"), lambda r: r["ethnicity"]),
        (_("Religion"), lambda r: r["religion"]),
        (_("ID number (CCCD/CMND)"), lambda r: r["id_number"]),
        (_("Phone"), lambda r: r["phone"]),
        (_("Address / village"), lambda r: r["address"]),
        (_("Education"), lambda r: r["education"]),
        (_("Qualification"), lambda r: r["qualification"]),
        (_("Occupation"), lambda r: r["occupation"]),
        (_("Joined on"), lambda r: _day(r["joined_on"])),
        (_("Member card number"), lambda r: r["card_number"]),
        (_("Core member"), lambda r: _core(r["is_core"])),
        (_("Special groups"), lambda r: _groups(r["special_groups"])),
        (_("Branch"), lambda r: r["branch__name"]),
        (_("Status"), lambda r: str(Status(r["status"]).label)),
    ]


def _table(rows: Iterable[dict]) -> Iterator[list]:
    cols = columns()
    for number, row in enumerate(rows, start=1):
        yield [number, *(neutralise(get(row)) for _heading, get in cols)]


def render_csv(rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 with BOM and semicolons, as Excel on Vietnamese Windows opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("No."), *(heading for heading, _get in columns())])
    yield "\ufeff" + buffer.getvalue()
    for line in _table(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(line)
        yield buffer.getvalue()


def json_record(row: dict) -> dict:
    """The keys of the import samples' expected members, then the rest of what the register holds."""
    return {
        "full_name": row["full_name"],
        "date_of_birth": row["date_of_birth"].isoformat() if row["date_of_birth"] else None,
        "birth_year": row["birth_year"],
        "ethnicity": row["ethnicity"],
        "religion": row["religion"] or None,
        "id_number": row["id_number"] or None,
        "phone": row["phone"] or None,
        "branch": row["branch__name"],
        "joined_on": row["joined_on"].isoformat() if row["joined_on"] else None,
        "card_number": row["card_number"] or None,
        "is_core": row["is_core"],
        "address": row["address"] or None,
        "education": row["education"] or None,
        "qualification": row["qualification"] or None,
        "occupation": row["occupation"] or None,
        "special_groups": [code for code in row["special_groups"].split(",") if code],
        "status": row["status"],
        "left_on": row["left_on"].isoformat() if row["left_on"] else None,
        "commune": row["branch__parent__name"],
    }


def render_json(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array written record by record."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n " + json.dumps(json_record(row), ensure_ascii=False)
    yield "\n]\n"


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cell(sheet, value, *, bold=False, center=False, box=False, italic=False):
    cell = WriteOnlyCell(sheet, value=value)
    if bold or italic:
        cell.font = Font(name="Times New Roman", bold=bold, italic=italic)
    if center:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if box:
        cell.border = _BOX
    return cell


def render_xlsx(rows: Iterable[dict], *, unit_name: str, parent_name: str = "", target=None):
    """The Union's list layout: issuing body, title, unit and date above an STT-numbered table.

    Writes to ``target`` (a path or binary file) or to a new temporary file, which is returned.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Members")[:31])
    cols = columns()
    widths = [6, 26, 12, 10, 12, 15, 12, 24, 9, 16, 16, 12, 12, 9, 18, 20, 14]
    for index, width in enumerate(widths[: len(cols) + 1], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "C7"
    issuing = _("WOMEN'S UNION OF %(unit)s") % {"unit": parent_name.upper()} if parent_name else ""
    sheet.append([_cell(sheet, issuing, bold=True)])
    sheet.append([_cell(sheet, _("LIST OF MEMBERS"), bold=True)])
    sheet.append([_cell(sheet, unit_name, bold=True)])
    sheet.append([_cell(sheet, _("As of %(day)s") % {"day": _day(timezone.localdate())}, italic=True)])
    sheet.append([])
    sheet.append(
        [_cell(sheet, heading, bold=True, center=True, box=True) for heading in [_("No."), *(h for h, _g in cols)]]
    )
    count = 0
    for line in _table(rows):
        count += 1
        sheet.append(line)
    sheet.append([])
    sheet.append([_cell(sheet, _("Total: %(count)s members") % {"count": f"{count:,}".replace(",", ".")}, bold=True)])
    if target is None:
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - returned to the caller, who streams it
    workbook.save(target)
    if hasattr(target, "seek"):
        target.seek(0)
    return target
