"""A report above the provinces reads its trees down to the communes: the branches come in through the communes'
rows of the figures table and counts by the database. Its figures are those of the same report read whole, and
it lists (and checks) its units down to the communes only."""

import datetime
import random

import pytest

from branches.constants import Level, UnitType
from branches.services import population_set, unit_create
from branches.services.official import national_root
from cadres import services as cadre_services
from members import figures, services
from members.constants import LeaveReason
from reports.selectors import annual
from reports.selectors.checks import report_checks
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory

D = datetime.date
ABOVE_BRANCHES = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
SPANS = (annual.Span.year(2025), annual.Span.half(2025, 2))


def _country(rng: random.Random):
    """Two provinces (one with a district), their communes and branches, one branch with nobody; women 18+ for
    most units, and a commune without its own figure (its branches' sum stands for it)."""
    root = national_root(effective_on=D(2019, 1, 1))
    first, second = (ProvinceFactory(parent=root, name=f"Tỉnh {n}", code=f"7{n}") for n in range(2))
    district = DistrictFactory(parent=first, name="Huyện Một")
    communes = [CommuneFactory(parent=parent, name=f"Xã {n}") for n, parent in enumerate([district, district, second])]
    branches = [BranchFactory(parent=c, name=f"Chi hội {c.name}.{n}") for c in communes for n in range(3)]
    for year in (2024, 2025):
        for unit in (root, first, second, district, *communes[1:], *branches):
            population_set(unit=unit, year=year, women_18_plus=rng.randint(40, 90) * (8 if unit in communes else 1))
    members = [
        services.member_create(
            branch=rng.choice(branches[:-1]), full_name=f"Trần Thị {n}", birth_year=rng.randint(1950, 2000),
            joined_on=D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 1800)), is_core=rng.random() < 0.3,
        )
        for n in range(60)
    ]  # fmt: skip
    figures.rebuild(days=[D(year, 12, 31) for year in range(2019, 2026)])
    # In 2025: moves within a commune, between communes and provinces; leavings, a death, new members; strong units.
    for n, member in enumerate(rng.sample(members, 24)):
        day = D(2025, 1 + n % 11, 12)
        if n < 14:
            target = rng.choice([b for b in branches[:-1] if b.pk != member.branch_id])
            services.member_transfer(member=member, to_branch=target, transfer_on=day)
        elif n < 19:
            services.member_leave(member=member, left_on=day, reason=rng.choice(LeaveReason.values))
        elif n < 20:
            services.member_record_death(member=member, died_on=day)
        else:
            services.member_create(
                branch=rng.choice(branches[:-1]), full_name=f"Lê Thị {n}", birth_year=1990, joined_on=day
            )
    for unit in (communes[0], branches[1], branches[4]):
        cadre_services.classify(actor=None, unit=unit, year=2025, grade="strong")
    return root, communes, branches


def _everything(report: annual.Report) -> dict:
    return {
        "figures": {key: (f.value, f.previous) for key, f in report.figures.items()},
        "children": {line.unit_id: line.values for line in report.children},
        "tables": repr([(t.title, t.rows) for s in report.sections for t in s.tables]),
        "own": report.own,
        "below_floor": report.below_floor,
    }


def _whole(monkeypatch, unit, span) -> annual.Report:
    """The same report with every unit read and listed, as a province's report is."""
    with monkeypatch.context() as patch:
        patch.setattr(annual, "LISTED_DOWN_TO", {})
        return annual.build(unit, span)


def _pairs(monkeypatch) -> list[tuple[annual.Tree, annual.Tree]]:
    read, original = [], annual.Tree.pair.__func__
    monkeypatch.setattr(annual.Tree, "pair", classmethod(lambda cls, *a, **k: read.append(original(cls, *a, **k))
                                                         or read[-1]))  # fmt: skip
    return read


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_national_report_read_down_to_the_communes_has_the_figures_of_the_whole_tree(db, monkeypatch, seed):
    root, communes, branches = _country(random.Random(seed))
    for span in SPANS:
        whole = _whole(monkeypatch, root, span)
        read = _pairs(monkeypatch)
        report = annual.build(root, span)
        monkeypatch.undo()
        # One read of the trees, without a branch in them: the communes' rows stood for every branch.
        assert len(read) == 1 and read[0][0].trimmed
        assert not any(node.level == Level.BRANCH for tree in read[0] for node in tree.nodes.values())
        assert _everything(report) == _everything(whole), span
        assert report.figure("org.branches").value == len(branches)
        assert report.figure("org.strong_branches").value == 2 and report.figure("org.strong_communes").value == 1
        # Its units are listed, and checked, down to the communes.
        assert report.units == [line for line in whole.units if line.level in ABOVE_BRANCHES]
        assert {line.unit_id for line in whole.units} - {line.unit_id for line in report.units} == {
            b.pk for b in branches
        }
        women = {line.unit_id: line.women for line in report.units}
        assert (
            women[communes[0].pk]
            == sum(  # the commune with no figure of its own: its branches' sum
                line.women for line in whole.units if line.unit_id in {b.pk for b in branches[:3]}
            )
        )
        empty = branches[-1].pk
        assert any(c.code == "branch_without_members" and c.unit_id == empty for c in report_checks(whole))
        assert not any(c.code == "branch_without_members" for c in report_checks(report))
        commune_checks = [c for c in report_checks(whole) if c.unit_id not in {b.pk for b in branches}]
        assert report_checks(report) == commune_checks


def test_national_report_reads_its_trees_whole_when_a_commune_changed_its_branches(db, monkeypatch):
    root, communes, branches = _country(random.Random(5))
    unit_create(name="Chi hội Mới", level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=communes[1],
                valid_from=D(2025, 9, 1))  # fmt: skip
    span = SPANS[0]
    whole = _whole(monkeypatch, root, span)
    read = _pairs(monkeypatch)
    report = annual.build(root, span)
    monkeypatch.undo()
    assert len(read) == 2 and read[0][0].trimmed and not read[1][0].trimmed  # asked again, whole
    assert _everything(report) == _everything(whole)
    assert report.figure("org.branches").value == len(branches) + 1 and report.figure("org.created").value == 1
    assert all(line.level in ABOVE_BRANCHES for line in report.units)
