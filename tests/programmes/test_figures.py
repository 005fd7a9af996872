"""The report's programme figures against a count made here, in Python, over records generated at random."""

import datetime
import random
from collections import Counter

import pytest

from programmes import services
from reports.selectors import annual

SPAN = annual.Span.year(2024)
START, END = SPAN.start, SPAN.end


def _day(rng) -> datetime.date:
    return datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))


def _generate(world, rng):
    """Random records of every type in the units of the world; returns what was written, as plain tuples."""
    units = [world.province, world.district_a, world.district_b, world.commune_a1, world.commune_a2,
             world.commune_b1, world.branch_a1, world.branch_b1]  # fmt: skip
    written = {"groups": [], "credit": [], "awards": [], "tasks": [], "charity": [], "houses": [], "children": []}
    for _ in range(60):
        unit = rng.choice(units)
        kind = rng.choice(list(written))
        if kind == "groups":
            founded = _day(rng)
            dissolved = founded + datetime.timedelta(days=rng.randrange(600)) if rng.random() < 0.3 else None
            members = rng.randrange(50)
            services.group_save(actor=None, unit=unit, kind=rng.choice(["club", "cooperative"]), name="G",
                                founded_on=founded, dissolved_on=dissolved, members=members)  # fmt: skip
            written[kind].append((unit, founded, dissolved, members))
        elif kind == "credit":
            source, as_of = rng.choice(["vbsp", "microfinance"]), _day(rng)
            if any(u == unit and s == source and d == as_of for u, s, d, *_rest in written[kind]):
                continue
            outstanding, disbursed = rng.randrange(10**9), rng.randrange(10**8)
            services.credit_save(actor=None, unit=unit, source=source, as_of=as_of, outstanding=outstanding,
                                 disbursed=disbursed)  # fmt: skip
            written[kind].append((unit, source, as_of, outstanding, disbursed))
        elif kind == "awards":
            day, n, direction = _day(rng), rng.randrange(1, 5), rng.choice(["received", "given"])
            services.award_save(actor=None, unit=unit, awarded_on=day, kind="merit", level="province",
                                direction=direction, recipient_kind="individual", recipient="X", count=n)  # fmt: skip
            written[kind].append((unit, day, direction, n))
        elif kind == "tasks":
            day = _day(rng)
            done = day + datetime.timedelta(days=rng.randrange(300)) if rng.random() < 0.6 else None
            services.task_save(actor=None, unit=unit, kind="action", title="T", registered_on=day, completed_on=done)
            written[kind].append((unit, day, done))
        elif kind == "charity":
            day, value = _day(rng), rng.randrange(10**7)
            campaign = rng.choice(["Tết biên cương", "tết  Biên Cương", "Áo ấm"])
            services.charity_save(actor=None, unit=unit, campaign=campaign, given_on=day, value=value, gifts=3)
            written[kind].append((unit, day, value, campaign))
        elif kind == "houses":
            day = _day(rng)
            services.house_save(actor=None, unit=unit, kind="built", beneficiary="B", handed_over_on=day, value=7)
            written[kind].append((unit, day))
        else:
            start = _day(rng)
            end = start + datetime.timedelta(days=rng.randrange(800)) if rng.random() < 0.5 else None
            services.child_save(actor=None, unit=unit, child="C", started_on=start, ended_on=end)
            written[kind].append((unit, start, end))
    return written


