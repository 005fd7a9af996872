"""``Member.province``: every member carries the province her branch is in, whatever wrote her (a form, an
import, a bulk move, the demo) and whatever moved her branch (a commune moved to another province, provinces
merged in the 2025 reform); a province's member list reads only its province and shows what the subtree holds."""

import datetime
import random

import pytest
from django.test import Client

from accounts.models import Role
from branches.selectors import province_ids
from branches.services import unit_merge, unit_move
from branches.services.official import national_root
from members import selectors, services
from members.models import Member
from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    MemberFactory,
    ProvinceFactory,
    UserFactory,
)

D = datetime.date


def assert_provinces_right() -> None:
    rows = list(Member.objects.values_list("pk", "branch_id", "province_id"))
    expected = province_ids({branch for _pk, branch, _province in rows})
    wrong = [(pk, province, expected[branch]) for pk, branch, province in rows if province != expected[branch]]
    assert wrong == []


def _country():
    root = national_root(effective_on=D(2019, 1, 1))
    provinces = [ProvinceFactory(parent=root, name=f"Tỉnh {n}", code=f"9{n}") for n in range(3)]
    branches = {}
    for province in provinces:
        district = DistrictFactory(parent=province)
        communes = [CommuneFactory(parent=district), CommuneFactory(parent=province)]  # before and after 2025
        branches[province.pk] = [BranchFactory(parent=commune) for commune in communes for _ in range(2)]
    return root, provinces, branches


