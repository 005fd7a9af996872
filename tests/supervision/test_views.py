"""Screens of supervision work: scope (alice's commune, bob's district, charlie elsewhere), entry, follow-up, files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision import services
from supervision.constants import ATTACHMENT_MAX_BYTES
from supervision.models import Attachment, Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision
from tests.supervision import factories
from tests.supervision.test_services import PDF

DAY = factories.DAY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def records(world):
    """One of everything in alice's commune, with a file on the supervision and an overdue recommendation."""
    supervision = factories.supervision(world.commune_a1, world.alice)
    rec = factories.recommendation(of=supervision, actor=world.alice, made_on=DAY, due_days=30)
    dialogue = factories.dialogue(
        world.commune_a1,
        world.alice,
        opinions=[factories.opinion("land", "committed", addressee="Chủ tịch UBND xã", due_on=DAY)],
    )
    attachment = services.attachment_add(
        actor=world.alice, owner=supervision, upload=SimpleUploadedFile("bien-ban.pdf", PDF)
    )
    review = services.draft_review_save(
        actor=world.alice,
        unit=world.commune_a1,
        kind="critique",
        document="Dự thảo Nghị quyết về hỗ trợ phụ nữ",
        requested_by="UBND xã",
        received_on=DAY,
        opinions=4,
    )
    contribution = services.contribution_save(
        actor=world.alice, unit=world.commune_a1, kind="cadres", given_on=DAY, topic="Góp ý nhân sự", opinions=2
    )
    case = services.case_save(
        actor=world.alice, unit=world.commune_a1, kind="mediation", received_on=DAY, subject="Hòa giải mâu thuẫn"
    )
    return {
        "supervision": supervision,
        "recommendation": rec,
        "dialogue": dialogue,
        "attachment": attachment,
        "review": review,
        "contribution": contribution,
        "case": case,
    }


def _record_urls(r):
    return [
        reverse("supervision:supervision_detail", args=[r["supervision"].pk]),
        reverse("supervision:supervision_edit", args=[r["supervision"].pk]),
        reverse("supervision:supervision_delete", args=[r["supervision"].pk]),
        reverse("supervision:recommendation_detail", args=[r["recommendation"].pk]),
        reverse("supervision:recommendation_edit", args=[r["recommendation"].pk]),
        reverse("supervision:dialogue_detail", args=[r["dialogue"].pk]),
        reverse("supervision:dialogue_edit", args=[r["dialogue"].pk]),
        reverse("supervision:dialogue_delete", args=[r["dialogue"].pk]),
        reverse("supervision:attachment", args=[r["attachment"].pk]),
        reverse("supervision:attachment_delete", args=[r["attachment"].pk]),
        reverse("supervision:review_edit", args=[r["review"].pk]),
        reverse("supervision:review_delete", args=[r["review"].pk]),
        reverse("supervision:contribution_edit", args=[r["contribution"].pk]),
        reverse("supervision:contribution_delete", args=[r["contribution"].pk]),
        reverse("supervision:case_edit", args=[r["case"].pk]),
        reverse("supervision:case_delete", args=[r["case"].pk]),
    ]


LISTS = [
    "supervision:board",
    "supervision:supervision_list",
    "supervision:recommendation_list",
    "supervision:dialogue_list",
    "supervision:review_list",
    "supervision:contribution_list",
    "supervision:case_list",
]


def test_every_record_page_opens_for_the_commune_and_its_district(world, records, login):
    for user in (world.alice, world.bob):
        client = login(user)
        for url in _record_urls(records):
            assert client.get(url).status_code == 200, (user, url)


def test_every_record_page_is_a_404_outside_ones_units(world, records, login):
    client = login(world.charlie)
    for url in _record_urls(records):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x", "happened_on": "2024-03-05"}).status_code == 404, url
    posts = [
        reverse("supervision:recommendation_create", args=[records["supervision"].pk]),
        reverse("supervision:supervision_attach", args=[records["supervision"].pk]),
        reverse("supervision:dialogue_attach", args=[records["dialogue"].pk]),
    ]
    for url in posts:
        assert client.post(url, {"addressee": "x"}).status_code == 404, url
    assert Supervision.objects.count() == 1 and Recommendation.objects.count() == 2 and Attachment.objects.count() == 1
    assert (
        Dialogue.objects.count() == DraftReview.objects.count() == Contribution.objects.count() == Case.objects.count()
    )


