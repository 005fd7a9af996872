"""The report's tree on two days read at once (``Tree.pair``) is the tree read day by day, through renames, moves,
merges, new and retired units, and for a root that moved or did not yet stand; the walks over it (lines, deepest
first) and the women 18+ summed up it."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.constants import Level, UnitType
from branches.models import UnitPopulation
from branches.services import unit_create, unit_merge, unit_move, unit_rename, unit_retire
from reports.selectors import annual
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
    for tree in (one, other):
        _walks_in_order(tree)


def _walks_in_order(tree: Tree) -> None:
    """Nodes in the order of their paths that day (each after its parent, whatever the database's collation);
    each unit's line is the root's child on its path; the deepest first puts every unit after all those below."""
    order = {unit_id: position for position, unit_id in enumerate(tree.nodes)}
    assert all(order[n.parent_id] < order[n.unit_id] for n in tree.nodes.values() if n.parent_id in order)
    for unit_id, node in tree.nodes.items():
        parts = node.path.split(".")
        assert tree.child_of(unit_id) == (int(parts[tree.depth]) if len(parts) > tree.depth + 1 else None)
    seen: set[int] = set()
    for node in tree.deepest_first:
        below = {n.unit_id for n in tree.nodes.values() if n.path.startswith(node.path) and n is not node}
        assert below <= seen
        seen.add(node.unit_id)


@pytest.mark.parametrize("before,day", list(itertools.combinations(DAYS, 2)))
def test_a_pair_of_trees_is_the_two_trees_read_apart(history, before, day):
    for root in (history.province, history.district_a, history.district_b, history.commune_a2, history.new_commune,
                 history.commune_b1, history.branch_a2):  # fmt: skip
        now, then = Tree.pair(root, day, before)
        _same(now, Tree(root, day))
        _same(then, Tree(root, before))


UNITS = ["province", "district_a", "district_b", "commune_a1", "commune_a2", "commune_b1", "branch_a1", "branch_a2",
         "branch_b1"]  # fmt: skip
# A unit's figures, one a year from 2017 to 2025 (None: no figure that year).
FIGURES = st.lists(st.none() | st.just(0) | st.integers(1, 500), min_size=9, max_size=9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(figures=st.fixed_dictionaries(dict.fromkeys(UNITS, FIGURES)))
def test_the_previous_totals_women_read_from_the_top_are_the_whole_trees(world, figures):
    # The previous span prints the root's women 18+ only: read from the top down, reading below a unit only where
    # it has no figure of its own (or of the five years before), it is the figure the whole tree's sum gives.
    with transaction.atomic():
        UnitPopulation.objects.all().delete()
        UnitPopulation.objects.bulk_create(
            UnitPopulation(unit=getattr(world, name), year=2017 + i, women_18_plus=n)
            for name, years in figures.items()
            for i, n in enumerate(years)
            if n is not None
        )
        for name in ("province", "district_a", "district_b", "commune_a1"):
            tree = Tree(getattr(world, name), datetime.date(2024, 12, 31))
            for year in (2023, 2024, 2025):
                assert annual._root_women(tree, year) == annual._women(tree, year).get(tree.root_id)
        transaction.set_rollback(True)
