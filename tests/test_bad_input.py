"""A corpus of broken input: each gets a clear message, nothing is half-written, nothing is a 500,
and markup typed into names stays text everywhere it is shown or exported."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from imports.models import ImportJob
from imports.reader import ImportFileError
from members.models import Member
from reports import narrative, printing
from reports.selectors import annual
from supervision.models import Dialogue
from tests.factories import MemberFactory
from tests.imports.files import HEADER, member_rows, xlsx
from tests.imports.test_shapes import analyse

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _zip_bomb() -> bytes:
    """A valid-looking xlsx whose sheet inflates from a few hundred KB to about 400 MB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx({"S": [HEADER, *member_rows(2)]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(b"</sheetData>", b" " * 400_000_000 + b"</sheetData>")
            target.writestr(item.filename, content)
    return out.getvalue()


def _empty_formatted_rows(count: int) -> bytes:
    """A sheet of a few members followed by ``count`` empty rows that only carry a format."""
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *member_rows(3)]:
        sheet.append(row)
    body = "".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(5, count + 5))
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(b"</sheetData>", body.encode() + b"</sheetData>")
            target.writestr(item.filename, content)
    return out.getvalue()


def test_a_truncated_workbook_is_reported_as_damaged(world):
    data = xlsx({"S": [HEADER, *member_rows(20)]})
    with pytest.raises(ImportFileError, match="damaged"):
        analyse(world, data[: len(data) // 2])


def test_a_zip_bomb_is_refused_before_it_is_inflated(world):
    data = _zip_bomb()
    assert len(data) < 2_000_000
    with pytest.raises(ImportFileError, match="unreasonable size"):
        analyse(world, data)


def test_a_million_empty_formatted_rows_cost_nothing(world):
    analysis = analyse(world, _empty_formatted_rows(1_000_000))
    assert len(analysis.new) == 3 and not analysis.rejected


def test_formulas_are_read_as_their_values_never_run(world):
    rows = [HEADER, *member_rows(1)]
    rows.append([2, '=HYPERLINK("http://x","Nguyễn Thị Hoa")', "01/01/1970", "Kinh", "", "", "08/03/1995"])
    analysis = analyse(world, xlsx({"S": rows}))
    names = [row.data["full_name"] for row in analysis.new]
    assert not any(name.startswith("=") for name in names)


def test_a_50_mb_upload_is_refused_with_its_size_and_writes_nothing(world, login):
    client = login(world.alice)
    big = SimpleUploadedFile("lon.xlsx", b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024))
    response = client.post(
        reverse("imports:import_list"), {"commune": world.commune_a1.pk, "branch": world.branch_a1.pk, "file": big}
    )
    assert response.status_code in (200, 302)
    body = (
        response.content.decode() if response.status_code == 200 else client.get(response["Location"]).content.decode()
    )
    assert "MB" in body
    assert not Member.objects.exists()
    assert not ImportJob.objects.filter(state=ImportJob.State.DONE).exists()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("members:member_create", {"full_name": "x" * 10_000, "birth": "1980", "joined_on": "2020-01-01"}),
        ("supervision:dialogue_create", {"topic": "x" * 10_000, "held_on": "2024-01-01"}),
        ("cadres:cadre_create", {"full_name": "x" * 10_000, "position": "chair"}),
        ("members:member_list", {"q": "x" * 10_000}),
    ],
)
def test_ten_thousand_characters_in_a_field_get_a_message(world, login, url, data):
    client = login(world.alice)
    response = client.post(reverse(url), data) if not url.endswith("_list") else client.get(reverse(url), data)
    assert response.status_code == 200
    assert not Member.objects.exists() and not Dialogue.objects.exists()


def test_markup_in_a_name_stays_text_in_pages_exports_and_prints(world, login):
    member = MemberFactory(branch=world.branch_a1, full_name=f"Nguyễn Thị {SCRIPT}")
    client = login(world.bob)
    for url in (reverse("members:member_list"), reverse("members:member_detail", args=[member.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;" in page
    export = client.get(reverse("members:member_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("<script>" in cell for cell in cells)  # kept as the text she typed, a plain string cell
    report = annual.build(world.province, annual.Span.year(2024))
    text = f"Ghi chú {SCRIPT} [[members.total]]"
    assert "<script>" not in narrative.render_html(text, report)
    printed = render_to_string("reports/print/annual.html", printing._context(report, text))
    assert "<script>" not in printed and "&lt;script&gt;" in printed
