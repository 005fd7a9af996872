"""A unit picker of many units (a province's branches, the country's units) draws only the chosen unit and the
page answers the picker with the units matching what is typed: the field's own units, nothing outside the
user's scope, a commune's branches when it follows a commune picker."""

import re

import pytest

from common import forms as common_forms
from tests.factories import BranchFactory


@pytest.fixture
def few(monkeypatch):
    monkeypatch.setattr(common_forms, "PICKER_INLINE_MAX", 1)  # any picker of two units or more asks the page


def _options(page) -> list[str]:
    return re.findall(r"<option value=\"(\d*)\"", page.content.decode())


def _found(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return [row["text"] for row in response.json()["results"]]


def test_a_large_picker_draws_only_the_chosen_unit(world, login, few):
    client = login(world.bob)
    page = client.get("/members/new/")
    html = page.content.decode()
    assert 'data-picker-remote="1"' in html
    assert str(world.branch_a1.pk) not in _options(page) and str(world.branch_a2.pk) not in _options(page)
    # A form sent back with a mistake keeps her choice, and only hers.
    page = client.post("/members/new/", {"branch": world.branch_a2.pk, "full_name": ""})
    assert page.status_code == 200 and str(world.branch_a2.pk) in _options(page)
    assert str(world.branch_a1.pk) not in _options(page)


def test_few_units_are_all_drawn(world, login):
    page = login(world.bob).get("/members/new/")
    assert 'data-picker-remote="1"' not in page.content.decode()
    assert {str(world.branch_a1.pk), str(world.branch_a2.pk)} <= set(_options(page))


def test_the_page_answers_its_picker_with_the_field_s_units_only(world, login, few):
    bob = login(world.bob)
    assert _found(bob, "/members/new/", picker="branch", q="thon tan an") == ["Chi hội Thôn Đông"]
    assert sorted(_found(bob, "/members/new/", picker="branch", q="chi hoi")) == [
        "Chi hội Thôn Tây",
        "Chi hội Thôn Đông",
    ]
    assert _found(bob, "/members/new/", picker="branch", q="hoa lac") == []  # a branch of district B: not hers
    assert bob.get("/members/new/", {"picker": "nothing", "q": "a"}).status_code == 404
    assert bob.get("/members/new/", {"picker": "full_name", "q": "a"}).status_code == 404  # not a unit picker
    charlie = login(world.charlie)  # the same client, now hers
    assert _found(charlie, "/members/new/", picker="branch", q="thon tan an") == []
    assert _found(charlie, "/members/new/", picker="branch", q="hoa lac") == ["Chi hội Thôn Nam"]  # by its commune


def test_a_following_picker_lists_the_chosen_commune_s_branches(world, login, few):
    BranchFactory(parent=world.commune_a2, name="Chi hội Thôn Bắc")
    client = login(world.bob)
    found = _found(client, "/imports/", picker="branch", parent=world.commune_a2.pk, q="")
    assert sorted(found) == ["Chi hội Thôn Bắc", "Chi hội Thôn Tây"]
    assert _found(client, "/imports/", picker="branch", parent=world.commune_b1.pk, q="") == []  # not her commune
    assert client.get("/imports/", {"picker": "branch", "parent": "x"}).status_code == 404


def test_every_form_with_a_unit_picker_answers_it(world, login, few):
    client = login(world.province_admin)
    for url, name, text in [
        ("/users/new/", "unit", "tan an"),
        (f"/users/{world.bob.pk}/", "role-unit", "tan an"),
        ("/supervision/dialogues/new/", "unit", "tan an"),
        ("/supervision/supervisions/new/", "unit", "tan an"),
        ("/cadres/new/", "unit", "tan an"),
        ("/programmes/group/new/", "unit", "tan an"),
        ("/imports/", "commune", "tan an"),
        ("/cadres/trainings/new/", "unit", "tan an"),
        ("/cadres/classifications/", "unit", "tan an"),
        ("/programmes/group/import/", "unit", "tan an"),
    ]:
        assert "Xã Tân Ấn" in " ".join(_found(client, url, picker=name, q=text)), url


@pytest.mark.parametrize("odd", ["²", "99999999999999999999", "-1", "\x00", "%_%", "x" * 10_000, "  "])
def test_odd_picker_requests_are_refused_or_answered_never_an_error(world, login, few, odd):
    client = login(world.province_admin)
    for url, name in [("/members/new/", "branch"), ("/imports/", "branch"), (f"/users/{world.bob.pk}/", "role-unit")]:
        for params in ({"picker": name, "q": odd}, {"picker": name, "parent": odd}, {"picker": odd, "q": "a"}):
            response = client.get(url, params)
            assert response.status_code in (200, 400, 404), (url, params, response.status_code)  # 400: a NUL
            if response.status_code == 200 and response["Content-Type"] == "application/json":
                assert isinstance(response.json()["results"], list)
    # A wildcard typed is a letter like any other: it finds nothing rather than everything.
    assert _found(client, "/members/new/", picker="branch", q="%") == []


def test_a_province_s_many_branches_are_all_offered_by_typing(world, login):
    # Once a select of a province's branches was unusable, branches were left out of it above 300 units; the
    # picker now asks for what is typed, so every branch stays a choice (movement records, classifications).
    for n in range(320):
        BranchFactory(parent=world.commune_a1, name=f"Chi hội Tổ {n:03d}")
    client = login(world.province_admin)
    assert "Chi hội Tổ 317" in client.get("/programmes/group/new/").content.decode()  # drawn: under 500 units
    assert _found(client, "/programmes/group/new/", picker="unit", q="to 317") == ["Chi hội Tổ 317"]
    assert _found(client, "/cadres/classifications/", picker="unit", q="thon nam") == ["Chi hội Thôn Nam"]
