import datetime

import pytest
from django.urls import reverse

from branches import services
from branches.constants import Level
from branches.models import Unit


def detail(unit):
    return reverse("branches:unit_detail", args=[unit.pk])


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        ("alice", ["commune_a1", "branch_a1"], ["district_a", "commune_a2", "commune_b1", "branch_b1", "province"]),
        ("bob", ["district_a", "commune_a1", "commune_a2", "branch_a2"], ["district_b", "commune_b1", "province"]),
        ("charlie", ["district_b", "commune_b1", "branch_b1"], ["district_a", "commune_a1", "branch_a1"]),
    ],
)
def test_unit_pages_are_scoped(world, login, username, visible, hidden):
    client = login(getattr(world, username))
    for name in visible:
        assert client.get(detail(getattr(world, name))).status_code == 200, name
    for name in hidden:
        assert client.get(detail(getattr(world, name))).status_code == 404, name


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(detail(world.commune_a1))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unit_page_shows_branches_counts_and_history(world, login):
    services.unit_rename(unit=world.commune_a1, name="Xã Tân Ấn Mới", effective_on=datetime.date(2025, 7, 1))
    response = login(world.bob).get(detail(world.commune_a1))
    html = response.content.decode()
    assert "Chi hội Thôn Đông" in html
    assert "Xã Tân Ấn" in html and "Xã Tân Ấn Mới" in html  # the old name stays in the history
    assert response.context["level_counts"] == [("Chi hội", 1)]


def test_unit_page_as_of_date_shows_old_children(world, login):
    services.level_retire(root=world.province, level=Level.DISTRICT, effective_on=datetime.date(2025, 7, 1))
    client = login(world.province_admin)
    old = client.get(detail(world.province), {"on": "2024-12-31"})
    assert [p.name for p in old.context["past_children"]] == ["Huyện Hòa Bình", "Huyện Tân An"]  # in Vietnamese order
    now = client.get(detail(world.province))
    assert {u.name for u in now.context["children"]} == {"Xã Tân Ấn", "Xã Đông Hưng", "Xã Hòa Lạc"}


def test_unit_page_query_count_does_not_grow_with_children(world, login, django_assert_max_num_queries):
    client = login(world.province_admin)
    client.get(detail(world.district_a))  # warm the session
    for i in range(30):
        services.unit_create(name=f"Xã Thêm {i}", level=Level.COMMUNE, unit_type="xa", parent=world.district_a)
    with django_assert_max_num_queries(16):
        response = client.get(detail(world.district_a))
    assert len(response.context["children"]) == 32


def test_search_ignores_diacritics_and_scope(world, login):
    response = login(world.bob).get(reverse("branches:unit_browser"), {"q": "tan an"})
    names = [u.name for u in response.context["results"]]
    assert names == ["Huyện Tân An", "Xã Tân Ấn"]
    response = login(world.charlie).get(reverse("branches:unit_browser"), {"q": "tan an"})
    assert list(response.context["results"]) == []


def test_browser_lists_own_root_units(world, login):
    response = login(world.alice).get(reverse("branches:unit_browser"))
    assert [u.name for u in response.context["roots"]] == ["Xã Tân Ấn"]
    assert response.context["roots"][0].child_count == 1


@pytest.mark.parametrize("view", ["unit_rename", "unit_move", "unit_merge", "unit_add_child"])
def test_admin_actions_are_404_outside_administered_scope(world, login, view):
    url = reverse(f"branches:{view}", args=[world.commune_a1.pk])
    assert login(world.bob).get(url).status_code == 200
    assert login(world.charlie).get(url).status_code == 404
    # Alice sees her commune but does not administer it.
    assert login(world.alice).get(url).status_code == 404
    assert login(world.charlie).post(url, {"name": "Xã Lấy Cắp", "effective_on": "2025-01-01"}).status_code == 404
    world.commune_a1.refresh_from_db()
    assert world.commune_a1.name == "Xã Tân Ấn"


def test_rename_through_the_form(world, login):
    response = login(world.bob).post(
        reverse("branches:unit_rename", args=[world.commune_a1.pk]),
        {"name": "Xã Tân Ấn Đông", "code": "91101", "unit_type": "xa", "effective_on": "2025-07-01"},
    )
    assert response.status_code == 302
    world.commune_a1.refresh_from_db()
    assert world.commune_a1.name == "Xã Tân Ấn Đông"
    assert world.commune_a1.history.first().history_user == world.bob


def test_merge_form_needs_confirmation_and_target_in_scope(world, login):
    url = reverse("branches:unit_merge", args=[world.commune_a1.pk])
    client = login(world.bob)
    unconfirmed = client.post(url, {"target": world.commune_a2.pk, "effective_on": "2025-07-01"})
    assert unconfirmed.status_code == 200
    outside = client.post(url, {"target": world.commune_b1.pk, "effective_on": "2025-07-01", "confirm": "on"})
    assert outside.status_code == 200  # not a choice for bob
    assert Unit.objects.get(pk=world.commune_a1.pk).is_active
    done = client.post(url, {"target": world.commune_a2.pk, "effective_on": "2025-07-01", "confirm": "on"})
    assert done.status_code == 302
    assert not Unit.objects.get(pk=world.commune_a1.pk).is_active
    assert world.branch_a1.__class__.objects.get(pk=world.branch_a1.pk).parent == world.commune_a2


def test_population_entry_scoped(world, login):
    url = reverse("branches:unit_population", args=[world.commune_a1.pk])
    assert login(world.charlie).post(url, {"year": 2024, "women_18_plus": 10}).status_code == 404
    assert login(world.alice).post(url, {"year": 2024, "women_18_plus": 1830}).status_code == 302
    assert world.commune_a1.populations.get(year=2024).women_18_plus == 1830


def test_add_branch_under_commune(world, login):
    response = login(world.bob).post(
        reverse("branches:unit_add_child", args=[world.commune_a1.pk]),
        {"name": "Chi hội Thôn Mới", "unit_type": "chi_hoi"},
    )
    assert response.status_code == 302
    child = Unit.objects.get(name="Chi hội Thôn Mới")
    assert (child.level, child.parent) == (Level.BRANCH, world.commune_a1)


def test_unknown_unit_is_a_friendly_404(world, login):
    response = login(world.alice).get(reverse("branches:unit_detail", args=[999999]))
    assert response.status_code == 404


def test_years_are_not_formatted_as_thousands(world, login):
    services.population_set(unit=world.commune_a1, year=2024, women_18_plus=12345)
    html = login(world.alice).get(detail(world.commune_a1)).content.decode()
    assert "<td>2024</td>" in html
    assert "12.345" in html  # Vietnamese thousands separator for figures
