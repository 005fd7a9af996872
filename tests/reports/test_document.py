"""The document a unit signs: its draft says what the records say in the reports' words, and nothing for a zero;
its parts are numbered without gaps; the place, recipients and signature follow the issuing unit's level; money
and targets print as reports write them; the signature never stands alone on the last page."""

import datetime
import decimal
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from branches.services import population_set
from programmes import services as programmes
from reports import narrative, printing, services
from reports.models import Target
from reports.selectors import annual
from supervision import services as work_services
from tests.factories import DistrictFactory, MemberFactory
from tests.supervision import factories as work

SPAN = annual.Span.year(2024)
DAY = datetime.date(2024, 5, 1)


@pytest.fixture
def members(world):
    for branch, n in ((world.branch_a1, 30), (world.branch_a2, 20), (world.branch_b1, 10)):
        for _ in range(n):
            MemberFactory(branch=branch, joined_on=datetime.date(2020, 1, 1))
    return world


def _plain(report) -> str:
    return " ".join(narrative.render_plain(narrative.draft(report), report))


def test_the_draft_says_nothing_of_work_that_was_not_done(members):
    report = annual.build(members.province, SPAN)
    text = narrative.draft(report)
    assert narrative.unknown_tokens(text, report) == []
    assert "giám sát" not in text and "đối thoại" not in text and "hòa giải" not in text
    assert not re.search(r"(?<![\d.,])0 (cuộc|ý kiến|vụ|đơn|chính sách|văn bản|suất|nhà)", _plain(report))


def test_the_draft_uses_the_reports_words_for_work_that_was_done(members):
    work.supervision(members.commune_a1, started_on=DAY, ended_on=DAY)
    work_services.case_save(actor=None, unit=members.commune_a1, kind="mediation", received_on=DAY,
                            subject="Mâu thuẫn gia đình", status="settled", settled_on=DAY)  # fmt: skip
    programmes.charity_save(actor=None, unit=members.commune_a1, campaign="Tết vì người nghèo", given_on=DAY,
                            value=1_780_000_000, gifts=120)  # fmt: skip
    report = annual.build(members.province, SPAN)
    plain = _plain(report)
    assert "giám sát 1 cuộc" in plain
    assert "hòa giải thành công 1" in plain
    assert "1,78 tỷ đồng" in plain and "120 suất quà" in plain
    assert "“Tết vì người nghèo” 1,78 tỷ đồng" in plain


def test_one_hundred_percent_only_when_every_commune_has_a_figure_and_is_above_half(members):
    for unit, women in ((members.commune_a1, 40), (members.commune_a2, 30)):
        population_set(unit=unit, year=2024, women_18_plus=women)
    # Commune B1 has no women-18+ figure: the draft cannot say 100%.
    assert "100% cơ sở Hội" not in _plain(annual.build(members.province, SPAN))
    population_set(unit=members.commune_b1, year=2024, women_18_plus=20)  # exactly 50%: not "trên 50%"
    report = annual.build(members.province, SPAN)
    assert report.figures["members.above_floor"].value == 2
    assert "100% cơ sở Hội" not in _plain(report)
    population_set(unit=members.commune_b1, year=2024, women_18_plus=19)
    assert "100% cơ sở Hội tập hợp trên 50%" in _plain(annual.build(members.province, SPAN))


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (annual.Span.year(2024), "so với năm 2023"),
        (annual.Span("custom", datetime.date(2024, 3, 1), datetime.date(2024, 8, 31)), "so với kỳ trước"),
    ],
)
def test_the_previous_span_is_named_as_a_sentence_names_it(members, span, words):
    MemberFactory(branch=members.branch_a1, joined_on=datetime.date(2024, 4, 1))
    plain = _plain(annual.build(members.province, span))
    assert words in plain and "so với từ" not in plain


def test_a_city_district_is_not_called_a_district(world):
    city = DistrictFactory(parent=world.province, name="Thành phố Bắc Sơn")
    assert "toàn thành phố" in narrative.draft(annual.build(city, SPAN))


def _pdf_pages(report, text=None) -> list[str]:
    pdf = printing.render_pdf(report, narrative.draft(report) if text is None else text)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_province_document_is_numbered_without_gaps_and_signed_by_its_standing_committee(members):
    work.supervision(members.commune_a1, started_on=DAY, ended_on=DAY)
    report = annual.build(members.province, SPAN)
    text = " ".join(_pdf_pages(report))
    assert "Thử Nghiệm, ngày" in text  # the province's name without "Tỉnh"
    assert "Đoàn Chủ tịch TW Hội LHPN Việt Nam" in text and "TM. BAN THƯỜNG VỤ" in text
    pdf = printing.render_pdf(report, narrative.draft(report))
    lines = [line for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"^(\d+)\. [A-ZĐÂ]", line))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5, numbers
    romans = [m.group(1) for line in lines if (m := re.match(r"^(I|II|III|IV|V|VI)\. ", line))]
    assert romans == ["I", "II", "III", "IV"][: len(romans)] and len(romans) >= 3, romans


