import datetime

import pytest
from django.urls import reverse

from members.constants import Status
from members.models import Member, TransferRequest
from tests.factories import MemberFactory

D = datetime.date


@pytest.fixture
def people(world):
    return {
        "ha": MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Hà", phone="0912345678"),
        "lan": MemberFactory(branch=world.branch_a2, full_name="Trần Thị Lan"),
        "mai": MemberFactory(branch=world.branch_b1, full_name="Lê Thị Mai"),
    }


def _names(response):
    return {m.full_name for m in _rows(response)}


def _rows(response):
    """The members of the list's page, as its table holds them."""
    return [row.record for row in response.context["table"].paginated_rows]


def test_list_is_scoped_to_the_users_units(world, people, login):
    assert _names(login(world.alice).get(reverse("members:member_list"))) == {"Nguyễn Thị Hà"}
    assert _names(login(world.bob).get(reverse("members:member_list"))) == {"Nguyễn Thị Hà", "Trần Thị Lan"}
    assert _names(login(world.charlie).get(reverse("members:member_list"))) == {"Lê Thị Mai"}


def test_list_of_a_unit_outside_scope_is_404(world, people, login):
    response = login(world.charlie).get(reverse("members:member_list"), {"unit": world.commune_a1.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["nguyen thi ha", "NGUYỄN THỊ HÀ", "thi ha", "0912345678", "09123"])
def test_search_ignores_diacritics_and_finds_ids_and_phones(world, people, login, query):
    response = login(world.bob).get(reverse("members:member_list"), {"q": query})
    assert _names(response) == {"Nguyễn Thị Hà"}


def test_filters_and_sorting(world, people, login):
    client = login(world.province_admin)
    people["mai"].ethnicity = "Tày"
    people["mai"].save()
    assert _names(client.get(reverse("members:member_list"), {"ethnicity": "Tày"})) == {"Lê Thị Mai"}
    response = client.get(reverse("members:member_list"), {"sort": "-name"})
    # Vietnamese order: by given name (Hà, Lan, Mai), reversed.
    assert [m.full_name for m in _rows(response)] == ["Lê Thị Mai", "Trần Thị Lan", "Nguyễn Thị Hà"]
    assert _names(client.get(reverse("members:member_list"), {"joined_year": "2015"})) == set(
        Member.objects.values_list("full_name", flat=True)
    )
    assert _names(client.get(reverse("members:member_list"), {"joined_year": "2016"})) == set()


def test_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for _ in range(60):
        MemberFactory(branch=world.branch_a1)
    client = login(world.bob)
    client.get(reverse("members:member_list"), {"cols": ["born", "branch", "status", "groups"]})
    # session, user, roles, the province the list is within, the page of members (with branch and commune)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:member_list"), {"ethnicity": "Kinh", "status": "active"})
    assert len(_rows(response)) == 50 and response.context["table"].page.has_next()


def test_detail_is_404_outside_scope(world, people, login):
    url = reverse("members:member_detail", args=[people["ha"].pk])
    assert login(world.alice).get(url).status_code == 200
    assert login(world.bob).get(url).status_code == 200
    assert login(world.charlie).get(url).status_code == 404


@pytest.mark.parametrize("name", ["member_edit", "member_transfer", "member_leave", "member_transfer_out"])
def test_actions_are_404_outside_scope(world, people, login, name):
    url = reverse(f"members:{name}", args=[people["ha"].pk])
    assert login(world.charlie).get(url).status_code == 404
    assert login(world.charlie).post(url, {}).status_code == 404
    assert login(world.alice).get(url).status_code == 200


def test_create_member_from_the_form(world, login):
    response = login(world.alice).post(
        reverse("members:member_create"),
        {
            "branch": world.branch_a1.pk,
            "full_name": "phạm thị thu",
            "date_of_birth": "1990-02-03",
            "ethnicity": "Kinh",
            "joined_on": "08/03/2012",
            "id_number": "024190000123",
            "special_groups": ["young"],
        },
    )
    member = Member.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:member_detail", args=[member.pk])
    assert member.full_name == "Phạm Thị Thu" and member.joined_on == D(2012, 3, 8) and member.groups == ["young"]


def test_create_shows_field_errors_in_vietnamese(world, login):
    response = login(world.alice).post(
        reverse("members:member_create"),
        {"branch": world.branch_a1.pk, "full_name": "Bé", "date_of_birth": "2010-01-01", "ethnicity": "Kinh",
         "joined_on": "2020-01-01", "id_number": "12345"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "id_number" in form.errors
    assert not Member.objects.exists()
    response = login(world.alice).post(
        reverse("members:member_create"),
        {"branch": world.branch_a1.pk, "full_name": "Bé", "date_of_birth": "2010-01-01", "ethnicity": "Kinh",
         "joined_on": "2020-01-01"},
    )  # fmt: skip
    assert "dưới 18" in " ".join(response.context["form"].errors["date_of_birth"])


def test_create_in_a_branch_outside_scope_is_404(world, login):
    response = login(world.alice).get(reverse("members:member_create"), {"branch": world.branch_b1.pk})
    assert response.status_code == 404


def test_duplicate_id_in_form_links_to_her(world, people, login):
    response = login(world.alice).post(
        reverse("members:member_create"),
        {"branch": world.branch_a1.pk, "full_name": "Khác", "birth_year": "1970", "ethnicity": "Kinh",
         "joined_on": "2000-01-01", "id_number": people["ha"].id_number},
    )  # fmt: skip
    assert reverse("members:member_detail", args=[people["ha"].pk]).encode() in response.content


def test_transfer_and_leave_through_the_screens(world, people, login):
    client = login(world.alice)
    ha = people["ha"]
    page = client.get(reverse("members:member_transfer", args=[ha.pk]), {"q": "thon nam"})
    assert world.branch_b1 in page.context["form"].fields["to_branch"].queryset
    response = client.post(
        reverse("members:member_transfer", args=[ha.pk]),
        {"to_branch": world.branch_b1.pk, "transfer_on": "2024-05-01", "confirm": "on"},
    )
    assert response.status_code == 302
    request = TransferRequest.objects.get()
    # charlie sees it in his inbox and accepts; alice cannot accept it.
    assert login(world.alice).post(reverse("members:transfer_decide", args=[request.pk, "accept"])).status_code == 404
    inbox = login(world.charlie).get(reverse("members:transfer_list"))
    assert [t.pk for t in inbox.context["incoming"]] == [request.pk]
    login(world.charlie).post(reverse("members:transfer_decide", args=[request.pk, "accept"]))
    ha.refresh_from_db()
    assert ha.branch == world.branch_b1

    lan = people["lan"]
    url = reverse("members:member_leave", args=[lan.pk])
    client = login(world.bob)
    response = client.post(url, {"kind": "left", "reason": "work", "left_on": "2024-06-01"})
    assert response.status_code == 200  # confirmation not ticked
    lan.refresh_from_db()
    assert lan.status == Status.ACTIVE
    client.post(url, {"kind": "left", "reason": "work", "left_on": "2024-06-01", "confirm": "on"})
    lan.refresh_from_db()
    assert lan.status == Status.LEFT and lan.left_on == D(2024, 6, 1)


def test_duplicates_page_and_merge(world, login):
    a = MemberFactory(branch=world.branch_a1, full_name="Đỗ Thị Hoa", date_of_birth=D(1980, 1, 1), phone="0912000000")
    b = MemberFactory(branch=world.branch_a1, full_name="DO THI HOA", date_of_birth=D(1980, 1, 1), id_number="")
    MemberFactory(branch=world.branch_b1, full_name="Đỗ Thị Hoa", date_of_birth=D(1980, 1, 1))
    page = login(world.alice).get(reverse("members:duplicate_list"))
    groups = page.context["groups"]
    assert len(groups) == 1 and {m.pk for m in groups[0].members} == {a.pk, b.pk}
    assert login(world.charlie).get(reverse("members:duplicate_list")).context["groups"] == []
    response = login(world.alice).post(reverse("members:duplicate_merge"), {"member": [a.pk, b.pk], "confirm": "yes"})
    assert response.status_code == 302
    assert Member.objects.filter(pk__in=[a.pk, b.pk]).count() == 1


def test_charlie_cannot_merge_alices_members(world, login):
    a = MemberFactory(branch=world.branch_a1)
    b = MemberFactory(branch=world.branch_a1)
    login(world.charlie).post(reverse("members:duplicate_merge"), {"member": [a.pk, b.pk], "confirm": "yes"})
    assert Member.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_unit_page_shows_member_counts(world, people, login):
    response = login(world.bob).get(reverse("branches:unit_detail", args=[world.district_a.pk]))
    assert response.context["member_total"] == 2
    counts = {child.pk: child.member_count for child in response.context["children"]}
    assert counts == {world.commune_a1.pk: 1, world.commune_a2.pk: 1}
