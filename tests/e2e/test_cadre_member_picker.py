"""A commune cadre records a chair by picking her member record from the register as she types."""

import pytest

from cadres.models import Cadre, Term
from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]


def test_cadre_form_picks_a_member_by_typing_her_name(world, transactional_db, live_server, page):
    # Terms are seeded by a migration, which a transactional test before this one may have flushed.
    Term.objects.get_or_create(name="2021–2026", defaults={"start_year": 2021, "end_year": 2026})
    member = MemberFactory(branch=world.branch_a1, full_name="Trần Thị Mơ")
    MemberFactory(branch=world.branch_b1, full_name="Phạm Thị Mơ")  # another district: never offered
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cadres/new/")
    page.fill("#id_member", "thi mo")
    options = page.locator("[data-picker-results] [role=option]")
    options.first.wait_for()
    assert options.all_inner_texts() == [f"Trần Thị Mơ ({member.birth_year}) – Chi hội Thôn Đông"]
    options.first.click()
    assert page.input_value("#id_full_name") == "Trần Thị Mơ"
    page.select_option("#id_position", "chair")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cadres/")
    assert Cadre.objects.get().member == member
