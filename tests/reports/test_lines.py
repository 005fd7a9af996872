"""The report's records summed per line by the database: the same totals and lines as their rows per unit, folded
here over the tree as it stood (a unit's line is the unit directly below the root on its path that day)."""

import datetime
import random
from collections import Counter

import pytest

from branches.grouping import ByLine, ByUnit
from branches.models import UnitPeriod, alive_on_q
from branches.services import unit_move
from cadres import services as cadre_services
from cadres.demo import build_demo_cadres
from cadres.models import Term
from programmes import services as programme_services
from programmes.demo import build_demo_programmes
from reports.demo import build_demo_reports
from reports.models import Indicator
from reports.selectors import annual
from reports.selectors import programmes as programme_figures
from reports.selectors.indicators import indicator_figures, periods_of
from supervision.demo import build_demo_supervision
from tests.supervision import factories as work

SPANS = (annual.Span.year(2024), annual.Span.year(2025), annual.Span.half(2025, 2))


class UnitRows(annual.Acc):
    """The report's accumulator fed a row per unit, each folded into its line here."""

    @staticmethod
    def grouping(tree):
        return ByUnit(tree.ids_query, {node.unit_id: node.level for node in tree.nodes.values()})

    def level_of(self, unit_id):
        return self.tree.nodes[unit_id].level


def _records(world, seed: int) -> None:
    """The demo's work in the world, the root's own records too, and a commune that changes district mid-2025."""
    build_demo_supervision(world.province, seed=seed)
    build_demo_cadres(world.province, seed=seed)
    build_demo_programmes(world.province, seed=seed)
    rng = random.Random(seed)
    for year in (2024, 2025):
        day = datetime.date(year, rng.randrange(1, 13), 1)
        work.supervision(world.province, started_on=day, ended_on=day)
        work.dialogue(world.province, held_on=day, opinions=[work.opinion()])
        programme_services.task_save(actor=None, unit=world.province, kind="action", title="T", registered_on=day)
        cadre_services.cadre_save(actor=None, unit=world.province, term=Term.objects.get(name="2021–2026"),
                                  full_name="Lê Thị Hạnh", position="chair", started_on=day)  # fmt: skip
        cadre_services.classify(actor=None, unit=world.branch_a1, year=year, grade="strong")
    unit_move(unit=world.commune_a1, new_parent=world.district_b, effective_on=datetime.date(2025, 7, 1))


def _plain(acc) -> tuple[Counter, dict]:
    return +acc.total, {line: +counts for line, counts in acc.by_child.items() if +counts}


@pytest.mark.parametrize("seed", [11, 12])
def test_records_summed_per_line_are_their_rows_per_unit_folded(world, seed):
    _records(world, seed)
    for span in SPANS:
        tree = annual.Tree(world.province, span.end)
        per_line, per_unit = annual.Acc(tree), UnitRows(tree)
        for acc in (per_line, per_unit):
            annual._cadres(tree, span, acc)
            annual._work(tree, span, acc)
            programme_figures.fold(tree, span, acc)
            annual._strong(tree, span.end.year, acc)
        totals, lines = _plain(per_line)
        assert (totals, lines) == _plain(per_unit)
        assert totals["work.supervisions"] and totals["cadres.n"] and totals["org.strong_branches"]
        assert lines[None]["work.supervisions"] >= 1  # the root's own records, in no line
        # The commune that changed district counts in the district it was in at the span's end.
        moved = sum(lines.get(world.district_b.pk, Counter()).values())
        stayed = annual.Acc(tree).tree.line_of[world.commune_a1.pk]
        assert stayed == (world.district_a.pk if span.end.year == 2024 else world.district_b.pk) and moved


def test_line_keys_read_the_line_and_the_level():
    assert ByLine.parse("57:commune") == (57, "commune")
    assert ByLine.parse(":province") == (None, "province")
    assert ByLine.level("7:branch") == "branch"


@pytest.mark.parametrize("seed", [3, 4])
def test_indicators_per_line_are_each_line_s_own_figures(world, seed):
    build_demo_reports(world.province, seed=seed)
    unit_move(unit=world.commune_a1, new_parent=world.district_b, effective_on=datetime.date(2025, 7, 1))
    indicators = list(Indicator.objects.order_by("code"))
    for span in SPANS:
        tree = annual.Tree(world.province, span.end)
        found = annual.indicator_values(tree, span, indicators)
        periods = periods_of(span.start, span.end)
        assert found.totals == indicator_figures(tree.ids_query, periods, indicators, pending=False).totals
        assert found.totals, "approved figures in every span"
        for child in tree.children():
            # The line's subtree as it stood at the span's end, counted alone.
            subtree = UnitPeriod.objects.filter(alive_on_q(span.end), path__startswith=child.path).values("unit_id")
            alone = indicator_figures(subtree, periods, indicators, pending=False).totals
            assert found.by_group.get(child.unit_id, {}) == alone
