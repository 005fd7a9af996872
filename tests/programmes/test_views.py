"""Screens of the programme records: scoped lists with filters and export, entry with amounts as cadres type them."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from programmes.models import CreditStatement, Group
from programmes.views import RECORD_TYPES
from tests.programmes.factories import DAY, one_of_each


@pytest.fixture
def records(world):
    return {
        "a": one_of_each(world.commune_a1, world.alice, "Tân Ấn"),
        "b": one_of_each(world.commune_b1, world.charlie, "Hòa Lạc"),
    }


@pytest.mark.parametrize("kind", RECORD_TYPES, ids=lambda kind: kind.key)
def test_each_list_shows_only_ones_own_units(records, login, kind):
    client = login(records["a"]["group"].created_by)  # alice
    body = client.get(reverse(f"programmes:{kind.key}_list")).content.decode()
    assert reverse(f"programmes:{kind.key}_edit", args=[records["a"][kind.key].pk]) in body
    assert reverse(f"programmes:{kind.key}_edit", args=[records["b"][kind.key].pk]) not in body
    assert "Hòa Lạc" not in body
    # Another commune's record is not found, not forbidden.
    assert client.get(reverse(f"programmes:{kind.key}_edit", args=[records["b"][kind.key].pk])).status_code == 404
    assert client.get(reverse(f"programmes:{kind.key}_edit", args=[records["a"][kind.key].pk])).status_code == 200


def test_a_district_sees_its_communes_records_and_not_the_other_district(world, records, login):
    client = login(world.bob)
    body = client.get(reverse("programmes:charity_list")).content.decode()
    assert "Tết Tân Ấn" in body and "Tết Hòa Lạc" not in body


def test_the_list_query_count_does_not_grow_with_the_records(world, login, django_assert_max_num_queries):
    client = login(world.alice)
    for n in range(3):
        one_of_each(world.commune_a1, world.alice, f"Nhóm {n}", day=DAY + datetime.timedelta(days=n))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("programmes:group_list"))
    for n in range(3, 23):
        one_of_each(world.commune_a1, world.alice, f"Thêm {n}", day=DAY + datetime.timedelta(days=n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("programmes:group_list"))


def test_a_credit_statement_is_entered_with_amounts_as_written(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("programmes:credit_create"),
        {
            "unit": world.commune_a1.pk, "source": "vbsp", "as_of": "31/12/2024", "outstanding": "3.152.000.000",
            "borrowers": "120", "households": "118", "groups": "4", "savings": "45.500.000", "disbursed": "0",
            "new_borrowers": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    statement = CreditStatement.objects.get()
    assert statement.outstanding == 3_152_000_000 and statement.savings == 45_500_000


def test_a_bad_amount_is_refused_with_a_message_on_its_field(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("programmes:group_create"),
        {"unit": world.commune_a1.pk, "kind": "club", "name": "CLB", "founded_on": "01/13/2024", "members": "-3"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"founded_on", "members"}
    assert not Group.objects.exists()


def test_a_cadre_cannot_enter_a_record_for_another_district(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("programmes:group_create"),
        {"unit": world.commune_b1.pk, "kind": "club", "name": "CLB", "founded_on": "01/02/2024", "members": "3"},
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Group.objects.exists()


def test_the_list_exports_to_excel(world, records, login):
    client = login(world.bob)
    response = client.get(reverse("programmes:house_list"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Bà Tân Ấn" in cells and "Bà Hòa Lạc" not in cells


def test_deleting_asks_first_and_then_deletes(world, records, login):
    client = login(world.alice)
    group = records["a"]["group"]
    url = reverse("programmes:group_delete", args=[group.pk])
    assert client.get(url).status_code == 200 and Group.objects.filter(pk=group.pk).exists()
    assert client.post(url).status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
