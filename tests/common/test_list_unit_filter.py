"""The unit filter above the lists of work and cadres is a unit picker: a few units are all drawn; the national
user's thousands are not, and the page answers the picker with the units she may see above branch level."""

import re

import pytest
from django.urls import reverse

from common import forms as common_forms
from tests.factories import BranchFactory, ProvinceFactory

LISTS = [
    "supervision:board",
    "supervision:figures",
    "supervision:supervision_list",
    "supervision:recommendation_list",
    "supervision:dialogue_list",
    "supervision:case_list",
    "cadres:cadre_list",
    "cadres:training_list",
]


def _options(html: str) -> set[str]:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no unit filter on the page"
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


def _found(client, url, q) -> set[int]:
    response = client.get(url, {"picker": "unit", "q": q})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return {int(row["value"]) for row in response.json()["results"]}


@pytest.mark.parametrize("name", LISTS)
def test_a_few_units_are_all_drawn_and_only_hers(world, login, name):
    ProvinceFactory(name="Tỉnh Khác")
    html = login(world.bob).get(reverse(name)).content.decode()
    units = _options(html)
    assert units == {str(u.pk) for u in (world.district_a, world.commune_a1, world.commune_a2)}
    assert 'data-picker="unit"' in html and 'data-picker-remote="1"' not in html


@pytest.mark.parametrize("name", LISTS)
def test_many_units_are_asked_for_and_the_answers_keep_to_her_scope(world, login, monkeypatch, name):
    monkeypatch.setattr(common_forms, "PICKER_INLINE_MAX", 1)
    client = login(world.bob)
    url = reverse(name)
    page = client.get(url, {"unit": world.commune_a2.pk})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-picker-remote="1"' in html
    assert _options(html) == {str(world.commune_a2.pk)}  # the chosen unit only
    a = {world.district_a.pk, world.commune_a1.pk, world.commune_a2.pk}
    assert _found(client, url, "tan an") == a  # by its name or its parent's
    assert _found(client, url, "91101") == {world.commune_a1.pk}  # by its code
    assert _found(client, url, "hoa") == set()  # district B and its commune: not hers
    assert _found(client, url, "thon") == set()  # branches are reached from their pages, not from the filter
    assert client.get(url, {"picker": "q", "q": "a"}).status_code == 404
    charlie = login(world.charlie)
    assert _found(charlie, url, "hoa") == {world.district_b.pk, world.commune_b1.pk}


def test_a_branch_s_list_keeps_the_branch_chosen(world, login, monkeypatch):
    monkeypatch.setattr(common_forms, "PICKER_INLINE_MAX", 1)
    BranchFactory(parent=world.commune_a1, name="Chi hội Thôn Giữa")
    html = login(world.bob).get(reverse("supervision:case_list"), {"unit": world.branch_a1.pk}).content.decode()
    assert _options(html) == {str(world.branch_a1.pk)}


def test_a_branch_cadre_has_no_choice_on_the_board(world, login):
    from accounts.models import Role
    from tests.factories import UserFactory

    cadre = UserFactory(username="chihoi")
    Role.objects.create(user=cadre, unit=world.branch_a1, can_enter=True)
    html = login(cadre).get(reverse("supervision:board")).content.decode()
    assert '<select name="unit"' not in html
