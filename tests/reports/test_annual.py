"""The roll-up engine: every figure of a small province known by construction, before and after a reorganisation;
the engine against independent SQL on generated data; a bounded number of queries; the report pages and prints."""

import datetime
import decimal
import io
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from branches.models import Unit, UnitPopulation
from branches.services import level_retire, population_set, unit_merge
from cadres import services as cadre_services
from cadres.models import Term
from members import services as member_services
from reports import narrative, printing, services
from reports.models import Document, Indicator, ReportingPeriod
from reports.selectors import annual
from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    MemberFactory,
    ProvinceFactory,
    UserFactory,
)
from tests.supervision import factories as work

D = decimal.Decimal
Y2020 = datetime.date(2020, 3, 8)


def _members(branch, n, joined_on=Y2020, **fields):
    return [MemberFactory(branch=branch, joined_on=joined_on, **fields) for _ in range(n)]


@pytest.fixture
def small(db):
    """Province P: district D1 with communes C1, C2; district D2 with commune C3; one branch in each commune."""
    p = ProvinceFactory(name="Tỉnh Mẫu", code="98")
    d1 = DistrictFactory(parent=p, name="Huyện Một")
    d2 = DistrictFactory(parent=p, name="Huyện Hai")
    c1 = CommuneFactory(parent=d1, name="Xã Một")
    c2 = CommuneFactory(parent=d1, name="Xã Hai")
    c3 = CommuneFactory(parent=d2, name="Xã Ba")
    b1 = BranchFactory(parent=c1, name="Chi hội Một")
    b2 = BranchFactory(parent=c2, name="Chi hội Hai")
    b3 = BranchFactory(parent=c3, name="Chi hội Ba")
    for unit, women in ((c1, 100), (c2, 100), (c3, 50)):
        population_set(unit=unit, year=2024, women_18_plus=women)
        population_set(unit=unit, year=2023, women_18_plus=women)
    one = _members(b1, 60, ethnicity="Tày")
    _members(b2, 40, is_core=True)
    _members(b3, 30, religion="Công giáo")
    _members(b3, 5, joined_on=datetime.date(2024, 4, 1))
    # In 2024 two leave B1 to work away and one dies.
    member_services.member_leave(member=one[0], left_on=datetime.date(2024, 5, 1), reason="work")
    member_services.member_leave(member=one[1], left_on=datetime.date(2024, 6, 1), reason="work")
    member_services.member_record_death(member=one[2], died_on=datetime.date(2024, 7, 1))
    # One left in 2023: part of the previous year's figures only.
    member_services.member_leave(member=one[3], left_on=datetime.date(2023, 7, 1), reason="marriage")
    cadre_services.classify(actor=None, unit=c1, year=2024, grade="strong")
    cadre_services.classify(actor=None, unit=b3, year=2024, grade="strong")
    cadre_services.classify(actor=None, unit=b1, year=2023, grade="strong")
    term = Term.objects.get(name="2021–2026")
    cadre_services.cadre_save(
        actor=None, unit=c1, term=term, full_name="Lê Thị Lan", position="chair", meets_standard=True,
        degree="university",
    )  # fmt: skip
    work.supervision(c1, started_on=datetime.date(2024, 3, 1), ended_on=datetime.date(2024, 3, 2))
    work.supervision(c1, started_on=datetime.date(2024, 9, 1), ended_on=datetime.date(2024, 9, 1))
    work.supervision(c3, started_on=datetime.date(2023, 9, 1), ended_on=datetime.date(2023, 9, 1))
    work.dialogue(
        d2,
        held_on=datetime.date(2024, 10, 1),
        participants=80,
        opinions=[work.opinion("land"), work.opinion("labour"), work.opinion("land", outcome="resolved")],
    )
    period = ReportingPeriod.objects.create(
        kind="year", year=2024, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31),
        deadline=datetime.date(2025, 1, 15),
    )  # fmt: skip
    houses = Indicator.objects.get(code="MA01")
    approved = services.report_for(c1, period)
    services.report_save(actor=None, report=approved, values={houses.pk: D(3)})
    services.report_submit(actor=None, report=approved)
    reviewer = UserFactory(username="duyet")
    Role.objects.create(user=reviewer, unit=d1, can_approve=True)
    services.report_approve(actor=reviewer, report=approved)
    pending = services.report_for(c3, period)  # submitted, not approved: not in the figures
    services.report_save(actor=None, report=pending, values={houses.pk: D(5)})
    services.report_submit(actor=None, report=pending)
    return {"p": p, "d1": d1, "d2": d2, "c1": c1, "c2": c2, "c3": c3, "b1": b1, "b2": b2, "b3": b3}


