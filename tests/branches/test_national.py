"""The national tree: the Central Union above the 34 provinces of the official 2025 list, reported on from the
top, each province seeing nothing of the others."""

import datetime
import decimal
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from branches.constants import Level
from branches.models import Unit
from branches.services.official import national_root
from reports import narrative, printing, services
from reports.models import Indicator, ReportingPeriod
from reports.selectors import annual
from tests.factories import BranchFactory, CommuneFactory, MemberFactory, ProvinceFactory, UserFactory

COUNTRY = Path(__file__).resolve().parents[3] / "shared" / "data" / "admin_units_2025" / "derived"
COUNTRY_2025 = COUNTRY / "new_communes_1027_CTK-CSCL_parsed.csv"


@pytest.mark.skipif(not COUNTRY_2025.exists(), reason="../shared/data is not beside the checkout")
def test_the_whole_country_loads_under_the_central_union(db):
    call_command("load_admin_units", str(COUNTRY_2025), "--national", stdout=io.StringIO())
    root = Unit.objects.get(level=Level.CENTRAL)
    assert Unit.objects.filter(level=Level.PROVINCE, parent=root).count() == 34
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 3321
    assert not Unit.objects.filter(level=Level.PROVINCE, parent__isnull=True).exists()
    assert Unit.objects.get(code="00070").path.startswith(root.path)  # Phường Hoàn Kiếm, under Hà Nội, under it
    before = Unit.objects.count()
    call_command("load_admin_units", str(COUNTRY_2025), "--national", stdout=io.StringIO())
    assert Unit.objects.count() == before  # a second load changes nothing


@pytest.fixture
def country(db):
    """Two provinces with a commune and a branch each, and members; a province that existed before the root."""
    a = ProvinceFactory(name="Tỉnh Một", code="01")
    root = national_root(effective_on=datetime.date(2020, 1, 1))
    a.refresh_from_db()
    b = ProvinceFactory(name="Tỉnh Hai", code="02", parent=root)
    units = {}
    for province in (a, b):
        commune = CommuneFactory(parent=province, name=f"Xã của {province.name}")
        branch = BranchFactory(parent=commune, name=f"Chi hội của {province.name}")
        for _ in range(3 if province == a else 2):
            MemberFactory(branch=branch, joined_on=datetime.date(2020, 1, 1))
        units[province.code] = (province, commune, branch)
    users = {}
    for name, unit in (("tw", root), ("mot", a), ("hai", b)):
        users[name] = UserFactory(username=name)
        Role.objects.create(user=users[name], unit=unit, can_enter=True, can_approve=True, can_administer=True)
    return root, units, users


def test_a_province_that_existed_moves_under_the_root(country):
    root, units, _users = country
    assert units["01"][0].parent_id == root.pk and units["01"][0].path.startswith(root.path)


def test_each_province_sees_nothing_of_the_others(country, login):
    root, units, users = country
    client = login(users["mot"])
    assert client.get(reverse("branches:unit_detail", args=[units["02"][0].pk])).status_code == 404
    assert client.get(reverse("branches:unit_detail", args=[root.pk])).status_code == 404
    body = client.get(reverse("members:member_list")).content.decode()
    assert "Chi hội của Tỉnh Hai" not in body
    central = login(users["tw"])
    assert central.get(reverse("branches:unit_detail", args=[units["02"][0].pk])).status_code == 200


def test_the_national_report_adds_the_provinces_and_speaks_for_the_central_union(country):
    root, units, _users = country
    report = annual.build(root, annual.Span.year(2024))
    assert report.figures["members.total"].value == 5 and report.figures["org.provinces"].value == 2
    assert {line.name: line.values.get("members.total") for line in report.children} == {"Tỉnh Một": 3, "Tỉnh Hai": 2}
    assert "toàn quốc" in narrative.draft(report)
    pdf = printing.render_pdf(report, narrative.draft(report))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "TRUNG ƯƠNG HỘI LHPN VIỆT NAM" in text and "TM. ĐOÀN CHỦ TỊCH" in text and "Hà Nội, ngày" in text


def test_the_national_page_checks_down_to_the_communes_and_a_province_page_down_to_its_branches(country, login):
    root, units, users = country
    BranchFactory(parent=units["02"][1], name="Chi hội Chưa Có Ai")  # a branch with no members
    url, span = reverse("reports:annual"), annual.Span.year(2024).key
    national = login(users["tw"]).get(url, {"unit": root.pk, "span": span})
    assert national.status_code == 200 and "Tỉnh Hai" in national.content.decode()
    assert "Chi hội Chưa Có Ai" not in national.content.decode()  # the Central Union's checks stop at communes
    province = login(users["hai"])
    assert "Chi hội Chưa Có Ai" in province.get(url, {"unit": units["02"][0].pk, "span": span}).content.decode()
    assert province.get(url, {"unit": root.pk, "span": span}).status_code == 404


def test_the_approval_chain_runs_to_the_central_union(country):
    root, units, users = country
    period = ReportingPeriod.objects.create(
        kind="year", year=2024, start=datetime.date(2023, 12, 15), end=datetime.date(2024, 12, 14),
        deadline=datetime.date(2024, 12, 24),
    )  # fmt: skip
    houses = Indicator.objects.get(code="MA01")
    Indicator.objects.filter(pk=houses.pk).update(levels=",central,province,commune,")
    for code in ("01", "02"):
        province = units[code][0]
        commune_report = services.report_for(units[code][1], period)
        services.report_submit(actor=users["mot" if code == "01" else "hai"], report=commune_report)
        services.report_approve(actor=users["mot" if code == "01" else "hai"], report=commune_report)
        own = services.report_for(province, period)
        services.report_save(actor=None, report=own, values={houses.pk: decimal.Decimal(2)})
        services.report_submit(actor=None, report=own)
        with pytest.raises(ValidationError):  # a province does not approve its own report
            services.report_approve(actor=users["mot" if code == "01" else "hai"], report=own)
        services.report_approve(actor=users["tw"], report=own)
    top = services.report_for(root, period)
    services.report_submit(actor=users["tw"], report=top)
    services.report_approve(actor=users["tw"], report=top)  # the top closes its own
    top.refresh_from_db()
    assert top.state == "approved"
    assert annual.build(root, annual.Span.year(2024)).figures["indicator.MA01"].value == 4
