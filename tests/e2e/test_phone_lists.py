"""Lists on a 390 px phone: a column of compact cards, ten and more on the first screen, nothing scrolls
sideways, the filters behind one button with the active ones as removable chips."""

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]


def test_the_member_list_is_a_column_of_cards_on_a_phone(world, transactional_db, live_server, page):
    for n in range(30):
        MemberFactory(branch=world.branch_a1, full_name=f"Nguyễn Thị Phương Thảo Số {n:02d}", birth_year=1980 + n % 20)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/members/?status=active")
    cards = page.locator("[data-cards] .list-group-item")
    assert cards.count() == 30
    first_screen = sum(1 for box in (cards.nth(i).bounding_box() for i in range(30)) if box["y"] + box["height"] <= 844)
    assert first_screen >= 10, first_screen
    assert not page.locator("table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not page.locator("#id_age").is_visible()  # behind "Thêm bộ lọc"
    chip = page.locator("[data-chips] a")
    assert chip.count() == 1 and "Đang sinh hoạt" in chip.inner_text()
    chip.click()
    page.wait_for_url(lambda url: "status=" not in url)


def test_the_member_list_is_a_table_on_a_desktop(world, transactional_db, live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    MemberFactory(branch=world.branch_a1, full_name="Trần Thị Mai")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/members/")
    assert page.locator("table").is_visible() and not page.locator("[data-cards]").is_visible()
    assert page.locator("#id_age").is_visible()  # the filters are open on a wide screen
    context.close()


def test_work_and_programme_lists_are_cards_on_a_phone(world, transactional_db, live_server, page):
    from tests.programmes.factories import one_of_each
    from tests.supervision import factories as work

    one_of_each(world.commune_a1, world.alice, "Tân Ấn")
    work.supervision(world.commune_a1, world.alice, topic="Giám sát chính sách cho lao động nữ")
    sign_in(page, live_server, "alice")
    for path, title in (("/programmes/credit/", "Ngân hàng Chính sách"), ("/programmes/group/", "CLB Tân Ấn"),
                        ("/supervision/supervisions/", "Giám sát chính sách cho lao động nữ")):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        cards = page.locator("[data-cards] .list-group-item")
        assert cards.count() == 1 and title in cards.first.inner_text(), path
        assert not page.locator("table").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
