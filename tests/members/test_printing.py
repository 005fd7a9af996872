"""The member list printed in the Union's layout, as filtered, for one's own units, numbers masked, long lists
on the worker."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import DataAccessLog, Role
from reports import services as report_services
from reports.models import Document
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def listed(world):
    for n in range(5):
        MemberFactory(branch=world.branch_a1, full_name=f"Phạm Thị Mẫu {n}", id_number=f"02418000000{n}")
    MemberFactory(branch=world.branch_a2, full_name="Vũ Thị Xã Khác")
    MemberFactory(branch=world.branch_b1, full_name="Đỗ Thị Huyện Khác")
    return world


def _print(client, query: str, fmt: str):
    return client.post(reverse("members:member_print"), {"query": query, "format": fmt})


def _file(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_xlsx_list_has_the_unions_layout_and_print_setup(listed, login):
    client = login(listed.alice)
    response = _print(client, f"unit={listed.commune_a1.pk}&status=active", "xlsx")
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:document_detail", args=[document.pk]
    )
    assert document.state == "done" and document.kind == "members"
    sheet = load_workbook(io.BytesIO(_file(document))).active
    assert sheet["A1"].value == "HỘI LHPN HUYỆN TÂN AN" and sheet["A2"].value == "HỘI LHPN XÃ TÂN ẤN"
    assert sheet["A4"].value == "DANH SÁCH HỘI VIÊN"
    assert [c.value for c in sheet[8]][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    names = [sheet.cell(row=r, column=2).value for r in range(9, 14)]
    assert sorted(names) == [f"Phạm Thị Mẫu {n}" for n in range(5)]
    assert [sheet.cell(row=r, column=1).value for r in range(9, 14)] == [1, 2, 3, 4, 5]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$8:$8"  # the heading row on every printed page
    assert DataAccessLog.objects.filter(user=listed.alice, kind="list_export").exists()


def test_the_pdf_list_names_the_unit_and_masks_numbers_for_a_reader(listed, login):
    reader = UserFactory(username="chi_xem")
    Role.objects.create(user=reader, unit=listed.district_a, can_enter=False)
    client = login(reader)
    _print(client, f"unit={listed.commune_a1.pk}", "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(_file(Document.objects.get()))).pages)
    assert "DANH SÁCH HỘI VIÊN" in text and "Phạm Thị Mẫu 3" in text and "Vũ Thị Xã Khác" not in text
    assert "024180000003" not in text  # she reads, she does not keep the register


def test_another_districts_list_is_not_found(listed, login):
    assert _print(login(listed.charlie), f"unit={listed.commune_a1.pk}", "xlsx").status_code == 404
    assert not Document.objects.exists()


def test_a_long_list_goes_to_the_worker_and_a_huge_pdf_is_refused(listed, login, monkeypatch):
    monkeypatch.setattr(report_services, "INLINE_MEMBER_ROWS", 2)
    client = login(listed.bob)
    _print(client, f"unit={listed.district_a.pk}", "xlsx")
    document = Document.objects.get()
    assert document.state == "queued"  # rendered by the worker, with its progress bar
    report_services.document_render(document.pk)
    document.refresh_from_db()
    assert document.state == "done" and document.progress == 100

    import members.printing

    monkeypatch.setattr(members.printing, "PDF_MAX_ROWS", 3)
    response = _print(client, f"unit={listed.district_a.pk}", "pdf")
    assert response.status_code == 302 and Document.objects.count() == 1


def test_a_printed_list_is_opened_only_by_whoever_printed_it(listed, login):
    _print(login(listed.alice), f"unit={listed.commune_a1.pk}", "xlsx")
    document = Document.objects.get()
    # Bob reads the same commune, but the file holds the IDs as alice may see them.
    for name in ("reports:document_detail", "reports:document_download", "reports:document_progress"):
        assert login(listed.bob).get(reverse(name, args=[document.pk])).status_code == 404
        assert login(listed.alice).get(reverse(name, args=[document.pk])).status_code == 200
