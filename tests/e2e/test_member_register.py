"""A commune cadre on her phone: find a member without typing accents, then add one, with inline checks."""

import pytest

from members.models import Member
from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]


def test_cadre_finds_and_adds_a_member(world, transactional_db, live_server, page):
    MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà")
    MemberFactory(branch=world.branch_b1, full_name="Nguyễn Thị Hà Khác")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/members/")
    page.fill("#id_q", "nguyen thi ha")
    page.click("button:has-text('Tìm')")
    page.wait_for_url(lambda url: "q=" in url)
    cards = page.locator("[data-cards] .list-group-item")
    assert cards.count() == 1  # the namesake in another district stays hidden
    cards.first.click()
    page.wait_for_selector("h1:has-text('Nguyễn Thị Hà')")
    assert page.locator("text=Quá trình sinh hoạt Hội").is_visible()

    page.goto(f"{live_server.url}/members/new/?branch={world.branch_a1.pk}")
    page.fill("#id_full_name", "trần thị mai")
    page.fill("#id_date_of_birth", "1990-05-04")
    page.fill("#id_id_number", "12345")
    page.locator("#id_id_number").blur()
    assert "is-invalid" in page.locator("#id_id_number").get_attribute("class")
    page.fill("#id_id_number", "024190000555")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector("h1:has-text('Trần Thị Mai')")
    assert Member.objects.filter(full_name="Trần Thị Mai", branch=world.branch_a1).exists()
