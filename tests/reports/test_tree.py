"""The report's tree on two days read at once (``Tree.pair``) is the tree read day by day, through renames, moves,
merges, new and retired units, and for a root that moved or did not yet stand."""

import datetime
import itertools

import pytest

from branches.constants import Level, UnitType
from branches.services import unit_create, unit_merge, unit_move, unit_rename, unit_retire
from reports.selectors.annual import Tree

DAYS = [
    datetime.date(*day)
    for day in [(2021, 6, 30), (2022, 12, 31), (2023, 7, 1), (2023, 12, 31), (2024, 1, 1), (2024, 12, 31)]
] + [datetime.date(2025, 12, 31)]


@pytest.fixture
def history(world):
    """A province whose tree changes year after year."""
    new_commune = unit_create(name="Xã Mới Lập", level=Level.COMMUNE, unit_type=UnitType.COMMUNE,
                              parent=world.district_a, valid_from=datetime.date(2022, 1, 1))  # fmt: skip
    unit_create(name="Chi hội Thôn Mới", level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=new_commune,
                valid_from=datetime.date(2022, 1, 1))  # fmt: skip
    unit_rename(unit=world.branch_a1, name="Chi hội Thôn Đông Hải", effective_on=datetime.date(2023, 1, 1))
    unit_move(unit=world.commune_a2, new_parent=world.district_b, effective_on=datetime.date(2023, 7, 1))
    unit_merge(sources=[world.commune_b1], target=new_commune, effective_on=datetime.date(2024, 1, 1))
    unit_retire(unit=world.branch_a2, effective_on=datetime.date(2025, 1, 1))
    world.new_commune = new_commune
    return world


def _same(one: Tree, other: Tree) -> None:
    assert (one.exists, one.path, one.root_id, one.day) == (other.exists, other.path, other.root_id, other.day)
    assert one.nodes == other.nodes
    assert [n.unit_id for n in one.children()] == [n.unit_id for n in other.children()]


@pytest.mark.parametrize("before,day", list(itertools.combinations(DAYS, 2)))
def test_a_pair_of_trees_is_the_two_trees_read_apart(history, before, day):
    for root in (history.province, history.district_a, history.district_b, history.commune_a2, history.new_commune,
                 history.commune_b1, history.branch_a2):  # fmt: skip
        now, then = Tree.pair(root, day, before)
        _same(now, Tree(root, day))
        _same(then, Tree(root, before))