def test_lists_show_only_records_in_scope(world, records, login):
    factories.supervision(world.commune_b1, world.charlie, topic="Giám sát ở huyện khác")
    for name in LISTS:
        alice_page = login(world.alice).get(reverse(name)).content.decode()
        charlie_page = login(world.charlie).get(reverse(name)).content.decode()
        assert "Giám sát ở huyện khác" not in alice_page, name
        for marker in ("Thực hiện Luật Bình đẳng giới", "Dự thảo Nghị quyết", "Góp ý nhân sự", "Hòa giải mâu thuẫn"):
            assert marker not in charlie_page, (name, marker)
    page = login(world.alice).get(reverse("supervision:supervision_list")).content.decode()
    assert "Thực hiện Luật Bình đẳng giới" in page
    # A unit outside one's scope in the query string is a 404, not an empty list.
    assert (
        login(world.alice).get(reverse("supervision:supervision_list"), {"unit": world.commune_b1.pk}).status_code
        == 404
    )


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow_with_rows(world, login, name, django_assert_max_num_queries):
    for n in range(12):
        rec = factories.recommendation(world.commune_a1, world.alice, addressee=f"Cơ quan {n}")
        factories.dialogue(
            world.commune_a1,
            world.alice,
            opinions=[factories.opinion("land", "committed", addressee=f"Cơ quan {n}", due_on=DAY)],
        )
        services.case_save(
            actor=world.alice, unit=world.commune_a1, kind="petition", received_on=DAY, subject=f"Đơn {n}"
        )
        services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=DAY, note="Đã gửi")
    client = login(world.bob)
    with django_assert_max_num_queries(9):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_filters_narrow_the_lists(world, records, login):
    factories.supervision(world.commune_a1, world.alice, topic="Giám sát đột xuất", kind="unannounced")
    client = login(world.alice)
    page = client.get(reverse("supervision:supervision_list"), {"kind": "unannounced"}).content.decode()
    assert "Giám sát đột xuất" in page and "Thực hiện Luật Bình đẳng giới" not in page
    page = client.get(reverse("supervision:supervision_list"), {"year": "2023"}).content.decode()
    assert "Giám sát đột xuất" not in page
    page = client.get(reverse("supervision:recommendation_list"), {"status": "overdue"}).content.decode()
    assert "Bố trí kinh phí" in page
    page = client.get(reverse("supervision:dialogue_list"), {"field": "labour"}).content.decode()
    assert "Đối thoại với phụ nữ" not in page


def test_excel_export_of_a_list(world, records, login):
    import io

    import openpyxl

    response = login(world.alice).get(reverse("supervision:case_list"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell]
    assert "Hòa giải mâu thuẫn" in values


def test_quick_dialogue_entry_with_opinions(world, login):
    client = login(world.alice)
    form = client.get(reverse("supervision:dialogue_create")).content.decode()
    assert f'value="{world.commune_b1.pk}"' not in form  # only her own units are offered
    data = {
        "unit": world.commune_a1.pk,
        "held_on": "2024-03-08",
        "topic": "Đối thoại về an toàn thực phẩm",
        "participants": "150",
        "leaders": "Nguyễn Văn A, Chủ tịch UBND xã",
        "op-TOTAL_FORMS": "3",
        "op-INITIAL_FORMS": "0",
        "op-MIN_NUM_FORMS": "0",
        "op-MAX_NUM_FORMS": "300",
        "op-0-field": "food_safety",
        "op-0-content": "Thực phẩm ở cổng trường không rõ nguồn gốc",
        "op-0-outcome": "committed",
        "op-0-addressee": "Chủ tịch UBND xã",
        "op-0-due_on": "2024-05-08",
        "op-1-field": "land",
        "op-1-content": "Cấp sổ đỏ đứng tên cả vợ và chồng",
        "op-1-outcome": "answered",
        "op-2-field": "other",
        "op-2-content": "",
        "op-2-outcome": "answered",
    }
    response = client.post(reverse("supervision:dialogue_create"), data)
    dialogue = Dialogue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:dialogue_detail", args=[dialogue.pk]
    )
    assert dialogue.opinions.count() == 2
    assert Recommendation.objects.get().addressee == "Chủ tịch UBND xã"

    data["unit"] = world.commune_b1.pk
    response = client.post(reverse("supervision:dialogue_create"), data)
    assert response.status_code == 200 and Dialogue.objects.count() == 1


def test_a_commitment_without_due_date_is_shown_on_the_form(world, login):
    data = {
        "unit": world.commune_a1.pk,
        "held_on": "2024-03-08",
        "topic": "Đối thoại",
        "participants": "10",
        "op-TOTAL_FORMS": "1",
        "op-INITIAL_FORMS": "0",
        "op-MIN_NUM_FORMS": "0",
        "op-MAX_NUM_FORMS": "300",
        "op-0-field": "land",
        "op-0-content": "Đất",
        "op-0-outcome": "committed",
    }
    response = login(world.alice).post(reverse("supervision:dialogue_create"), data)
    assert response.status_code == 200
    assert response.context["opinions"].forms[0].errors.keys() >= {"addressee", "due_on"}
    assert not Dialogue.objects.exists()