def _profile(n: int) -> dict:
    surname = ["Trần", "Lê", "Phạm", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"][n % 8]
    return {"full_name": f"{surname} Thị Hoa", "birth_year": 1980 + n % 20, "joined_on": D(2020, 1, 1 + n % 28)}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_writer_keeps_the_province_of_her_branch(db, seed):
    rng = random.Random(seed)
    root, provinces, branches = _country()
    everywhere = [b for bs in branches.values() for b in bs]
    members = [services.member_create(branch=rng.choice(everywhere), **_profile(n)) for n in range(12)]
    assert_provinces_right()
    assert Member.objects.filter(province__isnull=True).count() == 0

    for step in range(10):  # transfers across provinces and back, leavings and rejoinings elsewhere
        member = Member.objects.get(pk=rng.choice(members).pk)
        on = D(2021, 1, 1) + datetime.timedelta(days=step * 30)
        target = rng.choice([b for b in everywhere if b.pk != member.branch_id])
        if member.status == "active" and rng.random() < 0.7:
            services.member_transfer(member=member, to_branch=target, transfer_on=on)
        elif member.status == "active":
            services.member_leave(member=member, left_on=on, reason="personal")
        else:
            services.member_rejoin(member=member, rejoined_on=on, branch=target)
        assert_provinces_right()

    services.members_bulk_create(
        rows=[{**services.clean_profile(_profile(100 + n)), "branch": rng.choice(everywhere)} for n in range(8)]
    )
    assert_provinces_right()
    active = list(Member.objects.filter(status="active").order_by("pk")[:5])
    services.members_bulk_move(
        moves={m.pk: rng.choice([b for b in everywhere if b.pk != m.branch_id]) for m in active}, on=D(2024, 1, 1)
    )
    assert_provinces_right()

    # A commune moves to another province; then two provinces merge (the reform), and a new one is made of one.
    moved = branches[provinces[0].pk][2].parent
    unit_move(unit=moved, new_parent=provinces[1], effective_on=D(2024, 6, 1))
    assert_provinces_right()
    unit_merge(sources=[provinces[2]], target=provinces[1], effective_on=D(2025, 7, 1))
    assert_provinces_right()
    merged = unit_merge(
        sources=[provinces[0]],
        new_unit={"name": "Tỉnh Mới", "level": "province", "unit_type": provinces[0].unit_type, "parent": root},
        effective_on=D(2025, 7, 2),
    )
    assert_provinces_right()
    assert not Member.objects.filter(province_id__in=[provinces[0].pk, provinces[2].pk]).exists()
    assert (
        Member.objects.filter(province=merged).count()
        == Member.objects.filter(branch__path__startswith=merged.path).count()
    )


def _narrowed_to_province(members) -> bool:
    return '"members_member"."province_id" =' in str(members.query).split(" WHERE ", 1)[1]


def test_a_province_list_shows_its_subtree_and_nothing_of_other_provinces(db):
    root, provinces, branches = _country()
    for index, province in enumerate(provinces):
        for n, branch in enumerate(branches[province.pk]):
            services.member_create(branch=branch, **_profile(index * 10 + n))
    mine, other = provinces[0], provinces[1]
    user = UserFactory()
    Role.objects.create(user=user, unit=mine, can_enter=True)
    listed = selectors.member_list(user, unit=mine, query={"q": "hoa"})
    assert {m.branch_id for m in listed} == {b.pk for b in branches[mine.pk]}
    assert list(listed) == list(Member.objects.in_subtree(mine).search("hoa").order_by("sort_key", "id"))
    assert _narrowed_to_province(listed)
    # With no unit named, her only scope decides; a district's list reads its province's stretch as well.
    assert {m.branch_id for m in selectors.member_list(user, query={})} == {b.pk for b in branches[mine.pk]}
    district = branches[mine.pk][0].parent.parent
    assert {m.branch for m in selectors.member_list(user, unit=district)} == set(branches[mine.pk][:2])
    # The national list (no province) is not narrowed to one.
    central = UserFactory()
    Role.objects.create(user=central, unit=root)
    assert selectors.member_list(central, unit=root).count() == Member.objects.count()
    assert not _narrowed_to_province(selectors.member_list(central, unit=root))

    client = Client()
    client.force_login(user)
    page = client.get("/members/", {"unit": mine.pk, "q": "hoa"})
    assert page.status_code == 200
    assert page.content.decode().count("Thị Hoa") >= len(branches[mine.pk])
    assert client.get("/members/", {"unit": other.pk, "q": "hoa"}).status_code == 404


@pytest.mark.django_db
def test_an_empty_list_of_values_matches_nothing():
    from common.bulk import among

    MemberFactory()
    assert not Member.objects.filter(pk__in=among([])).exists()
    assert Member.objects.filter(pk__in=among([Member.objects.get().pk])).count() == 1


def test_a_transfer_offers_and_accepts_only_branches_of_her_province_under_the_central_union(db):
    root, provinces, branches = _country()
    member = services.member_create(branch=branches[provinces[0].pk][0], **_profile(1))
    cadre = UserFactory()
    Role.objects.create(user=cadre, unit=root, can_enter=True)
    client = Client()
    client.force_login(cadre)
    url = f"/members/{member.pk}/transfer/"
    elsewhere = branches[provinces[1].pk][0]
    offered = client.get(url, {"q": elsewhere.name}).context["form"].fields["to_branch"].queryset
    assert elsewhere not in offered
    assert (
        branches[provinces[0].pk][2]
        in client.get(url, {"q": branches[provinces[0].pk][2].name}).context["form"].fields["to_branch"].queryset
    )
    refused = client.post(url, {"to_branch": elsewhere.pk, "transfer_on": "01/06/2024", "note": "", "confirm": "on"})
    assert refused.status_code == 200 and "to_branch" in refused.context["form"].errors
    assert Member.objects.get(pk=member.pk).branch_id == member.branch_id
    home = branches[provinces[0].pk][1]
    moved = client.post(url, {"to_branch": home.pk, "transfer_on": "01/06/2024", "note": "", "confirm": "on"})
    assert moved.status_code == 302 and Member.objects.get(pk=member.pk).branch_id == home.pk


def test_a_whole_province_is_listed_by_its_column_and_a_part_of_it_by_the_scope(db):
    root, provinces, branches = _country()
    for index, province in enumerate(provinces):
        for n, branch in enumerate(branches[province.pk]):
            services.member_create(branch=branch, **_profile(index * 10 + n))
    mine = provinces[0]
    head = UserFactory()
    Role.objects.create(user=head, unit=mine)
    listed = selectors.member_list(head, unit=mine, query={})
    assert list(listed) == list(Member.objects.in_subtree(mine).order_by("sort_key", "id"))
    # No join on the branches' paths: the province's stretch of the name index, in list order.
    assert "path" not in str(listed.query).split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    # A district's cadre who asks for her whole province still sees her district only.
    district = branches[mine.pk][0].parent.parent
    cadre = UserFactory()
    Role.objects.create(user=cadre, unit=district)
    assert {m.branch for m in selectors.member_list(cadre, unit=mine, query={})} == set(branches[mine.pk][:2])
    assert not selectors.member_list(UserFactory(), unit=mine, query={}).exists()
