"""A commune cadre records a dialogue forum and its opinions on her phone, in one form."""

import datetime
import time

import pytest

from supervision.models import Dialogue, Recommendation
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e]


def test_cadre_records_a_dialogue_with_opinions_on_a_phone(world, transactional_db, live_server, page):
    sign_in(page, live_server, "alice")
    started = time.monotonic()
    page.goto(f"{live_server.url}/supervision/dialogues/new/")
    # Her commune is the only unit offered, already chosen; the date defaults to today.
    assert page.locator("#id_unit option").count() == 1
    page.fill("#id_topic", "Đối thoại với phụ nữ về việc làm")
    page.fill("#id_participants", "120")
    page.fill("#id_leaders", "Nguyễn Văn An, Chủ tịch UBND xã")
    page.select_option("#id_op-0-field", "labour")
    page.fill("#id_op-0-content", "Đề nghị mở lớp dạy nghề may cho phụ nữ trung niên")
    assert not page.locator("#id_op-0-addressee").is_visible()  # only a commitment asks who and when

    page.click("#add-opinion")
    page.fill("#id_op-1-content", "Rác ở bãi tập kết đầu thôn chưa được thu gom")
    page.select_option("#id_op-1-field", "environment")
    page.select_option("#id_op-1-outcome", "committed")
    assert page.locator("#id_op-1-addressee").is_visible()
    page.fill("#id_op-1-addressee", "Chủ tịch UBND xã")
    page.fill("#id_op-1-due_on", (datetime.date.today() + datetime.timedelta(days=180)).isoformat())
    page.click("button:has-text('Lưu diễn đàn')")
    page.wait_for_selector("h1:has-text('Đối thoại với phụ nữ về việc làm')")
    assert time.monotonic() - started < 60

    dialogue = Dialogue.objects.get()
    assert dialogue.unit == world.commune_a1 and dialogue.participants == 120
    assert list(dialogue.opinions.values_list("field", "outcome")) == [
        ("labour", "answered"),
        ("environment", "committed"),
    ]
    assert Recommendation.objects.get().addressee == "Chủ tịch UBND xã"
    assert page.locator("h2:has-text('2 ý kiến')").is_visible()
    # The page fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