def test_follow_up_through_the_page(world, records, login):
    rec = records["recommendation"]
    url = reverse("supervision:recommendation_detail", args=[rec.pk])
    client = login(world.alice)
    response = client.post(url, {"happened_on": "2024-03-10", "status": "resolved", "note": ""})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    response = client.post(
        url,
        {
            "happened_on": "2024-03-10",
            "status": "resolved",
            "note": "Đã bố trí kinh phí",
            "evidence": SimpleUploadedFile("bien-ban.pdf", PDF),
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "resolved" and rec.follow_ups.get().attachments.count() == 1
    assert client.post(url, {"happened_on": "2024-03-11", "note": "x"}).status_code == 404  # closed: no form


def test_board_lists_overdue_items_one_click_from_their_record(world, records, login):
    response = login(world.bob).get(reverse("supervision:board"))
    board = response.context["board"]
    overdue_ids = {r.pk for r in board.overdue}
    assert records["recommendation"].pk in overdue_ids
    assert records["dialogue"].opinions.get().commitment.pk in overdue_ids
    assert (
        reverse("supervision:recommendation_detail", args=[records["recommendation"].pk]) in response.content.decode()
    )
    assert login(world.charlie).get(reverse("supervision:board")).context["board"].totals["overdue"] == 0


def test_board_reminds_of_what_falls_due_within_30_days(world, login):
    today = datetime.date.today()
    soon = factories.recommendation(world.commune_a1, world.alice, made_on=today, due_days=20)
    later = factories.recommendation(world.commune_a1, world.alice, made_on=today, due_days=45, addressee="Muộn")
    board = login(world.alice).get(reverse("supervision:board")).context["board"]
    assert [r.pk for r in board.due_soon] == [soon.pk]
    assert later.pk not in {r.pk for r in board.overdue}


def test_attachment_upload_limits_through_the_page(world, records, login):
    url = reverse("supervision:supervision_attach", args=[records["supervision"].pk])
    client = login(world.alice)
    response = client.post(url, {"file": SimpleUploadedFile("lon.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES)}, follow=True)
    assert "10 MB" in response.content.decode()
    client.post(url, {"file": SimpleUploadedFile("script.html", b"<script>")})
    assert Attachment.objects.count() == 1
    client.post(url, {"file": SimpleUploadedFile("ket-luan.pdf", PDF)})
    assert Attachment.objects.count() == 2


def test_attachment_download_is_scoped_and_inert(world, records, login):
    url = reverse("supervision:attachment", args=[records["attachment"].pk])
    response = login(world.bob).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert login(world.charlie).get(url).status_code == 404


def test_deleting_asks_first_then_deletes(world, records, login):
    url = reverse("supervision:case_delete", args=[records["case"].pk])
    client = login(world.alice)
    assert client.get(url).status_code == 200 and Case.objects.exists()
    assert client.post(url).status_code == 302 and not Case.objects.exists()


def test_figures_page_for_a_district(world, records, login, django_assert_max_num_queries):
    client = login(world.bob)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("supervision:figures"), {"unit": world.district_a.pk, "year": "2024"})
    assert response.status_code == 200
    tables = response.context["tables"]
    assert tables[0]["rows"][-1][1][-1] == 1  # one supervision in the year
    assert login(world.charlie).get(reverse("supervision:figures"), {"unit": world.district_a.pk}).status_code == 404


def test_case_form_requires_a_settlement_date_once_settled(world, login):
    data = {
        "unit": world.commune_a1.pk,
        "kind": "petition",
        "received_on": "2024-03-01",
        "subject": "Đơn",
        "status": "settled",
    }
    response = login(world.alice).post(reverse("supervision:case_create"), data)
    assert response.status_code == 200 and "settled_on" in response.context["form"].errors
    data["settled_on"] = "2024-03-20"
    assert login(world.alice).post(reverse("supervision:case_create"), data).status_code == 302
    assert Case.objects.get().settled_on == datetime.date(2024, 3, 20)


def test_unit_filter_offers_only_units_in_scope(world, records, login):
    page = login(world.bob).get(reverse("supervision:supervision_list")).content.decode()
    assert f'<option value="{world.commune_a1.pk}"' in page and f'<option value="{world.district_a.pk}"' in page
    assert f'<option value="{world.commune_b1.pk}"' not in page and f'<option value="{world.province.pk}"' not in page
    page = login(world.bob).get(reverse("supervision:supervision_list"), {"unit": world.commune_a2.pk}).content.decode()
    assert "Thực hiện Luật Bình đẳng giới" not in page  # narrowed to a commune with no supervision
