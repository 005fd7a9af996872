"""Member lists out of the register: rows come from ``selectors.export_rows``; these turn them into files.

Every renderer streams: csv and json yield text chunks, xlsx is written row by
row into a temporary file (common.xlsx), so memory stays flat for 420,000 rows.
"""

import csv
import datetime
import io
import json
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from common.xlsx import BOLD, HEADER, ITALIC, TITLE, XlsxStream, csv_rows, merge_ref, neutralise

from .constants import SpecialGroup, Status


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def columns():
    """(heading, how to get the cell from an export row) in the Union's list order, after STT."""
    yes, no = _("Yes"), _("No")
    statuses = {value: str(label) for value, label in Status.choices}
    groups = {value: str(label) for value, label in SpecialGroup.choices}
    return [
        (_("Full name"), lambda r: r["full_name"]),
        (_("Date of birth"), lambda r: _day(r["date_of_birth"]) or str(r["birth_year"])),
        (_("Ethnicity"), lambda r: r["ethnicity"]),
        (_("Religion"), lambda r: r["religion"]),
        (_("ID number (CCCD/CMND)"), lambda r: r["id_number"]),
        (_("Old ID number (CMND)"), lambda r: r["old_id_number"]),
        (_("Phone"), lambda r: r["phone"]),
        (_("Address / village"), lambda r: r["address"]),
        (_("Education"), lambda r: r["education"]),
        (_("Qualification"), lambda r: r["qualification"]),
        (_("Occupation"), lambda r: r["occupation"]),
        (_("Joined on"), lambda r: _day(r["joined_on"])),
        (_("Member card number"), lambda r: r["card_number"]),
        (_("Core member"), lambda r: yes if r["is_core"] else (no if r["is_core"] is False else "")),
        (_("Special groups"), lambda r: ", ".join(groups[c] for c in r["special_groups"].split(",") if c in groups)),
        (_("Branch"), lambda r: r["branch__name"]),
        (_("Status"), lambda r: statuses[r["status"]]),
    ]


def _table(rows: Iterable[dict]) -> Iterator[list]:
    getters = [get for _heading, get in columns()]
    for number, row in enumerate(rows, start=1):
        yield [number, *(neutralise(get(row)) for get in getters)]


def render_csv(rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 with BOM and semicolons, as Excel on Vietnamese Windows opens it."""
    buffer = io.StringIO()
    writer = csv_rows(csv.writer(buffer, delimiter=";"))
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
        "old_id_number": row["old_id_number"] or None,
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


WIDTHS = [6, 26, 12, 10, 12, 15, 12, 24, 9, 16, 16, 12, 12, 9, 18, 20, 14]
TABLE_HEADER_ROW = 8  # 1-based: issuing body and motto, title, unit, date above it


def issuer_lines(unit) -> tuple[str, str]:
    """The body above and the issuing body, as the heading of an administrative document names them."""
    from branches.constants import Level

    if unit is None:
        return "", ""
    if unit.level == Level.CENTRAL:
        return "", "TRUNG ƯƠNG HỘI LHPN VIỆT NAM"
    parent = unit.parent
    above = f"HỘI LHPN {parent.name}" if parent else "TRUNG ƯƠNG HỘI LHPN VIỆT NAM"
    issuer = unit.name if unit.level in (Level.BRANCH, Level.GROUP) else f"HỘI LHPN {unit.name}"
    return above.upper(), issuer.upper()


def render_xlsx(rows: Iterable[dict], *, unit, target=None, progress=None):
    """The member list in the Union's layout: issuing body and national motto, title, unit and date above an
    STT-numbered table, the signatures below; printed landscape, one page wide, the heading row on every page.

    Writes to ``target`` (a path or binary file) or to a new temporary file, which is returned.
    """
    if target is None:
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - returned to the caller, who streams it
    headings = [_("No."), *(heading for heading, _get in columns())]
    last = len(headings) - 1
    motto = max(4, last - 6)  # the motto's first column, at the right of the sheet
    above, issuer = issuer_lines(unit)
    merges = [merge_ref(row, 0, motto - 1) for row in (1, 2)] + [merge_ref(row, motto, last) for row in (1, 2)]
    merges += [merge_ref(row, 0, last) for row in (4, 5, 6)]
    with XlsxStream(
        target, _("Members"), widths=WIDTHS[: len(headings)], freeze_rows=TABLE_HEADER_ROW, merges=merges,
        landscape=True, fit_width=True, repeat_rows=(TABLE_HEADER_ROW, TABLE_HEADER_ROW),
    ) as sheet:  # fmt: skip
        sheet.row([above, *[None] * (motto - 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], BOLD)
        sheet.row([issuer, *[None] * (motto - 1), "Độc lập - Tự do - Hạnh phúc"], BOLD)
        sheet.row([])
        sheet.row([_("LIST OF MEMBERS")], TITLE)
        sheet.row([unit.name if unit else ""], BOLD)
        sheet.row([_("As of %(day)s") % {"day": _day(timezone.localdate())}], ITALIC)
        sheet.row([])
        sheet.row(headings, HEADER)
        count = 0
        for line in _table(rows):
            count += 1
            sheet.row(line)
            if progress and count % 10_000 == 0:
                progress(count)
        sheet.row([])
        sheet.row([_("Total: %(count)s members") % {"count": f"{count:,}".replace(",", ".")}], BOLD)
        sheet.row([])
        sheet.row([None, "NGƯỜI LẬP DANH SÁCH", *[None] * (motto - 2), "TM. BAN CHẤP HÀNH"], HEADER)
        sheet.row([None, None, *[None] * (motto - 2), "CHỦ TỊCH"], HEADER)
    if hasattr(target, "seek"):
        target.seek(0)
    return target