def test_every_figure_of_a_province_known_by_construction(small):
    report = annual.build(small["p"], annual.Span.year(2024))
    value = {key: figure.value for key, figure in report.figures.items()}
    previous = {key: figure.previous for key, figure in report.figures.items()}
    expected = {
        "org.communes": 3,
        "org.branches": 3,
        "org.strong_communes": 1,
        "org.strong_branches": 1,
        "members.total": 56 + 40 + 35,
        "members.new": 5,
        "members.left": 3,
        "members.left:work": 2,
        "members.died": 1,
        "members.net": 2,
        "members.women": 250,
        "members.rate": D("52.40"),
        "members.below_floor": 1,
        "members.core": 40,
        "members.minority": 56,
        "members.religious": 30,
        "cadres.n": 1,
        "cadres.chair.standard": 1,
        "cadres.chair.degree": 1,
        "work.supervisions": 2,
        "work.dialogues.count": 1,
        "work.dialogues.participants": 80,
        "work.opinions": 3,
        "work.opinions.answered": 2,
        "work.opinions.resolved": 1,
        "indicator.MA01": D(3),
    }
    assert {key: value[key] for key in expected} == expected
    assert sum(value[f"members.age:{band}"] for band in ("18-30", "31-45", "46-60", "61+")) <= 131
    # The previous year: 129 members at its end, one left, one strong branch, one supervision.
    assert (previous["members.total"], previous["members.left"], previous["members.left:marriage"]) == (129, 1, 1)
    assert (previous["org.strong_branches"], previous["work.supervisions"]) == (1, 1)
    assert previous["members.rate"] == D("51.60")
    assert report.figure("members.total").change == 2
    assert report.below_floor == [("Xã Hai", D("40.00"))]
    lines = {line.name: line.values for line in report.children}
    assert set(lines) == {"Huyện Một", "Huyện Hai"}
    assert (lines["Huyện Một"]["members.total"], lines["Huyện Một"]["members.rate"]) == (96, D("48.00"))
    assert (lines["Huyện Hai"]["members.total"], lines["Huyện Hai"]["work.opinions"]) == (35, 3)


def reorganise(small) -> Unit:
    """The 2025 reform on the small province: C1 and C2 merge on 1 July, and the district level goes."""
    reform = datetime.date(2025, 7, 1)
    merged = unit_merge(
        sources=[small["c1"], small["c2"]],
        new_unit={"name": "Xã Một Hai", "code": "98001", "level": "commune", "parent": small["d1"], "unit_type": "xa"},
        effective_on=reform,
    )
    level_retire(root=small["p"], level="district", effective_on=reform)
    population_set(unit=merged, year=2025, women_18_plus=200)
    return merged


def test_reports_keep_the_tree_of_their_period_after_a_reorganisation(small):
    reorganise(small)
    population_set(unit=small["c3"], year=2025, women_18_plus=50)

    before = annual.build(small["p"], annual.Span.year(2024))
    after = annual.build(small["p"], annual.Span.year(2025))
    # 2024 still reads by the old districts, with the same figures as before the reform.
    assert {line.name: line.values["members.total"] for line in before.children} == {"Huyện Một": 96, "Huyện Hai": 35}
    assert before.figure("org.communes").value == 3 and before.figure("members.below_floor").value == 1
    # 2025 reads by the new communes directly under the province; members followed their branches.
    assert {line.name: line.values["members.total"] for line in after.children} == {"Xã Một Hai": 96, "Xã Ba": 35}
    assert after.figure("org.communes").value == 2 and after.figure("org.communes").previous == 3
    assert after.figure("org.merged").value == 1
    assert after.figure("members.total").value == 131 and after.figure("members.total").change == 0
    assert after.figure("members.rate").value == D("52.40")
    assert after.figure("members.below_floor").value == 1  # 96 / 200
    # A retired district's 2024 report still opens, with its communes of the time.
    district = annual.build(small["d1"], annual.Span.year(2024))
    assert [line.name for line in district.children] == ["Xã Hai", "Xã Một"]
    assert not annual.build(small["d1"], annual.Span.year(2025)).exists


