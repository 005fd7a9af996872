"""A day of work in the browser, at 390 px (a commune cadre's phone) and 1366 px (an office desktop): each main
task of each role, timed, with no page scrolling sideways. With SCREENSHOTS=<folder> set, the main screens are
saved there as small PNGs (the README shows them: docs/screenshots/)."""

import datetime
import os
import time
from pathlib import Path

import pytest

from members.models import Member
from reports.models import Indicator, PeriodReport, ReportingPeriod
from supervision.models import Recommendation
from tests.e2e.conftest import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.e2e]
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "to_dan_pho_so_3.csv"


class Day:
    def __init__(self, browser, live_server, width):
        self.browser, self.server, self.width = browser, live_server, width
        self.timings: dict[str, float] = {}
        self.shots = os.environ.get("SCREENSHOTS")

    def open(self, username):
        # A long name, as real users have: the menu must still fit.
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username=username).update(
            first_name="Nguyễn Thị Phương", last_name="Thảo Nguyên"
        )
        context = self.browser.new_context(
            viewport={"width": self.width, "height": 844 if self.width < 800 else 900}, locale="vi-VN",
            accept_downloads=True,
        )  # fmt: skip
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # a confirmation step is agreed to
        sign_in(page, self.server, username)
        return page

    def check(self, page, name: str):
        wide = page.evaluate(
            """() => document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] :
            Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right >
            window.innerWidth + 1).slice(0, 5)
            .map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
        )
        assert not wide, (name, self.width, wide)
        if self.shots:
            Path(self.shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{self.shots}/{name}-{self.width}.png")

    def task(self, name):
        day = self

        class Timer:
            def __enter__(self):
                self.started = time.monotonic()

            def __exit__(self, *exc):
                day.timings[name] = time.monotonic() - self.started

        return Timer()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_day_of_work(world, transactional_db, live_server, browser, width):
    today = datetime.date.today()
    days = datetime.timedelta
    period = ReportingPeriod.objects.create(
        kind="half", year=today.year, start=today - days(180), end=today - days(1), deadline=today + days(20)
    )
    levels = ",province,district,commune,"
    money, _c = Indicator.objects.get_or_create(
        code="MA02", defaults={"name": "Giá trị nhà", "measure": "vnd", "levels": levels}
    )
    share, _c = Indicator.objects.get_or_create(
        code="CL01",
        defaults={"name": "Tỷ lệ sinh hoạt", "measure": "percent", "aggregation": "average", "levels": levels},
    )
    MemberFactory(branch=world.branch_a1, full_name="Đặng Thị Anh")
    day = Day(browser, live_server, width)

    # --- The commune cadre --------------------------------------------------------------------
    alice = day.open("alice")
    alice.wait_for_selector("[data-todo] [data-key='reports_due']")
    day.check(alice, "home")
    with day.task("find a member"):
        alice.fill("header input[name=q], nav input[name=q]", "dang anh") if width > 800 else alice.goto(
            f"{live_server.url}/search/?q=dang+anh"
        )
        if width > 800:
            alice.press("nav input[name=q]", "Enter")
        alice.click("a:has-text('Đặng Thị Anh')")
        alice.wait_for_selector("h1:has-text('Đặng Thị Anh')")
    day.check(alice, "member")
    with day.task("add a member"):
        alice.goto(f"{live_server.url}/members/new/?branch={world.branch_a1.pk}")
        alice.fill("#id_full_name", "lê thị hồng")
        alice.fill("#id_date_of_birth", "1988-03-08")
        alice.click("main button:has-text('Lưu')")
        alice.wait_for_selector("h1:has-text('Lê Thị Hồng')")
    with day.task("record a dialogue with a commitment"):
        alice.goto(f"{live_server.url}/supervision/dialogues/new/")
        alice.fill("#id_topic", "Đối thoại về việc làm cho phụ nữ")
        alice.fill("#id_participants", "80")
        alice.select_option("#id_op-0-field", "labour")
        alice.fill("#id_op-0-content", "Đề nghị mở lớp dạy nghề may")
        alice.select_option("#id_op-0-outcome", "committed")
        alice.fill("#id_op-0-addressee", "Chủ tịch UBND xã")
        alice.fill("#id_op-0-due_on", (today + datetime.timedelta(days=60)).isoformat())
        day.check(alice, "dialogue-form")
        alice.click("main button[type=submit]:has-text('Lưu')")
        alice.wait_for_selector("h1:has-text('Đối thoại về việc làm cho phụ nữ')")
    assert Recommendation.objects.filter(source="dialogue").count() == 1
    with day.task("record a supervision, a recommendation, and resolve it"):
        alice.goto(f"{live_server.url}/supervision/supervisions/new/")
        alice.fill("#id_topic", "Giám sát chính sách bảo hiểm y tế")
        alice.fill("#id_legal_basis", "Luật Bảo hiểm y tế")
        alice.fill("#id_supervised_body", "Trạm Y tế xã")
        alice.fill("#id_started_on", today.isoformat())
        alice.click("main button[type=submit]:has-text('Lưu')")
        alice.wait_for_selector("h1:has-text('Giám sát chính sách bảo hiểm y tế')")
        alice.fill("#id_addressee", "UBND xã")
        alice.fill("#id_content", "Cấp thẻ bảo hiểm y tế cho hộ cận nghèo")
        alice.fill("#id_made_on", today.isoformat())
        alice.fill("#id_due_on", (today + datetime.timedelta(days=30)).isoformat())
        alice.click("button:has-text('Thêm')")
        alice.click("a:has-text('Cấp thẻ bảo hiểm y tế cho hộ cận nghèo')")
        alice.select_option("#id_status", "resolved")
        alice.fill("#id_note", "Đã cấp đủ thẻ cho 35 hộ.")
        alice.click("main button[type=submit]:has-text('Lưu')")
        alice.wait_for_selector("text=Đã cấp đủ thẻ cho 35 hộ.")
    assert Recommendation.objects.get(source="supervision").status == "resolved"
    with day.task("fill and submit the period report"):
        alice.goto(f"{live_server.url}/reports/{period.pk}/{world.commune_a1.pk}/")
        alice.fill(f"#id_i{money.pk}", "160.000.000")
        alice.fill(f"#id_i{share.pk}", "85,5")
        day.check(alice, "period-report")
        alice.click("button[name=submit]")
        alice.wait_for_selector("[data-lock]")
    report = PeriodReport.objects.get(unit=world.commune_a1, period=period)
    assert report.state == "submitted"
    assert {v.indicator_id: v.value for v in report.values.all()} == {money.pk: 160_000_000, share.pk: 85.5}
    with day.task("print the member list"):
        alice.goto(f"{live_server.url}/members/?unit={world.commune_a1.pk}")
        day.check(alice, "member-list")
        alice.click("button:has-text('In Excel')")
        alice.wait_for_selector("a:has-text('Tải về')")
    # A commune cadre finds a member and records a dialogue in under a minute of script time.
    assert day.timings["find a member"] + day.timings["record a dialogue with a commitment"] < 60

    # --- The district cadre -------------------------------------------------------------------
    bob = day.open("bob")
    with day.task("approve the commune's report"):
        bob.goto(f"{live_server.url}/reports/{period.pk}/{world.commune_a1.pk}/")
        bob.click("button:has-text('Duyệt và khóa')")
        bob.wait_for_selector("button:has-text('Mở khóa')")
    report.refresh_from_db()
    assert report.state == "approved"
    with day.task("import a member list"):
        bob.goto(f"{live_server.url}/imports/")
        bob.set_input_files("#id_file", str(SAMPLE))
        # The pickers (searching them is tested in test_pickers): their own API sets the values.
        bob.evaluate(f"document.getElementById('id_commune').tomselect.setValue('{world.commune_a1.pk}')")
        bob.evaluate(f"document.getElementById('id_branch').tomselect.setValue('{world.branch_a1.pk}')")
        bob.click("main form[enctype] button[type=submit]")
        bob.wait_for_selector("#commit-button", timeout=60_000)
        day.check(bob, "import-preview")
        bob.click("#commit-button")
        bob.wait_for_selector("#job-state:has-text('Đã nhập')", timeout=60_000)
    assert Member.objects.filter(branch__parent=world.commune_a1).count() > 3

    # --- The province office ------------------------------------------------------------------
    office = day.open("tinh")
    with day.task("print the annual report"):
        office.goto(f"{live_server.url}/reports/annual/")
        day.check(office, "annual-report")
        office.click("button:has-text('In PDF')")
        office.wait_for_selector("a:has-text('Tải về')", timeout=60_000)
    print(f"\n{width}px task timings (s):", {name: round(s, 2) for name, s in day.timings.items()})
    assert all(seconds < 30 for seconds in day.timings.values()), day.timings