def test_a_district_document_names_its_own_place_and_the_province_as_recipient(members):
    report = annual.build(members.district_a, SPAN)
    text = " ".join(_pdf_pages(report))
    assert "Tân An, ngày" in text and "Thử Nghiệm, ngày" not in text
    assert "Ban Thường vụ Hội LHPN tỉnh Thử Nghiệm" in text


def test_a_commune_document_is_signed_for_its_executive_committee(members):
    text = " ".join(_pdf_pages(annual.build(members.commune_a1, SPAN)))
    assert "TM. BAN CHẤP HÀNH" in text and "Tân Ấn, ngày" in text


def test_the_signature_never_stands_alone_on_the_last_page(members):
    report = annual.build(members.province, SPAN)
    # Long enough text to fill pages, ending with a headed part.
    body = "\n\n".join(f"Đoạn văn thử nghiệm số {n}. " + "Nội dung công tác Hội. " * 40 for n in range(12))
    text = body + "\n\n## Phương hướng năm 2025\n\n- Nhiệm vụ thứ nhất.\n\n- Nhiệm vụ cuối cùng của báo cáo."
    last = _pdf_pages(report, text)[-1]
    assert "CHỦ TỊCH" in last and "Nhiệm vụ cuối cùng của báo cáo" in last


def test_targets_print_as_resolutions_write_them(members):
    services.target_save(actor=None, unit=members.province, span="year", year=2024, metric="new_members",
                         value=decimal.Decimal(12000))  # fmt: skip
    services.target_save(actor=None, unit=members.province, span="term", year=2021, end_year=2026,
                         metric="attraction_rate", value=decimal.Decimal(50))  # fmt: skip
    assert [t.value_text for t in Target.objects.order_by("id")] == ["≥ 12.000", "≥ 50%"]
    text = " ".join(_pdf_pages(annual.build(members.province, SPAN)))
    assert "≥ 12.000" in text and "12000.00" not in text


def test_a_target_on_any_figure_with_at_most(members):
    work.supervision(members.commune_a1, started_on=DAY, ended_on=DAY)
    services.target_save(actor=None, unit=members.province, span="year", year=2024, metric="figure",
                         figure="work.supervisions", comparison="gte", value=decimal.Decimal(1))  # fmt: skip
    services.target_save(actor=None, unit=members.province, span="year", year=2024, metric="figure",
                         figure="members.total", comparison="lte", value=decimal.Decimal(59))  # fmt: skip
    report = annual.build(members.province, SPAN)
    rows = next(t for s in report.sections for t in s.tables if t.key == "targets").rows
    assert [row[-1] for row in rows] == ["có", "không"]  # 1 ≥ 1 is met; 60 members are not ≤ 59
    assert report.figures["targets.year.met"].value == 1 and report.figures["targets.year.total"].value == 2


def test_xlsx_sheet_names_are_cut_at_a_word_and_unique(members):
    book = load_workbook(io.BytesIO(printing.render_xlsx(annual.build(members.province, SPAN), "Văn bản")))
    names = book.sheetnames
    assert len(names) == len({n.lower() for n in names})
    titles = [s.title for s in annual.build(members.province, SPAN).sections]
    for title in titles:  # every section's sheet is its title, or the title cut after a whole word
        assert any(title == name or (title.startswith(name) and title[len(name)] in " ,;") for name in names), title
    assert (
        printing.sheet_name("Giám sát, phản biện xã hội, đối thoại và giải quyết vụ việc", [])
        == "Giám sát, phản biện xã hội, đối"
    )
    assert printing.sheet_name("Hội viên", ["hội viên"]) == "Hội viên (2)"


def test_agency_unions_are_counted_apart_where_the_tree_has_them(members):
    from tests.factories import CommuneFactory

    before = annual.build(members.province, SPAN).figures
    assert "org.agency_communes" not in before  # no agency union: no such line
    CommuneFactory(parent=members.district_a, name="Hội LHPN Bệnh viện huyện", unit_type="co_quan")
    figures = annual.build(members.province, SPAN).figures
    assert figures["org.communes"].value == 4
    assert figures["org.agency_communes"].value == 1 and figures["org.territorial_communes"].value == 3
