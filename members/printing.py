"""The member list printed in the Union's layout: issuing body and national motto, the unit and the date, a
numbered table (STT) with the header row repeated on every page, and the signatures. PDF (WeasyPrint) and xlsx
(landscape, one page wide, header rows repeated). Citizen IDs are masked as in every export."""

import datetime
import io

from django.template.loader import render_to_string
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit
from common.xlsx import HEADER, TITLE, XlsxStream, merge_ref

from . import selectors
from .constants import Status

# A PDF of more than this many members is thousands of pages no one prints: the xlsx is offered instead.
PDF_MAX_ROWS = 20_000
HEADINGS = ["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Ngày vào Hội", "Chi hội", "Ghi chú"]
WIDTHS = [6, 28, 11, 11, 12, 16, 12, 24, 14]


def issuer_lines(unit: Unit) -> tuple[str, str]:
    """The body above and the issuing body, as the heading of an administrative document names them."""
    parent = unit.parent
    above = f"HỘI LHPN {parent.name}" if parent else "TRUNG ƯƠNG HỘI LHPN VIỆT NAM"
    issuer = unit.name if unit.level in (Level.BRANCH, Level.GROUP) else f"HỘI LHPN {unit.name}"
    return above.upper(), issuer.upper()


def rows_for(user, unit: Unit, query: str):
    """The members of the list as the list page shows them for ``query`` (its filters), numbers masked for
    this user."""
    from django.http import QueryDict

    from .forms import MemberFilterForm

    filters = MemberFilterForm(QueryDict(query)).filters()
    members = selectors.member_list(user, unit=unit, filters=filters, sort="branch")
    for number, row in enumerate(selectors.masked_rows(selectors.export_rows(members), user), start=1):
        born = row["date_of_birth"].strftime("%d/%m/%Y") if row["date_of_birth"] else (row["birth_year"] or "")
        joined = row["joined_on"].strftime("%d/%m/%Y") if row["joined_on"] else ""
        note = "" if row["status"] == Status.ACTIVE else Status(row["status"]).label
        yield [number, row["full_name"], born, row["ethnicity"], row["religion"], row["id_number"], joined,
               row["branch__name"], str(note)]  # fmt: skip


def render_xlsx(unit: Unit, rows, today: datetime.date | None = None, progress=lambda n: None) -> bytes:
    today = today or timezone.localdate()
    above, issuer = issuer_lines(unit)
    out = io.BytesIO()
    last = len(HEADINGS) - 1
    merges = [merge_ref(r, 0, 3) for r in (1, 2)] + [merge_ref(r, 4, last) for r in (1, 2)]
    merges += [merge_ref(r, 0, last) for r in (4, 5, 6)]
    with XlsxStream(out, "Danh sách hội viên", widths=WIDTHS, merges=merges, landscape=True, fit_width=True,
                    repeat_rows=(8, 8), freeze_rows=8) as sheet:  # fmt: skip
        sheet.row([above, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], TITLE)
        sheet.row([issuer, None, None, None, "Độc lập - Tự do - Hạnh phúc"], TITLE)
        sheet.row([])
        sheet.row(["DANH SÁCH HỘI VIÊN"], TITLE)
        sheet.row([unit.name], TITLE)
        sheet.row([f"Tính đến ngày {today:%d/%m/%Y}"])
        sheet.row([])
        sheet.row(HEADINGS, HEADER)
        count = 0
        for row in rows:
            sheet.row(row)
            count += 1
            if count % 10_000 == 0:
                progress(count)
        sheet.row([])
        sheet.row([None, f"Tổng số: {count} hội viên"])
        sheet.row([])
        sheet.row([None, "NGƯỜI LẬP DANH SÁCH", None, None, None, None, "TM. BAN CHẤP HÀNH"], HEADER)
        sheet.row([None, None, None, None, None, None, "CHỦ TỊCH"], HEADER)
    return out.getvalue()


def render_pdf(unit: Unit, rows, today: datetime.date | None = None) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    from reports.printing import serif_faces

    today = today or timezone.localdate()
    above, issuer = issuer_lines(unit)
    rows = list(rows)
    html = render_to_string(
        "members/print/member_list.html",
        {"unit": unit, "above": above, "issuer": issuer, "today": today, "rows": rows, "headings": HEADINGS,
         "fonts": serif_faces()},
    )  # fmt: skip
    return HTML(string=html).write_pdf()
