"""Period reports: entry, submission, bottom-up approval and locks; roll-ups; completeness; targets; scope."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches.models import Unit
from branches.services import unit_retire
from cadres.models import Classification
from reports import selectors, services
from reports.models import Indicator, PeriodReport, ReportingPeriod, ReportLog, Target
from reports.selectors.indicators import indicator_figures
from tests.factories import BranchFactory, MemberFactory

D = decimal.Decimal


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        kind="half",
        year=2024,
        start=datetime.date(2023, 12, 15),
        end=datetime.date(2024, 6, 14),
        deadline=datetime.date(2024, 6, 24),
    )


@pytest.fixture
def houses(db):
    return Indicator.objects.get(code="MA01")  # seeded: sum


def _filled(unit, period, actor, values, submit=True):
    report = services.report_for(unit, period)
    services.report_save(actor=actor, report=report, values=values)
    if submit:
        services.report_submit(actor=actor, report=report)
    return report


def test_the_whole_loop_commune_district_province(world, period, houses):
    a1 = _filled(world.commune_a1, period, world.alice, {houses.pk: D(3)})
    a2 = _filled(world.commune_a2, period, world.bob, {houses.pk: D(2)})
    district = _filled(world.district_a, period, world.bob, {houses.pk: D(1)}, submit=False)

    # The district returns one with a comment; the commune corrects and resubmits.
    services.report_return(actor=world.bob, report=a2, comment="Số nhà chưa khớp biên bản")
    a2.refresh_from_db()
    assert a2.state == "returned"
    services.report_save(actor=world.bob, report=a2, values={houses.pk: D(4)})
    services.report_submit(actor=world.bob, report=a2)
    services.report_submit(actor=world.bob, report=district)

    # The province cannot approve the district while a commune below is not approved.
    with pytest.raises(ValidationError) as error:
        services.report_approve(actor=world.province_admin, report=district)
    assert "Xã Tân Ấn" in " ".join(error.value.messages)
    services.report_approve(actor=world.bob, report=a1)
    services.report_approve(actor=world.bob, report=a2)
    services.report_approve(actor=world.province_admin, report=district)
    district.refresh_from_db()
    assert district.state == "approved" and district.decided_by == world.province_admin
    assert list(ReportLog.objects.filter(report=a2).values_list("action", flat=True)) == [
        "saved",
        "submitted",
        "returned",
        "saved",
        "submitted",
        "approved",
    ]
    assert selectors.indicator_totals(world.district_a, [period])[houses.pk] == D(8)


def test_locks_say_why_and_who_can_unlock(world, period, houses):
    report = _filled(world.commune_a1, period, world.alice, {houses.pk: D(3)})
    with pytest.raises(ValidationError) as error:
        services.report_save(actor=world.alice, report=report, values={houses.pk: D(5)})
    assert "Huyện Tân An" in error.value.messages[0]
    services.report_approve(actor=world.bob, report=report)
    with pytest.raises(ValidationError) as error:
        services.report_save(actor=world.alice, report=report, values={houses.pk: D(5)})
    message = error.value.messages[0]
    assert "Huyện Tân An" in message and world.bob.get_full_name() in message

    # Nobody reviews her own level; the commune cadre cannot approve or unlock.
    with pytest.raises(ValidationError):
        services.report_unlock(actor=world.alice, report=report)
    services.report_unlock(actor=world.bob, report=report, comment="Sửa số liệu")
    services.report_save(actor=world.alice, report=report, values={houses.pk: D(5)})
    assert report.values.get().value == D(5)


def test_unlocking_goes_top_down(world, period, houses):
    a1 = _filled(world.commune_a1, period, world.alice, {houses.pk: D(3)})
    a2 = _filled(world.commune_a2, period, world.bob, {})
    district = _filled(world.district_a, period, world.bob, {})
    for report, actor in ((a1, world.bob), (a2, world.bob), (district, world.province_admin)):
        services.report_approve(actor=actor, report=report)
    with pytest.raises(ValidationError) as error:
        services.report_unlock(actor=world.province_admin, report=a1)
    assert "Huyện Tân An" in error.value.messages[0]
    services.report_unlock(actor=world.province_admin, report=district)
    services.report_unlock(actor=world.province_admin, report=a1)
    a1.refresh_from_db()
    assert a1.state == "returned"


def test_returning_needs_a_comment_and_a_submitted_report(world, period, houses):
    report = _filled(world.commune_a1, period, world.alice, {}, submit=False)
    with pytest.raises(ValidationError):
        services.report_return(actor=world.bob, report=report, comment="x")
    services.report_submit(actor=world.alice, report=report)
    with pytest.raises(ValidationError):
        services.report_return(actor=world.bob, report=report, comment="  ")
    with pytest.raises(ValidationError):
        services.report_return(actor=world.charlie, report=report, comment="Không phải huyện mình")


def test_aggregation_types(world, period, db):
    second = ReportingPeriod.objects.create(
        kind="year",
        year=2024,
        start=datetime.date(2023, 12, 15),
        end=datetime.date(2024, 12, 14),
        deadline=datetime.date(2024, 12, 24),
    )
    total = Indicator.objects.get(code="MA01")  # sum
    loans = Indicator.objects.get(code="UT01")  # last value
    rate = Indicator.objects.get(code="CL01")  # average
    filled = [
        _filled(world.commune_a1, period, world.alice, {total.pk: D(2), loans.pk: D(100), rate.pk: D(80)}),
        _filled(world.commune_a2, period, world.bob, {total.pk: D(3), loans.pk: D(50), rate.pk: D(60)}),
        _filled(world.commune_a1, second, world.alice, {total.pk: D(4), loans.pk: D(120), rate.pk: D(70)}),
    ]
    drafts = indicator_figures(
        Unit.objects.filter(path__startswith=world.district_a.path).values("pk"), [period], [total]
    )
    assert drafts.totals == {} and drafts.pending == {total.pk: {world.commune_a1.pk, world.commune_a2.pk}}
    for report in filled:
        services.report_approve(actor=world.bob, report=report)
    both = selectors.indicator_totals(world.district_a, [period, second])
    assert both[total.pk] == D(9)  # every unit, every period
    assert both[loans.pk] == D(120)  # the latest period's stock, across its units
    assert both[rate.pk] == D("70.00")  # mean of 80, 60, 70
    # The approved totals alone (the span before a report's) are summed by the database: the same figures.
    units = Unit.objects.filter(path__startswith=world.district_a.path).values("pk")
    _filled(world.commune_a2, second, world.bob, {total.pk: D(7)}, submit=False)  # a draft: not counted
    alone = indicator_figures(units, [period, second], [total, loans, rate], pending=False)
    assert alone.totals == both and alone.pending == {}
    first = selectors.indicator_totals(world.district_a, [period])
    assert first[loans.pk] == D(150) and first[rate.pk] == D("70.00")
    assert selectors.indicator_totals(world.commune_a2, [period, second])[loans.pk] == D(50)


def test_completeness_follows_the_tree_of_the_period(world, period, houses):
    a1 = _filled(world.commune_a1, period, world.alice, {houses.pk: D(1)})
    services.report_approve(actor=world.bob, report=a1)
    PeriodReport.objects.filter(pk=a1.pk).update(first_submitted_at=datetime.datetime(2024, 6, 20, tzinfo=datetime.UTC))
    # A commune dissolved after the period still counted as expected for it; not for a later one.
    unit_retire(unit=world.branch_a2, effective_on=datetime.date(2024, 9, 1))
    unit_retire(unit=world.commune_a2, effective_on=datetime.date(2024, 9, 1))
    board = selectors.completeness(world.district_a, period)
    assert (board.expected, board.submitted, board.approved, board.on_time) == (2, 1, 1, 1)
    later = ReportingPeriod.objects.create(
        kind="year",
        year=2024,
        start=datetime.date(2023, 12, 15),
        end=datetime.date(2024, 12, 14),
        deadline=datetime.date(2024, 12, 24),
    )
    assert selectors.completeness(world.district_a, later).expected == 1
    province = selectors.completeness(world.province, period)
    assert province.expected == 5  # two districts and three communes
    assert {g["name"]: g["expected"] for g in province.by_child} == {"Huyện Tân An": 3, "Huyện Hòa Bình": 2}


def test_late_submission_is_flagged(world, period, houses):
    report = _filled(world.commune_a1, period, world.alice, {houses.pk: D(1)})
    PeriodReport.objects.filter(pk=report.pk).update(
        first_submitted_at=datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC)
    )
    report.refresh_from_db()
    assert report.on_time is False
    assert selectors.completeness(world.district_a, period).on_time == 0


def test_target_achievement(world, period, houses):
    for n in range(3):
        MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2024, 3, 1 + n))
    MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2023, 3, 1))
    strong = BranchFactory(parent=world.commune_a1)
    Classification.objects.create(unit=strong, year=2024, grade="strong")
    Classification.objects.create(unit=world.branch_a1, year=2024, grade="good")
    report = _filled(world.commune_a1, period, world.alice, {houses.pk: D(3)})
    # A figure counts once approved.
    assert selectors.indicator_totals(world.commune_a1, [period], [houses]) == {}
    services.report_approve(actor=world.bob, report=report)
    world.commune_a1.populations.create(year=2024, women_18_plus=8)
    targets = [
        services.target_save(
            actor=world.alice, unit=world.commune_a1, span="year", year=2024, metric="new_members", value=D(4)
        ),
        services.target_save(
            actor=world.alice, unit=world.commune_a1, span="year", year=2024, metric="strong_branches", value=D(1)
        ),
        services.target_save(
            actor=world.alice,
            unit=world.commune_a1,
            span="year",
            year=2024,
            metric="indicator",
            indicator=houses,
            value=D(2),
        ),
        services.target_save(
            actor=world.alice, unit=world.commune_a1, span="year", year=2024, metric="attraction_rate", value=D(50)
        ),
    ]
    results = {a.target.pk: a for a in selectors.target_achievements(world.commune_a1, 2024)}
    assert (results[targets[0].pk].actual, results[targets[0].pk].met) == (D(3), False)
    assert results[targets[0].pk].percent == D("75.00")
    assert (results[targets[1].pk].actual, results[targets[1].pk].met) == (D(1), True)
    assert (results[targets[2].pk].actual, results[targets[2].pk].met) == (D(3), True)
    assert results[targets[3].pk].actual == D("50.00") and results[targets[3].pk].met  # 4 members / 8 women
    with pytest.raises(ValidationError):
        services.target_save(
            actor=world.charlie, unit=world.commune_a1, span="year", year=2024, metric="new_members", value=D(1)
        )
    assert Target.objects.count() == 4


def test_report_pages_through_the_browser_loop(world, period, houses, login):
    url = reverse("reports:report_detail", args=[period.pk, world.commune_a1.pk])
    alice = login(world.alice)
    assert alice.get(url).status_code == 200
    response = alice.post(url, {f"i{houses.pk}": "3", "note": "", "submit": "1"})
    assert response.status_code == 302
    report = PeriodReport.objects.get(unit=world.commune_a1)
    assert report.state == "submitted"
    page = alice.get(url).content.decode()
    assert "data-lock" in page and "Huyện Tân An" in page
    bob = login(world.bob)
    bob.post(reverse("reports:report_decide", args=[report.pk, "return"]), {"comment": "Thiếu số liệu"})
    report.refresh_from_db()
    assert report.state == "returned"
    board = bob.get(reverse("reports:board"), {"unit": world.district_a.pk, "period": period.pk})
    assert board.context["completeness"].expected == 2
    # Outside one's scope: a 404, for reading and for deciding.
    charlie = login(world.charlie)
    assert charlie.get(url).status_code == 404
    assert charlie.post(reverse("reports:report_decide", args=[report.pk, "approve"])).status_code == 404
    assert charlie.get(reverse("reports:board"), {"unit": world.district_a.pk}).status_code == 404


def test_only_the_province_office_keeps_the_catalogue(world, login):
    data = {
        "i-code": "XX01",
        "i-name": "Chỉ tiêu thử",
        "i-measure": "count",
        "i-aggregation": "sum",
        "i-position": "0",
        "i-level_choices": ["commune"],
    }
    assert login(world.bob).post(reverse("reports:indicator_list"), data).status_code == 404
    assert login(world.province_admin).post(reverse("reports:indicator_list"), data).status_code == 302
    indicator = Indicator.objects.get(code="XX01")
    assert indicator.levels == ",commune,"
    services.indicator_retire(actor=world.province_admin, indicator=indicator)
    assert not Indicator.objects.active().filter(code="XX01").exists()


def test_a_period_report_takes_numbers_as_vietnamese_type_them(world, period, houses, login):
    url = reverse("reports:report_detail", args=[period.pk, world.commune_a1.pk])
    alice = login(world.alice)
    assert alice.post(url, {f"i{houses.pk}": "160.000.000", "note": ""}).status_code == 302
    report = PeriodReport.objects.get(unit=world.commune_a1)
    assert report.values.get().value == D(160_000_000)
    page = alice.get(url).content.decode()
    assert 'value="160.000.000"' in page and "160000000.00" not in page
    assert alice.post(url, {f"i{houses.pk}": "85,5", "note": ""}).status_code == 302
    assert report.values.get().value == D("85.5")