def _expected(written, inside) -> Counter:
    """The figures as a clerk would count them from the lists, for the units ``inside`` accepts."""
    out: Counter = Counter()
    for unit, founded, dissolved, members in written["groups"]:
        if inside(unit) and founded <= END and (dissolved is None or dissolved > END):
            out["groups.n"] += 1
            out["groups.members"] += members
        if inside(unit) and START <= founded <= END:
            out["groups.new"] += 1
    latest = {}
    for unit, source, as_of, outstanding, disbursed in sorted(written["credit"], key=lambda row: row[2]):
        if not inside(unit):
            continue
        if END - datetime.timedelta(days=400) < as_of <= END:
            latest[(unit.pk, source)] = outstanding
        if START <= as_of <= END:
            out["credit.disbursed"] += disbursed
    out["credit.outstanding"] = sum(latest.values())
    for unit, day, direction, n in written["awards"]:
        if inside(unit) and START <= day <= END:
            out[f"awards.{direction}"] += n
    for unit, day, done in written["tasks"]:
        if inside(unit) and START <= day <= END:
            out["tasks.action.registered"] += 1
            out["tasks.action.completed"] += done is not None and done <= END
    campaigns = Counter()
    for unit, day, value, campaign in written["charity"]:
        if inside(unit) and START <= day <= END:
            out["charity.value"] += value
            campaigns["tet" if "biên" in campaign.lower() else campaign] += value
    out["campaigns"] = len(campaigns)
    out["houses.n"] = sum(1 for unit, day in written["houses"] if inside(unit) and START <= day <= END)
    out["children.sponsored"] = sum(
        1 for unit, start, end in written["children"] if inside(unit) and start <= END and (end is None or end >= END)
    )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_programme_figures_match_a_count_by_hand(world, seed):
    written = _generate(world, random.Random(seed))
    report = annual.build(world.province, SPAN)
    expected = _expected(written, lambda unit: True)
    campaigns = next(t for s in report.sections for t in s.tables if t.key == "campaigns")
    assert len(campaigns.rows) == expected.pop("campaigns")
    for key, value in expected.items():
        assert (report.figures[key].value or 0) == value, key

    # The line of district A is district A's own report, and that report counts only its subtree.
    line = next(child for child in report.children if child.unit_id == world.district_a.pk)
    district = annual.build(world.district_a, SPAN)
    in_a = _expected(written, lambda unit: unit.path.startswith(world.district_a.path))
    in_a.pop("campaigns")
    for key, value in in_a.items():
        assert line.values.get(key, 0) == value == (district.figures[key].value or 0), key


def test_money_figures_are_marked_as_money(world):
    _generate(world, random.Random(4))
    figures = annual.build(world.province, SPAN).figures
    assert figures["credit.outstanding"].measure == "vnd"
    assert figures["charity.value"].measure == "vnd"
    assert figures["houses.n"].measure == ""


def test_tasks_and_contests_by_level(world):
    for unit in (world.province, world.district_a, world.district_a, world.commune_a1):
        services.task_save(actor=None, unit=unit, kind="action", title="T", registered_on=START, completed_on=END)
    figures = annual.build(world.province, SPAN).figures
    assert figures["tasks.action.completed"].value == 4
    assert figures["tasks.action.completed:province"].value == 1
    assert figures["tasks.action.completed:district"].value == 2
    assert figures["tasks.action.completed:commune"].value == 1


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_the_span_before_counted_by_level_has_the_totals_counted_by_unit(world, seed):
    """The span before a report's is folded as totals only, from rows by level: every figure, with its breakdown by
    level and its campaigns, is what the rows by unit give."""
    from common.text import fold as fold_text
    from reports.selectors.programmes import fold

    _generate(world, random.Random(seed))
    services.task_save(actor=None, unit=world.branch_a1, kind="action", title="T", registered_on=START,
                       completed_on=END)  # fmt: skip
    for span in (SPAN, annual.Span.year(2025), annual.Span.half(2024, 2)):
        tree = annual.Tree(world.province, span.end)
        by_unit, by_level = annual.Acc(tree), annual.Totals()  # the span's lines; the span before's totals
        names_by_unit, names_by_level = {}, {}
        fold(tree, span, by_unit, names=names_by_unit)
        fold(tree, span, by_level, names=names_by_level)
        assert +by_unit.total == +by_level and by_level  # records in every span
        # A campaign is named as one of its records wrote it (rows come in another order).
        assert {k: fold_text(v) for k, v in names_by_unit.items()} == {
            k: fold_text(v) for k, v in names_by_level.items()
        }
        if span == SPAN:
            assert by_level["tasks.action.completed:branch"] == 1  # a branch's task, by its level
