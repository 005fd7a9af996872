"""Every figure the selectors give equals a count made independently, record by record, on generated data."""

import datetime
from collections import Counter

import pytest

from supervision import selectors
from supervision.constants import CLOSED_STATUSES, CaseStatus
from supervision.demo import build_demo_supervision
from supervision.models import Case, Contribution, Dialogue, DraftReview, Opinion, Recommendation, Supervision

PERIODS = [
    (datetime.date(2019, 1, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
    (datetime.date(2024, 4, 1), datetime.date(2024, 9, 30)),
]


@pytest.fixture
def generated(world):
    build_demo_supervision(world.province, seed=7)
    return world


def _inside(unit, record_unit):
    return record_unit.path.startswith(unit.path)


def _expected(unit, start, end) -> selectors.Figures:
    """The figures recomputed in Python from every record, without the selectors' grouped queries."""
    fig = selectors.Figures()
    for s in Supervision.objects.select_related("unit"):
        if _inside(unit, s.unit) and start <= s.started_on <= end:
            fig.supervisions[(s.unit.level, s.kind)] += 1
            fig.supervision_roles[s.role] += 1
    for r in Recommendation.objects.select_related("unit"):
        if not _inside(unit, r.unit) or r.made_on > end:
            continue
        in_period = r.made_on >= start
        open_at_end = r.closed_on is None or r.closed_on > end
        fig.recommendations[(r.source, "made")] += in_period
        fig.recommendations[(r.source, "accepted")] += in_period and r.accepted_on is not None and r.accepted_on <= end
        fig.recommendations[(r.source, "resolved")] += in_period and r.status == "resolved" and r.closed_on <= end
        fig.recommendations[(r.source, "not_accepted")] += (
            in_period and r.status == "not_accepted" and r.closed_on <= end
        )
        fig.recommendations[(r.source, "open")] += open_at_end
        fig.recommendations[(r.source, "overdue")] += open_at_end and r.due_on < end
    for d in DraftReview.objects.select_related("unit"):
        if _inside(unit, d.unit) and start <= d.received_on <= end:
            fig.reviews[(d.kind, "count")] += 1
            fig.reviews[(d.kind, "opinions")] += d.opinions
            fig.reviews[(d.kind, "taken_up")] += d.taken_up in ("fully", "partly")
    for c in Contribution.objects.select_related("unit"):
        if _inside(unit, c.unit) and start <= c.given_on <= end:
            fig.contributions[(c.kind, "count")] += 1
            fig.contributions[(c.kind, "opinions")] += c.opinions
    for d in Dialogue.objects.select_related("unit"):
        if _inside(unit, d.unit) and start <= d.held_on <= end:
            fig.dialogues[(d.level, "count")] += 1
            fig.dialogues[(d.level, "participants")] += d.participants
    for o in Opinion.objects.select_related("dialogue__unit"):
        if _inside(unit, o.dialogue.unit) and start <= o.dialogue.held_on <= end:
            fig.opinions[(o.dialogue.level, o.field, o.outcome)] += 1
    for c in Case.objects.select_related("unit"):
        if _inside(unit, c.unit) and start <= c.received_on <= end:
            settled = c.settled_on is not None and c.settled_on <= end
            fig.cases[(c.kind, "received")] += 1
            fig.cases[(c.kind, "settled")] += settled and c.status == CaseStatus.SETTLED
            fig.cases[(c.kind, "not_settled")] += settled and c.status == CaseStatus.NOT_SETTLED
            fig.cases[(c.kind, "open")] += not settled
            if c.victim:
                fig.victims[c.victim] += 1
    return fig


def _clean(counter: Counter) -> dict:
    return {key: n for key, n in counter.items() if n}


@pytest.mark.parametrize(("start", "end"), PERIODS)
@pytest.mark.parametrize("unit_name", ["province", "district_a", "commune_a1", "commune_b1"])
def test_figures_equal_independent_counts(generated, unit_name, start, end):
    unit = getattr(generated, unit_name)
    got, want = selectors.figures(unit, start, end), _expected(unit, start, end)
    for name in selectors.Figures.__dataclass_fields__:
        assert _clean(getattr(got, name)) == _clean(getattr(want, name)), name
    assert got.supervisions_total > 0 or unit_name.startswith("commune")


def test_generated_data_has_every_state(generated):
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"sent", "accepted", "in_progress", "resolved", "not_accepted"}
    assert Recommendation.objects.filter(source="dialogue").exists()
    assert set(Opinion.objects.values_list("outcome", flat=True)) == {
        "answered",
        "committed",
        "resolved",
        "not_resolved",
    }


def test_children_lines_add_up_to_the_whole(generated, django_assert_max_num_queries):
    start, end = PERIODS[0]
    with django_assert_max_num_queries(10):
        lines = selectors.figures_by_child(generated.province, start, end)
    assert [unit for unit, _fig in lines][:2] == sorted(
        [generated.district_a, generated.district_b], key=lambda u: u.name
    )
    total = selectors.Figures()
    for _unit, piece in lines:
        total.add(piece)
    whole = selectors.figures(generated.province, start, end)
    for name in selectors.Figures.__dataclass_fields__:
        assert _clean(getattr(total, name)) == _clean(getattr(whole, name)), name
    by_unit = dict(lines)
    district = selectors.figures(generated.district_a, start, end)
    assert _clean(by_unit[generated.district_a].supervisions) == _clean(district.supervisions)
    # The province's own supervisions are a line of their own.
    assert (
        by_unit[generated.province].supervisions_total
        == Supervision.objects.filter(unit=generated.province, started_on__range=(start, end)).count()
    )


def test_follow_up_board_counts(generated):
    today = datetime.date(2025, 6, 30)
    scoped = Recommendation.objects.in_subtree(generated.district_a)
    board = selectors.follow_up_board(scoped, today)
    rows = list(scoped)
    is_open = [r for r in rows if r.status not in CLOSED_STATUSES]
    overdue = [r for r in is_open if r.due_on < today]
    assert board.totals["open"] == len(is_open)
    assert board.totals["overdue"] == len(overdue)
    assert board.totals["resolved"] == sum(r.status == "resolved" for r in rows)
    assert board.totals["due_soon"] == sum(today <= r.due_on <= today + datetime.timedelta(30) for r in is_open)
    assert sum(n for _label, n in board.by_age) == len(overdue)
    assert [r.pk for r in board.overdue] == [r.pk for r in sorted(overdue, key=lambda r: (r.due_on, r.pk))][:200]
    by_addressee = Counter(r.addressee for r in overdue)
    for row in board.by_addressee:
        assert row["overdue"] == by_addressee[row["addressee"]]
