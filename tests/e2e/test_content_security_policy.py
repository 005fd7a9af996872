"""Every main page satisfies the Content-Security-Policy it is served with: no inline script, nothing blocked."""

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]

PAGES = [
    "/", "/units/", "/members/", "/members/new/", "/imports/", "/supervision/", "/supervision/dialogues/new/",
    "/supervision/recommendations/", "/cadres/", "/cadres/new/", "/reports/", "/reports/annual/",
    "/reports/dashboard/", "/reports/annual/text/",
]  # fmt: skip


def test_pages_run_under_the_policy_without_violations(world, transactional_db, live_server, browser):
    MemberFactory(branch=world.branch_a1)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    sign_in(page, live_server, "tinh")
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    # The scripted parts still work under the policy: the reports menu opens, a picker searches.
    page.goto(f"{live_server.url}/cadres/new/")
    page.fill("#id_member", "hoi vien")
    page.locator("[data-picker-results]").wait_for(state="visible")
    page.click("a.dropdown-toggle:has-text('Báo cáo')")
    assert page.locator(".dropdown-menu a:has-text('Tổng quan')").is_visible()
    assert violations == []
    context.close()
