"""Every main page satisfies the Content-Security-Policy it is served with: no inline script, nothing blocked."""

import pytest

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
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tinh")
    page.fill("#id_password", "mat-khau-thu-nghiem-1")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
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
