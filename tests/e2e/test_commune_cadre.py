"""A commune cadre on her phone: log in to what is waiting for her, open her commune, see its branches, and
nothing of another commune."""

import pytest

pytestmark = [pytest.mark.e2e]


def test_commune_cadre_sees_her_branches_and_not_other_communes(world, transactional_db, live_server, page):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "alice")
    page.fill("#id_password", "mat-khau-thu-nghiem-1")
    page.click("button[type=submit]")

    page.wait_for_selector("h1:has-text('Việc cần làm')")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{live_server.url}/units/")
    page.wait_for_selector("text=Đơn vị của tôi")
    page.click("text=Xã Tân Ấn")
    page.wait_for_selector("h1:has-text('Xã Tân Ấn')")
    assert page.locator("table >> text=Chi hội Thôn Đông").is_visible()

    response = page.goto(f"{live_server.url}/units/{world.commune_b1.pk}/")
    assert response.status == 404
    assert page.locator("text=Không tìm thấy trang").is_visible()
    assert "Xã Hòa Lạc" not in page.content()
