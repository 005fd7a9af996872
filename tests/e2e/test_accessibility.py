"""axe-core (from npm) on every main page, on a phone and on a desktop: no serious or critical violation."""

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/", "/members/", "/members/new/", "/imports/", "/supervision/", "/supervision/supervisions/",
    "/supervision/dialogues/new/", "/programmes/group/", "/programmes/credit/new/", "/reports/", "/reports/annual/",
    "/reports/dashboard/", "/search/?q=thi", "/help/", "/units/", "/cadres/",
]  # fmt: skip


def _violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [390, 1366])
def test_main_pages_have_no_serious_accessibility_violations(world, transactional_db, live_server, browser, width):
    if not AXE.exists():
        pytest.fail("axe-core is installed from npm by `make setup` (package.json)")
    MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Thu")
    # axe is injected as a script of its own: the page's Content-Security-Policy would refuse it.
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server, "bob")
    found = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        violations = _violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