RAW_MEMBERS = """
    SELECT up.path, COUNT(*)
    FROM members_membership ms
    JOIN branches_unitperiod up ON up.unit_id = ms.branch_id
        AND (up.valid_from IS NULL OR up.valid_from <= %(day)s) AND (up.valid_to IS NULL OR up.valid_to > %(day)s)
    WHERE ms.started_on <= %(day)s AND (ms.ended_on IS NULL OR ms.ended_on > %(day)s)
    GROUP BY up.path
"""
RAW_EVENTS = """
    SELECT e.kind, COUNT(*) FROM members_memberevent e
    WHERE e.occurred_on BETWEEN %(start)s AND %(end)s GROUP BY e.kind
"""


def test_engine_matches_independent_sql_on_generated_data(small):
    rng = random.Random(7)
    branches = [small["b1"], small["b2"], small["b3"]]
    members = []
    for _ in range(150):
        joined = datetime.date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        members.append(MemberFactory(branch=rng.choice(branches), joined_on=joined, birth_year=rng.randint(1950, 2005)))
    for member in rng.sample(members, 40):
        day = member.joined_on + datetime.timedelta(days=rng.randint(1, 900))
        if day < datetime.date(2025, 1, 1):
            member_services.member_leave(member=member, left_on=day, reason=rng.choice(["work", "personal"]))
    for year in (2023, 2024):
        report = annual.build(small["p"], annual.Span.year(year))
        day = datetime.date(year, 12, 31)
        with connection.cursor() as cursor:
            cursor.execute(RAW_MEMBERS, {"day": day})
            by_path = dict(cursor.fetchall())
            cursor.execute(RAW_EVENTS, {"start": datetime.date(year, 1, 1), "end": day})
            events = dict(cursor.fetchall())
        assert report.figure("members.total").value == sum(by_path.values())
        assert report.figure("members.new").value == events.get("joined", 0) + events.get("rejoined", 0)
        assert report.figure("members.left").value == events.get("left", 0) + events.get("died", 0)
        for line in report.children:
            in_line = sum(n for path, n in by_path.items() if f".{line.unit_id}." in f".{path}")
            assert line.values.get("members.total", 0) == in_line


def test_the_number_of_queries_does_not_grow_with_the_province(small, django_assert_max_num_queries):
    span = annual.Span.year(2024)
    annual.build(small["p"], span)  # the first report on these days keeps their member figures
    with django_assert_max_num_queries(60) as small_run:
        annual.build(small["p"], span)
    for n in range(4):
        commune = CommuneFactory(parent=small["d2"], name=f"Xã Thêm {n}")
        for m in range(3):
            _members(BranchFactory(parent=commune, name=f"Chi hội {n}.{m}"), 2)
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        annual.build(small["p"], span)


def test_narrative_draft_has_its_numbers_as_tokens_in_vietnamese_format(small):
    report = annual.build(small["p"], annual.Span.year(2024))
    text = narrative.draft(report)
    assert "toàn tỉnh có [[org.districts]] huyện, thị xã, thành phố, [[org.communes]] cơ sở Hội" in text
    assert narrative.unknown_tokens(text, report) == []
    plain = " ".join(narrative.render_plain(text, report))
    assert "thu hút 52,4% phụ nữ" in plain and "tăng 2 hội viên so với năm 2023" in plain
    html = narrative.render_html(text, report)
    assert '<a class="figure-link" href="#f-members-total"' in html
    assert narrative.number(D("1234567")) == "1.234.567" and narrative.number(D("66.35")) == "66,35"
    assert narrative.trend(-1200) == "giảm 1.200"


def test_narrative_edits_are_kept_and_checked(small, login, world):
    report = annual.build(small["p"], annual.Span.year(2024))
    with pytest.raises(Exception) as error:
        services.narrative_save(actor=None, unit=small["p"], report=report, text="Có [[members.nope]] người")
    assert "[[members.nope]]" in " ".join(error.value.messages)
    services.narrative_save(actor=None, unit=small["p"], report=report, text="Toàn tỉnh có [[members.total]] hội viên.")
    saved = services.narrative_save(actor=None, unit=small["p"], report=report, text="Có [[members.total]] hội viên.")
    assert saved.history.count() == 2
    assert services.narrative_text(small["p"], report)[0] == "Có [[members.total]] hội viên."


