"""Every list page is built one way (a FilterSet and a Table): sorted in Vietnamese order by its headings, paged
without trusting the query, drawn as cards on a phone, and exported with every row as filtered."""

import datetime
import io

import django_filters
import django_tables2
import openpyxl
import pytest
from django.urls import reverse

from reports.models import ReportingPeriod
from supervision.models import Supervision
from tests.supervision import factories

LISTS = [
    "members:member_list",
    "supervision:supervision_list",
    "supervision:recommendation_list",
    "supervision:dialogue_list",
    "supervision:review_list",
    "supervision:contribution_list",
    "supervision:case_list",
    "programmes:group_list",
    "programmes:credit_list",
    "programmes:award_list",
    "programmes:task_list",
    "programmes:contest_list",
    "programmes:charity_list",
    "programmes:house_list",
    "programmes:child_list",
    "cadres:cadre_list",
    "cadres:training_list",
    "cadres:classification_list",
    "imports:import_list",
    "accounts:user_list",
    "reports:board",
]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_is_a_table_with_its_filters(world, login, name):
    ReportingPeriod.objects.create(
        kind="half",
        year=2024,
        start=datetime.date(2023, 12, 15),
        end=datetime.date(2024, 6, 14),
        deadline=datetime.date(2024, 6, 24),
    )
    response = login(world.bob).get(reverse(name))
    assert response.status_code == 200
    table = response.context["table"] if "listed" not in response.context else response.context["listed"]
    assert isinstance(table, django_tables2.Table)
    forms = [response.context.get(key) for key in ("form", "filters", "line_filter")]
    assert any(form is not None and hasattr(form, "visible_fields") for form in forms)


def _topics(response) -> list[str]:
    return [row.record.topic for row in response.context["table"].paginated_rows]


def test_titles_sort_in_vietnamese_order_both_ways(world, login):
    # Python's order would put "Ấp" after "Bình" and "Đường" after "Giếng".
    for topic in ["Giếng nước", "Bình đẳng giới", "Đường làng", "Ấp Bắc", "An toàn thực phẩm", "Dạy nghề"]:
        factories.supervision(world.commune_a1, world.alice, topic=topic)
    client = login(world.alice)
    url = reverse("supervision:supervision_list")
    expected = ["An toàn thực phẩm", "Ấp Bắc", "Bình đẳng giới", "Dạy nghề", "Đường làng", "Giếng nước"]
    assert _topics(client.get(url, {"sort": "topic"})) == expected
    assert _topics(client.get(url, {"sort": "-topic"})) == expected[::-1]


def test_unknown_sort_keeps_the_default_order_and_odd_pages_show_a_page(world, login):
    for day in range(35):
        factories.supervision(world.commune_a1, world.alice, topic=f"Giám sát {day:02d}")
    client = login(world.alice)
    url = reverse("supervision:supervision_list")
    default = _topics(client.get(url))
    assert _topics(client.get(url, {"sort": "password"})) == default
    assert len(_topics(client.get(url, {"page": "99999999999999999999"}))) == 30  # the first page
    last = client.get(url, {"page": "7"})  # past the end: the last page
    assert last.status_code == 200 and len(_topics(last)) == 5
    assert client.get(url, {"per_page": "100000"}).context["table"].paginator.per_page == 30


def test_the_page_is_cards_on_a_phone_and_a_table_on_a_desktop(world, login):
    for topic in ("Một", "Hai", "Ba"):
        factories.supervision(world.commune_a1, world.alice, topic=f"Giám sát {topic}")
    html = login(world.alice).get(reverse("supervision:supervision_list")).content.decode()
    cards = html.split("data-cards>")[1].split('</div>\n<div class="table-responsive')[0]
    assert cards.count('<a class="list-group-item') == 3
    assert html.count("<tr ") == 3 + 0  # rows of the body (the heading row has no attributes)
    assert 'aria-sort="descending"' in html  # the default order (newest first) is marked on its heading


def test_excel_export_has_every_filtered_row_not_only_the_page(world, login):
    for day in range(33):
        factories.supervision(world.commune_a1, world.alice, topic=f"Giám sát {day:02d}", kind="thematic")
    factories.supervision(world.commune_a1, world.alice, topic="Khác loại", kind="regular")
    client = login(world.alice)
    response = client.get(reverse("supervision:supervision_list"), {"format": "xlsx", "kind": "thematic"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 33
    assert all(row[1].startswith("Giám sát") for row in rows)
    assert [cell.value for cell in sheet[3]][:2] == ["Từ ngày", "Nội dung"] or sheet[3][0].value


def _committed(field):
    return factories.opinion(field, "committed", addressee="UBND xã", due_on=factories.DAY)


def test_a_dialogue_matches_field_and_outcome_on_one_opinion(world, login):
    both = factories.dialogue(world.commune_a1, world.alice, topic="Cùng một ý kiến", opinions=[_committed("land")])
    factories.dialogue(
        world.commune_a1,
        world.alice,
        topic="Hai ý kiến khác nhau",
        opinions=[factories.opinion("land", "answered"), _committed("labour")],
    )
    response = login(world.alice).get(reverse("supervision:dialogue_list"), {"field": "land", "outcome": "committed"})
    assert [row.record.pk for row in response.context["table"].paginated_rows] == [both.pk]


def test_filtersets_are_django_filter(world):
    from members.filters import MemberFilterSet
    from supervision.filters import SupervisionFilterSet

    assert issubclass(MemberFilterSet, django_filters.FilterSet)
    filterset = SupervisionFilterSet({"year": "2025", "kind": "nonsense"}, queryset=Supervision.objects.all())
    # a bad value is dropped, the good one applies
    assert "kind" in filterset.form.errors and filterset.period()[0].year == 2025


def test_yes_no_filters_offer_all_yes_and_no(world, login):
    world.charlie.is_active = False
    world.charlie.save()
    client = login(world.province_admin)
    response = client.get(reverse("accounts:user_list"), {"is_active": "no"})
    assert [row.record.username for row in response.context["table"].paginated_rows] == ["charlie"]
    choices = [value for value, _label in response.context["form"].fields["is_active"].choices]
    assert choices == ["", "yes", "no"]
    everyone = client.get(reverse("accounts:user_list"), {"is_active": "maybe"}).context["table"]
    assert {"alice", "bob", "charlie"} <= {row.record.username for row in everyone.paginated_rows}
