"""The province office reads the 2024 report, edits its text and downloads the PDF and the xlsx, in the browser."""

import datetime

import pytest

from reports.models import Document, Narrative
from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]


def test_office_reads_edits_and_prints_the_annual_report(world, transactional_db, live_server, browser):
    for branch in (world.branch_a1, world.branch_a2, world.branch_b1):
        MemberFactory(branch=branch)
    MemberFactory(branch=world.branch_b1, joined_on=datetime.date(2024, 5, 1))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, "tinh")
    page.goto(f"{live_server.url}/reports/annual/")
    page.select_option("#id_kind", "year")
    page.fill("#id_year", "2024")
    page.click("button:has-text('Xem')")
    page.wait_for_selector("h1:has-text('Tỉnh Thử Nghiệm')")
    assert "Năm 2024" in page.inner_text("main")
    # Drill down: the district's own report, then back.
    page.click("#children a:has-text('Huyện Tân An')")
    page.wait_for_selector("h1:has-text('Huyện Tân An')")
    page.go_back()

    page.click("a:has-text('Sửa nội dung')")
    page.fill("#id_text", "Toàn tỉnh có [[members.total]] hội viên, [[members.total|trend]] so với năm 2023.")
    page.click("main button[type=submit]:has-text('Lưu')")
    page.wait_for_selector(".narrative")
    assert page.inner_text(".narrative").startswith("Toàn tỉnh có 4 hội viên, tăng 1 so với năm 2023.")
    assert Narrative.objects.get().text.startswith("Toàn tỉnh có [[members.total]]")

    for button, suffix in (("In PDF", ".pdf"), ("Excel", ".xlsx")):
        page.click(f"button:has-text('{button}')")
        page.wait_for_selector("a:has-text('Tải về')")
        with page.expect_download() as download:
            page.click("a:has-text('Tải về')")
        assert download.value.suggested_filename.endswith(suffix)
        page.go_back()
    assert sorted(Document.objects.values_list("format", "state")) == [("pdf", "done"), ("xlsx", "done")]
    context.close()
