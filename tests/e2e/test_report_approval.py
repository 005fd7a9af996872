"""Period reports in the browser: a commune submits, the district returns one and approves, the province approves."""

import datetime
import decimal

import pytest

from reports import services
from reports.models import Indicator, PeriodReport, ReportingPeriod, ReportLog
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e]


def _log_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, user.username)
    return page


def test_commune_district_province_approval_in_the_browser(world, transactional_db, live_server, browser):
    period = ReportingPeriod.objects.create(
        kind="half",
        year=2024,
        start=datetime.date(2023, 12, 15),
        end=datetime.date(2024, 6, 14),
        deadline=datetime.date(2099, 6, 24),
    )
    # Seeded by a migration, which a transactional test before this one may have flushed.
    houses, _created = Indicator.objects.get_or_create(
        code="MA01",
        defaults={"name": "Nhà “Mái ấm tình thương”", "aggregation": "sum", "levels": ",province,district,commune,"},
    )
    field = f"#id_i{houses.pk}"
    detail = f"{live_server.url}/reports/{period.pk}/%d/"

    # The other commune of the district has already submitted a figure that does not add up.
    other = services.report_for(world.commune_a2, period)
    services.report_save(actor=world.bob, report=other, values={houses.pk: decimal.Decimal(9)})
    services.report_submit(actor=world.bob, report=other)

    # Commune A1 fills its report on a phone and submits it.
    alice = _log_in(browser, live_server, world.alice)
    alice.goto(detail % world.commune_a1.pk)
    alice.fill(field, "3")
    alice.click("button[name=submit]")
    alice.wait_for_selector("[data-lock]")
    assert "Huyện Tân An" in alice.inner_text("[data-lock]")  # who can unlock it
    assert alice.locator(field).count() == 0  # locked while under review

    # The district returns A2 with a comment and approves A1.
    bob = _log_in(browser, live_server, world.bob)
    asked = []  # approving asks first; the test agrees, and keeps what was asked

    def agree(dialog):
        asked.append(dialog.message)
        dialog.accept()

    bob.on("dialog", agree)
    bob.goto(detail % world.commune_a2.pk)
    bob.fill("#id_comment", "Số nhà chưa khớp biên bản bàn giao")
    bob.click("button:has-text('Trả lại kèm ý kiến')")
    bob.wait_for_selector("text=Số nhà chưa khớp biên bản bàn giao")
    # Returned: open for correction again, and the comment is there for whoever corrects it.
    bob.fill(field, "4")
    bob.click("button[name=submit]")
    bob.wait_for_selector("[data-lock]")
    bob.click("button:has-text('Duyệt và khóa')")
    bob.goto(detail % world.commune_a1.pk)
    bob.click("button:has-text('Duyệt và khóa')")
    bob.wait_for_selector("button:has-text('Mở khóa')")

    # The district's own report, then the province approves it.
    bob.goto(detail % world.district_a.pk)
    bob.fill(field, "1")
    bob.click("button[name=submit]")
    bob.wait_for_selector("[data-lock]")
    province = _log_in(browser, live_server, world.province_admin)
    province.on("dialog", agree)
    province.goto(detail % world.district_a.pk)
    province.click("button:has-text('Duyệt và khóa')")
    province.wait_for_selector("button:has-text('Mở khóa')")
    assert len(asked) == 3 and all(message.startswith("Duyệt báo cáo này?") for message in asked)
    # The district's line adds its communes' approved figures to its own: 3 + 4 + 1.
    row = province.locator("tbody tr", has_text=houses.name).inner_text().split()
    assert row[-2:] == ["1", "8"]

    states = dict(PeriodReport.objects.values_list("unit__name", "state"))
    assert states == {"Xã Tân Ấn": "approved", "Xã Đông Hưng": "approved", "Huyện Tân An": "approved"}
    assert list(ReportLog.objects.filter(report__unit=world.commune_a2).values_list("action", flat=True)) == [
        "saved", "submitted", "returned", "saved", "submitted", "approved",
    ]  # fmt: skip
    assert ReportLog.objects.get(report__unit=world.commune_a2, action="returned").comment.startswith("Số nhà")
