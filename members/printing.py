"""The member list printed in the Union's layout as a PDF: issuing body and national motto, the unit and the
date, a numbered table (STT) with the heading row on every page, the signatures. The xlsx of the same list is
``exporters.render_xlsx`` (one layout for the Excel list, printed or exported). IDs are masked as in every
export."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from branches.models import Unit

from . import selectors
from .constants import Status
from .exporters import issuer_lines

# A PDF of more than this many members is thousands of pages no one prints: the xlsx is offered instead.
PDF_MAX_ROWS = 20_000
HEADINGS = ["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Tôn giáo", "Số CCCD", "Ngày vào Hội", "Chi hội", "Ghi chú"]
WIDTHS = [6, 28, 11, 11, 12, 16, 12, 24, 14]


def export_rows_for(user, unit: Unit, query: str):
    """The members of the list as the list page shows them for ``query`` (its filters), numbers masked for
    this user: the rows of the xlsx list."""
    from django.http import QueryDict

    members = selectors.member_list(user, unit=unit, query=QueryDict(query), sort="branch")
    return selectors.masked_rows(selectors.export_rows(members), user)


def rows_for(user, unit: Unit, query: str):
    """The same members as the printed PDF's rows: the columns a landscape page holds."""
    for number, row in enumerate(export_rows_for(user, unit, query), start=1):
        born = row["date_of_birth"].strftime("%d/%m/%Y") if row["date_of_birth"] else (row["birth_year"] or "")
        joined = row["joined_on"].strftime("%d/%m/%Y") if row["joined_on"] else ""
        note = "" if row["status"] == Status.ACTIVE else Status(row["status"]).label
        yield [number, row["full_name"], born, row["ethnicity"], row["religion"], row["id_number"], joined,
               row["branch__name"], str(note)]  # fmt: skip


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
