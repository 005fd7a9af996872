import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from common.xlsx import neutralise
from members.models import Member
from tests.factories import MemberFactory

D = datetime.date
SAMPLE_KEYS = {
    "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "branch",
    "joined_on", "card_number", "is_core",
}  # fmt: skip


@pytest.fixture
def members(world):
    return [
        MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà", address='=HYPERLINK("http://x")'),
        MemberFactory(branch=world.branch_a1, full_name="Trần Thị Lan", occupation="+Buôn bán", card_number="@123"),
        MemberFactory(branch=world.branch_b1, full_name="Lê Thị Mai"),
    ]


@pytest.mark.parametrize(("value", "expected"), [("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("Hà", "Hà"), (5, 5)])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_export_is_scoped_and_neutralised(world, members, login):
    response = login(world.alice).get(reverse("members:member_export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Nguyễn Thị Hà", "Trần Thị Lan"]
    assert '\'=HYPERLINK("http://x")' in rows[1]
    assert "'+Buôn bán" in rows[2] and "'@123" in rows[2]
    assert not any("=HYPERLINK" in cell and not cell.startswith("'") for row in rows for cell in row)


def test_xlsx_export_has_the_union_layout(world, members, login):
    response = login(world.bob).get(reverse("members:member_export"), {"format": "xlsx", "unit": world.branch_a1.pk})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "HỘI LHPN XÃ TÂN ẤN" and values[1][0] == world.branch_a1.name.upper()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values[0]
    assert values[3][0] == "DANH SÁCH HỘI VIÊN"
    assert values[4][0] == world.branch_a1.name
    assert values[7][0] == "STT" and values[7][1] == "Họ và tên"
    assert [row[0] for row in values[8:10]] == [1, 2]
    assert values[8][8] == '\'=HYPERLINK("http://x")'  # after the old CMND column
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$8:$8"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_of_a_unit_outside_scope_is_404(world, members, login):
    response = login(world.charlie).get(reverse("members:member_export"), {"unit": world.commune_a1.pk})
    assert response.status_code == 404


def test_export_members_command_json_has_the_sample_keys(world, members, tmp_path):
    out = tmp_path / "a.json"
    call_command("export_members", "--unit", world.district_a.code, "--format", "json", "-o", str(out))
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["full_name"] for r in records} == {"Nguyễn Thị Hà", "Trần Thị Lan"}
    assert set(records[0]) >= SAMPLE_KEYS
    ha = next(r for r in records if r["full_name"] == "Nguyễn Thị Hà")
    assert ha["branch"] == world.branch_a1.name and ha["joined_on"] == "2015-03-08" and ha["religion"] is None


def test_export_members_command_xlsx_and_csv(world, members, tmp_path):
    call_command("export_members", "--unit", world.province.code, "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"))
    sheet = load_workbook(tmp_path / "p.xlsx").active
    names = [row[1] for row in sheet.iter_rows(min_row=9, values_only=True) if isinstance(row[0], int)]
    assert sorted(names) == ["Lê Thị Mai", "Nguyễn Thị Hà", "Trần Thị Lan"]
    call_command("export_members", "--unit", world.commune_b1.code, "--format", "csv", "-o", str(tmp_path / "b.csv"))
    assert "Lê Thị Mai" in (tmp_path / "b.csv").read_text(encoding="utf-8-sig")


def test_an_export_of_all_ones_units_speaks_for_ones_own_unit(world, members, login):
    response = login(world.bob).get(reverse("members:member_export"), {"format": "xlsx"})
    values = [list(row) for row in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True)]  # fmt: skip
    assert values[1][0] == "HỘI LHPN HUYỆN TÂN AN" and values[4][0] == "Huyện Tân An"
    assert not any("tất cả" in str(cell).lower() for row in values[:7] for cell in row if cell)


def test_a_long_xlsx_export_goes_to_the_worker(world, members, login, monkeypatch, settings, tmp_path):
    from members.views import register
    from reports.models import Document

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(register, "EXPORT_INLINE_ROWS", 1)
    response = login(world.bob).get(reverse("members:member_export"), {"format": "xlsx"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:document_detail", args=[document.pk]
    )
    assert document.kind == "members" and "format" not in document.params["query"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_long_csv_or_json_export_goes_to_the_worker_and_holds_every_member(
    world, members, login, monkeypatch, settings, tmp_path, fmt
):
    from members.views import register
    from reports.models import Document
    from reports.services import document_render

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(register, "EXPORT_INLINE_ROWS", 1)
    client = login(world.bob)
    response = client.get(reverse("members:member_export"), {"format": fmt})
    document = Document.objects.get()
    assert response.status_code == 302 and document.format == fmt and document.created_by == world.bob
    document_render(document.pk)  # what the worker runs
    document.refresh_from_db()
    assert document.state == Document.State.DONE and document.progress == 100
    text = document.file.open("rb").read().decode("utf-8-sig")
    inline = client.get(reverse("members:member_export"), {"format": fmt, "unit": world.branch_a1.pk})
    # the worker's file holds what the list holds: every member of bob's district, masked as for him
    if fmt == "json":
        names = sorted(record["full_name"] for record in json.loads(text))
    else:
        names = sorted(row[1] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:])
    assert names == sorted(m.full_name for m in Member.objects.filter(branch__parent__parent=world.district_a))
    assert inline.status_code == 302  # still more rows than the (patched) inline limit


def test_an_unknown_export_format_is_a_404(world, members, login):
    assert login(world.bob).get(reverse("members:member_export"), {"format": "exe"}).status_code == 404
