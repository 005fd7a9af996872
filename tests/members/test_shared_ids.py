"""``Member.shares_id`` (another record holds the same ID number) stays true to the register after every kind of
write that gives, changes or takes away a number: legacy records saved as they come, corrections one by one and
in bulk, merges, erasure on request and deletion. The duplicates page reads it."""

import datetime
import random

import pytest
from django.db.models import Count

from members import selectors, services
from members.constants import EventKind, Status
from members.models import Member

POOL = ["024175000001", "024175000002", "024175000003", ""]  # few numbers, so that records share them


def _legacy(branch, number: str, n: int) -> Member:
    """A record as an old list brought it: saved as it is (the services would refuse a taken number)."""
    member = Member(branch=branch, status=Status.ACTIVE, full_name=f"Nguyễn Thị Cũ {n}", birth_year=1950 + n % 20,
                    joined_on=datetime.date(2000, 1, 1), id_number=number)  # fmt: skip
    member.save()
    member.memberships.create(branch=branch, started_on=member.joined_on)
    member.events.create(kind=EventKind.JOINED, occurred_on=member.joined_on, branch=branch)
    return member


def _true_to_the_register() -> None:
    counts = dict(Member.objects.exclude(id_number="").order_by().values_list("id_number").annotate(n=Count("id")))
    for pk, number, flag in Member.objects.values_list("pk", "id_number", "shares_id"):
        assert flag == (bool(number) and counts[number] > 1), (pk, number, flag)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_shared_number_flag_follows_every_write(world, seed):
    rng = random.Random(seed)
    branches = [world.branch_a1, world.branch_a2, world.branch_b1]
    for n in range(6):
        _legacy(rng.choice(branches), rng.choice(POOL), n)
    _true_to_the_register()
    for step in range(30):
        members = list(Member.objects.order_by("pk"))
        action = rng.choice(["legacy", "correct", "clear", "bulk", "merge", "erase", "delete"])
        member = rng.choice(members)
        if action == "legacy":
            _legacy(rng.choice(branches), rng.choice(POOL), 100 + step)
        elif action == "correct":  # a cadre types a number no one holds
            services.member_update(member=member, id_number=f"0241760{step:05d}")
        elif action == "clear":
            services.member_update(member=member, id_number="")
        elif action == "bulk":  # an import's corrections, some onto numbers others hold
            chosen = rng.sample(members, min(3, len(members)))
            services.members_bulk_update(changes={m.pk: {"id_number": rng.choice(POOL)} for m in chosen})
        elif action == "merge" and len(members) > 1:
            other = rng.choice([m for m in members if m.pk != member.pk])
            services.member_merge(first=member, second=other)
        elif action == "erase":
            services.member_anonymise(member=member, actor=world.province_admin, reason="Bà yêu cầu xoá")
        elif action == "delete" and len(members) > 1:
            member.delete()
        _true_to_the_register()


def test_the_duplicates_page_reads_the_flag_within_the_users_scope(world):
    mine = _legacy(world.branch_a1, POOL[0], 1)
    theirs = _legacy(world.branch_b1, POOL[0], 2)
    _legacy(world.branch_b1, POOL[1], 3)
    groups = [g for g in selectors.duplicate_groups(world.alice) if g.reason == "id"]
    assert [([m.pk for m in g.members], [m.pk for m in g.hidden]) for g in groups] == [([mine.pk], [theirs.pk])]
    Member.objects.filter(pk=theirs.pk).update(shares_id=False)  # the flag, not the numbers, says who shares
    Member.objects.filter(pk=mine.pk).update(shares_id=False)
    assert [g for g in selectors.duplicate_groups(world.alice) if g.reason == "id"] == []


def test_a_record_saved_as_it_was_read_does_not_bring_back_an_old_flag(world):
    first = _legacy(world.branch_a1, POOL[0], 1)
    second = _legacy(world.branch_a1, POOL[0], 2)
    stale = Member.objects.get(pk=first.pk)  # read while the two share a number
    assert stale.shares_id
    services.members_bulk_update(changes={second.pk: {"id_number": POOL[1]}})
    stale.notes = "Ghi chú mới"
    stale.save()  # a full save of the record as it was read
    _true_to_the_register()
    assert not Member.objects.get(pk=first.pk).shares_id
