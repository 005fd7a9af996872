"""Unit pickers on a phone: type a few letters without accents and choose; the branch picker offers only the
chosen commune's branches."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import BranchFactory

pytestmark = [pytest.mark.e2e]


def _choose_commune(page, typed: str, name: str) -> None:
    """Open the import form's commune picker, type without accents and pick the one commune offered."""
    page.locator(".ts-wrapper").first.click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_commune-ts-control'")
    page.keyboard.type(typed, delay=30)
    options = page.locator("#id_commune-ts-dropdown .option")
    expect(options).to_have_count(1)
    assert name in options.first.inner_text()
    options.first.click()


def test_the_import_form_pickers_search_and_follow_the_commune(world, transactional_db, live_server, page):
    BranchFactory(parent=world.commune_a2, name="Chi hội Thôn Bắc")
    sign_in(page, live_server, "bob")  # district A: two communes
    page.goto(f"{live_server.url}/imports/")
    _choose_commune(page, "dong hung", "Xã Đông Hưng")
    page.locator("#id_branch-ts-control").click()
    page.wait_for_selector("#id_branch-ts-dropdown .option", state="attached")
    branches = page.locator("#id_branch-ts-dropdown .option").all_text_contents()
    assert any("Thôn Tây" in b for b in branches) and any("Thôn Bắc" in b for b in branches)
    assert not any("Thôn Đông" in b for b in branches)  # Tân Ấn's branch is not offered
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pickers_of_many_units_ask_the_page_for_what_is_typed(world, transactional_db, live_server, page, monkeypatch):
    from common import forms as common_forms

    monkeypatch.setattr(common_forms, "PICKER_INLINE_MAX", 1)  # as for a province's branches or the country's units
    BranchFactory(parent=world.commune_a2, name="Chi hội Thôn Bắc")
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/imports/")
    assert page.locator("select#id_commune option").count() <= 1  # nothing drawn but the empty choice
    _choose_commune(page, "dong hung", "Xã Đông Hưng")
    assert page.locator("select#id_commune").input_value() == str(world.commune_a2.pk)
    # The branch picker is the next field: it opens with the chosen commune's branches, asked of the page.
    expect(page.locator("#id_branch-ts-dropdown .option")).to_have_count(2)
    branches = page.locator("#id_branch-ts-dropdown .option").all_text_contents()
    assert any("Thôn Tây" in b for b in branches) and any("Thôn Bắc" in b for b in branches)
    assert not any("Thôn Đông" in b for b in branches)
    page.locator("#id_branch-ts-dropdown .option", has_text="Thôn Bắc").click()
    assert page.locator("select#id_branch").input_value() == str(
        world.commune_a2.children.get(name="Chi hội Thôn Bắc").pk
    )
    # Another commune: its own branches, the first choice dropped.
    page.locator(".ts-wrapper").first.click()
    page.keyboard.type("tan an", delay=30)
    page.locator("#id_commune-ts-dropdown .option", has_text="Tân Ấn").click()
    expect(page.locator("#id_branch-ts-dropdown .option")).to_have_count(1)
    assert "Thôn Đông" in page.locator("#id_branch-ts-dropdown .option").first.inner_text()
    assert page.locator("select#id_branch").input_value() == ""
