"""Unit pickers on a phone: type a few letters without accents and choose; the branch picker offers only the
chosen commune's branches."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import BranchFactory

pytestmark = [pytest.mark.e2e]


def test_the_import_form_pickers_search_and_follow_the_commune(world, transactional_db, live_server, page):
    BranchFactory(parent=world.commune_a2, name="Chi hội Thôn Bắc")
    sign_in(page, live_server, "bob")  # district A: two communes
    page.goto(f"{live_server.url}/imports/")
    page.locator(".ts-wrapper").first.click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_commune-ts-control'")
    page.keyboard.type("dong hung", delay=30)
    options = page.locator("#id_commune-ts-dropdown .option")
    expect(options).to_have_count(1)
    assert "Xã Đông Hưng" in options.first.inner_text()
    options.first.click()
    page.locator("#id_branch-ts-control").click()
    page.wait_for_selector("#id_branch-ts-dropdown .option", state="attached")
    branches = page.locator("#id_branch-ts-dropdown .option").all_text_contents()
    assert any("Thôn Tây" in b for b in branches) and any("Thôn Bắc" in b for b in branches)
    assert not any("Thôn Đông" in b for b in branches)  # Tân Ấn's branch is not offered
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
