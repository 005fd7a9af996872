"""Suspected duplicates by name: the same accent-folded name and birth year in one commune, within the user's
scope, commune by commune up to the page's limit. Checked against a count made here on random registers, for
users of a commune, of a district and of the province."""

import datetime
import random
from collections import defaultdict

import pytest

from members import selectors
from members.constants import EventKind, Status
from members.models import Member
from tests.factories import BranchFactory

NAMES = ["Lê Thị An", "LE THI AN", "Lê Thị Bình", "Lê Thị Cúc", "Lê Thị Dung"]  # folded alike: the first two
YEARS = [1970, 1971]


def _record(branch, full_name: str, year: int, day: int | None) -> Member:
    born = datetime.date(year, 1, day) if day else None
    member = Member(branch=branch, status=Status.ACTIVE, full_name=full_name, birth_year=year, date_of_birth=born,
                    joined_on=datetime.date(2000, 1, 1))  # fmt: skip
    member.save()
    member.memberships.create(branch=branch, started_on=member.joined_on)
    member.events.create(kind=EventKind.JOINED, occurred_on=member.joined_on, branch=branch)
    return member


def _expected(user_units, limit: int) -> list[set[int]]:
    """The groups the page should show, worked out from the records themselves."""
    paths = [unit.path for unit in user_units]
    by_key = defaultdict(list)
    for member in Member.objects.select_related("branch").order_by("pk"):
        if any(member.branch.path.startswith(path) for path in paths):
            by_key[(member.branch.parent_id, member.name_folded, member.birth_year)].append(member)
    groups = []
    for key in sorted(k for k, members in by_key.items() if len(members) > 1)[:limit]:
        members = by_key[key]
        dated = sorted({m.date_of_birth for m in members if m.date_of_birth})
        undated = [m for m in members if not m.date_of_birth]
        clusters = [members] if len(dated) <= 1 else [[m for m in members if m.date_of_birth == d] + undated
                                                       for d in dated]  # fmt: skip
        groups += [{m.pk for m in cluster} for cluster in clusters if len(cluster) > 1]
    return groups


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_same_name_groups_match_a_count_of_the_register(world, seed):
    rng = random.Random(seed)
    second_a1 = BranchFactory(parent=world.commune_a1, name="Chi hội Thôn Bắc")  # a commune of two branches
    branches = [world.branch_a1, second_a1, world.branch_a2, world.branch_b1]
    for _ in range(40):
        _record(rng.choice(branches), rng.choice(NAMES), rng.choice(YEARS), rng.choice([None, None, 5, 9]))
    users = [
        (world.alice, [world.commune_a1]),
        (world.bob, [world.district_a]),
        (world.charlie, [world.district_b]),
        (world.province_admin, [world.province]),
    ]
    for user, units in users:
        for limit in (200, 3):
            found = [
                {m.pk for m in group.members}
                for group in selectors.duplicate_groups(user, limit=limit)
                if group.reason == "name"
            ]
            assert found == _expected(units, limit), (user.username, limit)


def test_same_name_in_two_communes_is_not_a_group(world):
    _record(world.branch_a1, "Lê Thị An", 1970, None)
    _record(world.branch_a2, "Lê Thị An", 1970, None)
    assert [g for g in selectors.duplicate_groups(world.province_admin) if g.reason == "name"] == []
