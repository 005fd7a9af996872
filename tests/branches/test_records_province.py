"""Records carry the province of their unit (``branches.records``), whatever wrote them (a service, the demo, a
record moved to another unit) and whatever moved their unit (a commune moved to another province, provinces
merged); a report of a province reads its own provinces' records only, and one of a province before a merger
still counts the records of its units, now in the merged province."""

import datetime

import pytest

from branches.records import province_models
from branches.selectors import province_ids
from branches.services import unit_merge, unit_move
from cadres import services as cadre_services
from cadres.demo import build_demo_cadres
from cadres.models import Term
from programmes import services as programme_services
from programmes.demo import build_demo_programmes
from reports.demo import build_demo_reports
from reports.selectors import annual
from supervision import services as supervision_services
from supervision.demo import build_demo_supervision
from supervision.models import Recommendation, Supervision
from tests.members.test_province import _country
from tests.supervision import factories as work

D = datetime.date


def assert_records_right() -> int:
    """Every record's province is its unit's; returns how many records were checked."""
    checked = 0
    for model in province_models():
        rows = list(model.objects.values_list("pk", f"{model.province_from}_id", "province_id"))
        expected = province_ids({unit for _pk, unit, _province in rows})
        wrong = [(pk, province, expected[unit]) for pk, unit, province in rows if province != expected[unit]]
        assert wrong == [], model.__name__
        checked += len(rows)
    return checked


def _work(province, seed: int) -> None:
    build_demo_supervision(province, seed=seed)
    build_demo_cadres(province, seed=seed)
    build_demo_programmes(province, seed=seed)


def test_every_record_writer_keeps_the_province_of_its_unit(db):
    root, provinces, branches = _country()
    for n, province in enumerate(provinces):
        _work(province, seed=n)
    build_demo_reports(provinces[0], seed=5)
    commune = branches[provinces[0].pk][0].parent
    supervision = work.supervision(commune, started_on=D(2024, 3, 1), ended_on=D(2024, 3, 1))
    work.recommendation(commune, of=supervision)
    programme_services.task_save(actor=None, unit=commune, kind="action", title="T", registered_on=D(2024, 4, 1))
    cadre_services.cadre_save(actor=None, unit=commune, term=Term.objects.get(name="2021–2026"),
                              full_name="Lê Thị Hạnh", position="chair")  # fmt: skip
    cadre_services.classify(actor=None, unit=branches[provinces[1].pk][0], year=2024, grade="strong")
    assert assert_records_right() > 1000  # the demo's work in three provinces, every table
    assert {model.__name__ for model in province_models()} >= {"Member", "Supervision", "CreditStatement", "Cadre"}

    # A supervision moved to a commune of another province takes its recommendations there.
    elsewhere = branches[provinces[2].pk][0].parent
    supervision_services.supervision_save(actor=None, supervision=Supervision.objects.get(pk=supervision.pk),
                                          unit=elsewhere)  # fmt: skip
    assert set(Recommendation.objects.filter(supervision=supervision).values_list("province", flat=True)) == {
        provinces[2].pk
    }
    assert_records_right()
    # A commune moves to another province; then two provinces merge (the reform).
    unit_move(unit=branches[provinces[0].pk][2].parent, new_parent=provinces[1], effective_on=D(2024, 6, 1))
    assert_records_right()
    unit_merge(sources=[provinces[2]], target=provinces[1], effective_on=D(2025, 7, 1))
    assert_records_right()
    for model in province_models():  # only the merged province's own records are still its (it keeps its path)
        rows = model.objects.filter(province=provinces[2]).exclude(**{model.province_from: provinces[2]})
        assert not rows.exists(), model.__name__


@pytest.mark.parametrize("seed", [1, 2])
def test_a_report_of_a_province_before_its_merger_counts_its_records_now_in_the_merged_one(db, seed):
    root, provinces, branches = _country()
    for n, province in enumerate(provinces):
        _work(province, seed=seed * 10 + n)
    build_demo_reports(provinces[2], seed=seed)
    span = annual.Span.year(2024)
    before = annual.build(provinces[2], span)
    assert annual.Tree(provinces[2], span.end).provinces == [provinces[2].pk]  # its own rows only
    assert before.figure("work.supervisions").value and before.figure("cadres.n").value
    assert any(key.startswith("indicator.") and f.value for key, f in before.figures.items())

    unit_merge(sources=[provinces[2]], target=provinces[1], effective_on=D(2025, 7, 1))
    provinces[2].refresh_from_db()
    tree = annual.Tree(provinces[2], span.end)
    assert tree.provinces == sorted([provinces[1].pk, provinces[2].pk])  # its units are in the merged one today
    now, then = annual.Tree.pair(provinces[2], span.end, span.previous().end)
    assert now.provinces == then.provinces == tree.provinces  # one read for the two trees of a report
    after = annual.build(provinces[2], span)
    # Targets are measured on today's tree (a merged province holds no units today), not on the tree as it stood.
    assert {k: f.value for k, f in after.figures.items() if not k.startswith("target")} == {
        k: f.value for k, f in before.figures.items() if not k.startswith("target")
    }
    assert [line.values for line in after.children] == [line.values for line in before.children]
    # The country reads every record, and its provinces of that year (each its own rows) add up to it.
    assert annual.Tree(root, span.end).provinces is None
    country = annual.build(root, span)
    for key in ("work.supervisions", "cadres.n", "work.recommendations.made", "charity.value"):
        parts = [annual.build(province, span).figure(key).value or 0 for province in provinces]
        assert country.figure(key).value == sum(parts) and all(parts), key