def test_pdf_is_an_a4_document_with_an_embedded_vietnamese_font(small):
    report = annual.build(small["p"], annual.Span.year(2024))
    pdf = printing.render_pdf(report, narrative.draft(report), uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF")
    assert b"Report-Serif" in pdf and b"/FontFile2" in pdf  # the serif face is embedded, not substituted
    assert b"/MediaBox [0 0 595" in pdf  # A4 width in points
    assert printing.serif_faces()["Regular"].endswith("liberation2/LiberationSerif-Regular.ttf")


def test_xlsx_has_one_sheet_per_section_with_number_formats(small):
    report = annual.build(small["p"], annual.Span.year(2024))
    book = load_workbook(io.BytesIO(printing.render_xlsx(report, narrative.draft(report))))
    # The narrative, one sheet per section, and the units below.
    assert book.sheetnames[0] == "Nội dung" and len(book.sheetnames) == 1 + len(report.sections) + 1
    assert book.sheetnames[2] == "Hội viên"
    sheet = book["Hội viên"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "Hội viên cuối kỳ")
    assert (row[1].value, row[2].value, row[3].value, row[1].number_format) == (131, 129, 2, "#,##0")


def test_report_pages_are_scoped_and_drill_down(world, login, django_assert_max_num_queries):
    _members(world.branch_a1, 3)
    url = reverse("reports:annual")
    span = annual.Span.year(datetime.date.today().year).key
    bob = login(world.bob)
    page = bob.get(url, {"unit": world.district_a.pk, "span": span})
    assert page.status_code == 200
    assert {line.name for line in page.context["children"]} == {"Xã Tân Ấn", "Xã Đông Hưng"}
    assert f"?unit={world.commune_a1.pk}&span=" in page.content.decode()  # drill-down link
    assert bob.get(url, {"unit": world.commune_a1.pk, "span": span}).status_code == 200
    charlie = login(world.charlie)
    assert charlie.get(url, {"unit": world.district_a.pk, "span": span}).status_code == 404
    assert charlie.get(reverse("reports:dashboard"), {"unit": world.district_a.pk}).status_code == 404
    assert charlie.get(reverse("reports:narrative_edit"), {"unit": world.district_a.pk}).status_code == 404
    assert login(world.alice).get(url, {"unit": world.district_a.pk}).status_code == 404
    bob = login(world.bob)
    bob.get(reverse("reports:dashboard"), {"unit": world.district_a.pk})  # keeps the year ends' member figures
    cache.clear()
    with django_assert_max_num_queries(80):
        assert bob.get(reverse("reports:dashboard"), {"unit": world.district_a.pk}).status_code == 200


def test_printing_from_the_page_keeps_the_copy_and_hides_it_from_others(world, login):
    client = login(world.bob)
    span = annual.Span.year(2024).key
    response = client.post(
        f"{reverse('reports:document_create')}?unit={world.district_a.pk}&span={span}", {"format": "xlsx"}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and document.state == "done"
    download = client.get(reverse("reports:document_download", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content))).sheetnames[0] == "Nội dung"
    charlie = login(world.charlie)
    for name in ("reports:document_detail", "reports:document_progress", "reports:document_download"):
        assert charlie.get(reverse(name, args=[document.pk])).status_code == 404
    client = login(world.bob)
    assert client.get(reverse("reports:document_progress", args=[document.pk])).json()["running"] is False


def test_narrative_page_saves_an_edit_and_refuses_unknown_tokens(world, login):
    client = login(world.bob)
    url = f"{reverse('reports:narrative_edit')}?unit={world.district_a.pk}&span={annual.Span.year(2024).key}"
    refused = client.post(url, {"text": "Có [[khong.co]] hội viên"})
    assert refused.status_code == 200 and "Dòng 1" in refused.content.decode()
    assert client.post(url, {"text": "Có [[members.total]] hội viên"}).status_code == 302
    page = client.get(f"{reverse('reports:annual')}?unit={world.district_a.pk}&span={annual.Span.year(2024).key}")
    assert 'href="#f-members-total"' in page.content.decode()


def test_a_big_report_is_queued_for_the_worker_then_rendered(world, monkeypatch, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(services, "INLINE_PRINT_UNITS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            actor=world.province_admin, unit=world.province, span=annual.Span.year(2024), fmt="pdf"
        )
    document.refresh_from_db()
    assert document.state == "queued" and document.running
    assert DBTaskResult.objects.filter(task_path="reports.tasks.render_document", args_kwargs__args=[document.pk])
    services.document_render(document.pk)
    document.refresh_from_db()
    assert (document.state, document.progress) == ("done", 100)
    assert document.file.read(4) == b"%PDF"


def test_a_units_own_indicator_report_counts_once_in_its_report(small):
    """The province's own approved activities add to its communes' once, not twice."""
    period = ReportingPeriod.objects.get(year=2024)
    houses = Indicator.objects.get(code="MA01")
    own = services.report_for(small["p"], period)
    services.report_save(actor=None, report=own, values={houses.pk: D(10)})
    services.report_submit(actor=None, report=own)
    own.refresh_from_db()
    own.state, own.decided_at = "approved", own.submitted_at  # the level above the province is not modelled
    own.save()
    report = annual.build(small["p"], annual.Span.year(2024))
    assert report.figure("indicator.MA01").value == D(13)  # 10 of its own + 3 approved in Xã Một
    lines = {line.name: line.values for line in report.children}
    assert lines["Huyện Một"][f"indicator.{houses.code}"] == D(3)


def test_women_of_each_year_are_that_years_figures_or_the_latest_before(small):
    population_set(unit=small["c3"], year=2023, women_18_plus=70)
    UnitPopulation.objects.filter(unit=small["c1"], year=2023).delete()
    population_set(unit=small["c1"], year=2022, women_18_plus=90)
    report = annual.build(small["p"], annual.Span.year(2024))
    women = report.figure("members.women")
    assert (women.value, women.previous) == (250, 90 + 100 + 70)
    lines = {line.name: line.values["members.women"] for line in report.children}
    assert lines == {"Huyện Một": 200, "Huyện Hai": 50}


def test_cadres_trained_in_the_span_count_once_each(small):
    """A cadre is trained in the span if a course she attended started in it: once, however many courses; a course
    of another year does not count; a branch head's training is counted apart."""
    term = Term.objects.get(name="2021–2026")
    chair = cadre_services.cadre_save(actor=None, unit=small["c1"], term=term, full_name="Hà Thị Một", position="chair")
    head = cadre_services.cadre_save(
        actor=None, unit=small["b2"], term=term, full_name="Vũ Thị Hai", position="branch_head"
    )
    untrained = cadre_services.cadre_save(
        actor=None, unit=small["b3"], term=term, full_name="Đỗ Thị Ba", position="branch_head"
    )
    organiser = UserFactory(username="taphuan")
    Role.objects.create(user=organiser, unit=small["d1"], can_enter=True)
    for started, cadres in (
        (datetime.date(2024, 3, 1), [chair, head]),
        (datetime.date(2024, 9, 1), [chair]),  # a second course in the year: she is one trained cadre
        (datetime.date(2023, 5, 1), [untrained]),  # the year before
    ):
        cadre_services.training_save(
            actor=organiser, unit=small["d1"], topic=f"Lớp {started:%m/%Y}", started_on=started, ended_on=started,
            cadres=cadres,
        )  # fmt: skip
    report = annual.build(small["p"], annual.Span.year(2024))
    value = {key: figure.value for key, figure in report.figures.items()}
    assert value["cadres.trained"] == 2
    assert value["cadres.commune.trained"] == 1 and value["cadres.chair.trained"] == 1
    assert value["cadres.branch_head.trained"] == 1
    assert value["cadres.trainings"] == 2 and value["cadres.n"] == 4
    # The year before, counted as totals by level: the branch head trained in 2023, the same four in post.
    assert report.figure("cadres.trained").previous == 1 and report.figure("cadres.branch_head.trained").previous == 1
    assert report.figure("cadres.n").previous == 4 and report.figure("cadres.chair.standard").previous == 1


@pytest.mark.parametrize("seed", [3, 4])
def test_the_span_before_s_work_counted_by_level_has_the_totals_counted_by_unit(world, seed):
    """Supervision, dialogue, reviews and cases of the span before a report's are folded as totals from rows by
    level: every figure, with its breakdowns by level, is what the rows by unit give."""
    from supervision.demo import build_demo_supervision

    build_demo_supervision(world.province, seed=seed)
    work.supervision(world.branch_a1, started_on=datetime.date(2025, 3, 1), ended_on=datetime.date(2025, 3, 1))
    for span in (annual.Span.year(2024), annual.Span.year(2025), annual.Span.half(2025, 1)):
        tree = annual.Tree(world.province, span.end)
        by_unit, by_level = annual.Acc(tree), annual.Totals()  # the span's lines; the span before's totals
        annual._work(tree, span, by_unit)
        annual._work(tree, span, by_level)
        assert +by_unit.total == +by_level
        assert by_level["work.supervisions"] > 0
    assert by_level["work.supervisions:branch"] == 1  # the branch's supervision, by its level
