"""One count: the ``report_figures`` command, the page, the xlsx and the PDF give the same figures; a unit's
figures are its children's plus its own records, and each child's line is its own report; the checks before
signing fire on crafted data; the top unit closes its own period report."""

import datetime
import decimal
import io
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from branches.models import Unit
from branches.services import population_set
from common.numbers import display
from reports import narrative, printing, services
from reports.models import Indicator, ReportingPeriod, ReportLog
from reports.selectors import annual
from reports.selectors import checks as checks_module
from reports.selectors.checks import report_checks
from reports.selectors.figures import plain
from tests.factories import BranchFactory, CommuneFactory, MemberFactory, UserFactory
from tests.reports.test_annual import reorganise, small  # noqa: F401 - the fixture

D = decimal.Decimal
# Figures that add up over units (a rate, women 18+ and a count of units below a floor do not).
ADDITIVE = (
    "members.total", "members.new", "members.left", "members.died", "members.core", "work.supervisions",
    "work.dialogues.count", "cadres.total", "org.branches", "org.communes",
)  # fmt: skip


def _figures(unit: Unit, year: int) -> dict:
    out = io.StringIO()
    call_command("report_figures", "--unit", f"id:{unit.pk}", "--year", str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_command_page_xlsx_and_pdf_give_the_same_figures(small, client):  # noqa: F811
    data = _figures(small["p"], 2024)
    report = annual.build(small["p"], annual.Span.year(2024))
    assert data["span"] == ["2024-01-01", "2024-12-31"] and data["unit"] == "98"
    assert data["figures"] == {k: plain(f.value) for k, f in report.figures.items()}
    assert data["figures"]["members.total"] == 131 and data["figures"]["indicator.MA01"] == 3

    admin = UserFactory(username="tinh98")
    Role.objects.create(user=admin, unit=small["p"], can_enter=True, can_approve=True)
    client.force_login(admin)
    page = client.get(reverse("reports:annual"), {"unit": small["p"].pk, "span": annual.Span.year(2024).key})
    assert page.status_code == 200
    assert {k: plain(f.value) for k, f in page.context["r"].figures.items()} == data["figures"]

    book = load_workbook(io.BytesIO(printing.render_xlsx(report, narrative.draft(report))))
    seen = 0
    for section, sheet in zip(report.sections, book.worksheets[1 : 1 + len(report.sections)], strict=True):
        rows = list(sheet.iter_rows(min_row=3, max_row=2 + len(section.figures), values_only=True))
        for figure, row in zip(section.figures, rows, strict=True):
            assert row[0] == figure.label
            got = None if row[1] is None else plain(D(str(row[1])))
            assert got == data["figures"][figure.key], figure.key
            seen += 1
    assert seen >= 20

    pdf = printing.render_pdf(report, narrative.draft(report))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for key in ("members.total", "members.new", "work.supervisions", "indicator.MA01"):
        assert display(data["figures"][key]) in text, key


def _adds_up(unit: Unit, year: int) -> dict:
    data = _figures(unit, year)
    for key in ADDITIVE:
        below = sum(child["figures"].get(key) or 0 for child in data["children"])
        assert (data["figures"].get(key) or 0) == below + (data["own"].get(key) or 0), (unit.name, year, key)
    for child in data["children"]:
        unit_below = Unit.objects.get(name=child["name"], parent=unit)
        own_report = _figures(unit_below, year)["figures"]
        # A unit's own report counts the units below it, not itself: "org." figures differ by that one unit.
        for key in (k for k in ADDITIVE if not k.startswith("org.")):
            assert (child["figures"].get(key) or 0) == (own_report.get(key) or 0), (child["name"], year, key)
    return data


def test_each_figure_is_its_childrens_plus_its_own_before_and_after_a_reorganisation(small):  # noqa: F811
    before = _adds_up(small["p"], 2024)
    _adds_up(small["d1"], 2024)
    reorganise(small)
    after = _adds_up(small["p"], 2025)  # now the communes are directly below the province
    assert _adds_up(small["p"], 2024)["figures"] == before["figures"]  # the old year keeps its tree
    assert after["figures"]["members.total"] == before["figures"]["members.total"]


def test_checks_before_signing_fire_on_crafted_data(small, monkeypatch):  # noqa: F811
    population_set(unit=small["c3"], year=2024, women_18_plus=20)  # 35 members
    CommuneFactory(parent=small["d2"], name="Xã Không Số")  # no women figure
    BranchFactory(parent=small["c2"], name="Chi hội Trống")  # no members
    for _n in range(100):
        MemberFactory(branch=small["b2"], joined_on=datetime.date(2024, 2, 1))
    monkeypatch.setattr(checks_module, "CHANGE_LIMIT", D(30))
    report = annual.build(small["p"], annual.Span.year(2024))
    found = {(c.code, c.name) for c in report_checks(report)}
    assert ("members_above_women", "Xã Ba") in found
    assert ("no_women_figure", "Xã Không Số") in found
    assert ("branch_without_members", "Chi hội Trống") in found
    assert ("far_from_last_year", "Tỉnh Mẫu") in found  # 231 members against 129
    # The districts have not reported for 2024.
    assert {name for code, name in found if code == "not_reported"} == {"Huyện Một", "Huyện Hai"}
    assert _figures(small["p"], 2024)["checks"] == [c.as_dict() for c in report_checks(report)]
    # Xã Ba's report is submitted, not approved: its district's report says so.
    district = {(c.code, c.name) for c in report_checks(annual.build(small["d2"], annual.Span.year(2024)))}
    assert ("not_approved", "Xã Ba") in district
    quiet = annual.build(small["d1"], annual.Span.year(2023))
    assert not {c.code for c in report_checks(quiet)} & {"members_above_women", "far_from_last_year"}


def test_the_top_unit_closes_its_own_period_report(small):  # noqa: F811
    period = ReportingPeriod.objects.get(year=2024)
    houses = Indicator.objects.get(code="MA01")
    own = services.report_for(small["p"], period)
    services.report_save(actor=None, report=own, values={houses.pk: D(2)})
    services.report_submit(actor=None, report=own)
    district_admin = UserFactory(username="huyen")
    Role.objects.create(user=district_admin, unit=small["d1"], can_approve=True)
    with pytest.raises(ValidationError):
        services.report_approve(actor=district_admin, report=own)
    office = UserFactory(username="vanphong")
    Role.objects.create(user=office, unit=small["p"], can_approve=True)
    assert annual.build(small["p"], annual.Span.year(2024)).figure("indicator.MA01").value == D(3)
    # Districts first: the top closes only when the units below are approved.
    for district in (small["d1"], small["d2"]):
        report = services.report_for(district, period)
        services.report_submit(actor=None, report=report)
    with pytest.raises(ValidationError):
        services.report_approve(actor=office, report=own)
    c2 = services.report_for(small["c2"], period)
    services.report_submit(actor=None, report=c2)
    for commune in (c2, services.report_for(small["c3"], period)):
        services.report_approve(actor=office, report=commune)
    for district in (small["d1"], small["d2"]):
        services.report_approve(actor=office, report=services.report_for(district, period))
    services.report_approve(actor=office, report=own)
    own.refresh_from_db()
    assert own.state == "approved"
    assert ReportLog.objects.filter(report=own).latest("id").action == "closed"
    # Its own activities now count: 3 (Xã Một) + 5 (Xã Ba) + 2 (the province's own).
    assert annual.build(small["p"], annual.Span.year(2024)).figure("indicator.MA01").value == D(10)


def test_checks_show_on_the_report_page_and_the_dashboard_within_scope(world, login):
    cache.clear()  # the dashboard keeps its report a few minutes, keyed by unit id: ids repeat across tests
    span = annual.Span.year(datetime.date.today().year).key
    pages = (
        (reverse("reports:dashboard"), {"unit": world.district_a.pk}),
        (reverse("reports:annual"), {"unit": world.district_a.pk, "span": span}),
    )
    bob = login(world.bob)
    for url, params in pages:
        page = bob.get(url, params)
        assert page.status_code == 200
        assert 'data-check="branch_without_members"' in page.content.decode()  # district A's branches are empty
        # The dashboard shows the first few; every one named is a branch of district A.
        assert any(branch.name in page.content.decode() for branch in (world.branch_a1, world.branch_a2))
        assert world.branch_b1.name not in page.content.decode()
    charlie = login(world.charlie)  # district B
    for url, params in pages:
        assert charlie.get(url, params).status_code == 404


def test_indicators_print_under_their_own_heading(small):  # noqa: F811
    report = annual.build(small["p"], annual.Span.year(2024))
    where = {f.key: s.key for s in report.sections for f in s.figures}
    assert where["indicator.MA01"] == "charity"  # houses with charity, not as an emulation movement
    Indicator.objects.filter(code="MA01").update(section="movements")
    report = annual.build(small["p"], annual.Span.year(2024))
    assert {f.key: s.key for s in report.sections for f in s.figures}["indicator.MA01"] == "movements"
