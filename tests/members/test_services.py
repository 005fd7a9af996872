import datetime

import pytest
from django.core.exceptions import ValidationError

from members import selectors, services
from members.constants import EventKind, RequestStatus, Status
from members.models import Member, MergeRequest, TransferRequest
from tests.factories import MemberFactory

D = datetime.date


def test_create_normalises_and_records_joining(world):
    member = services.member_create(
        branch=world.branch_a1,
        full_name="  TRẦN  thị   hà ",
        date_of_birth=D(1980, 5, 2),
        joined_on=D(2010, 1, 1),
        id_number="24180000001",
        phone="01683456789",
        special_groups=["young", "trader"],
        actor=world.alice,
    )
    assert member.full_name == "Trần Thị Hà"
    assert member.name_folded == "tran thi ha"
    assert member.birth_year == 1980
    assert member.id_number == "024180000001"
    assert member.phone == "0383456789"
    assert member.groups == ["young", "trader"]
    assert [e.kind for e in member.events.all()] == [EventKind.JOINED]
    assert member.memberships.get().started_on == D(2010, 1, 1)


def test_under_18_on_joining_day_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.member_create(
            branch=world.branch_a1, full_name="Lê Thị Nhỏ", date_of_birth=D(2000, 6, 2), joined_on=D(2018, 6, 1)
        )
    assert "date_of_birth" in error.value.message_dict
    assert not Member.objects.exists()
    # One day later she is 18.
    services.member_create(
        branch=world.branch_a1, full_name="Lê Thị Nhỏ", date_of_birth=D(2000, 6, 2), joined_on=D(2018, 6, 2)
    )


def test_year_of_birth_alone_is_enough(world):
    member = services.member_create(
        branch=world.branch_a1, full_name="Hà Thị Mai", birth_year=1955, joined_on=D(1990, 3, 8)
    )
    assert member.date_of_birth is None and member.birth_year == 1955


def test_duplicate_id_links_to_her_when_in_scope(world):
    existing = MemberFactory(branch=world.branch_a1, id_number="024170000001")
    with pytest.raises(ValidationError) as error:
        services.member_create(
            branch=world.branch_a1, full_name="Khác", birth_year=1970, joined_on=D(2000, 1, 1),
            id_number="024170000001", actor=world.alice,
        )  # fmt: skip
    message = error.value.message_dict["id_number"][0]
    assert f"/members/{existing.pk}/" in message and existing.full_name in message


def test_duplicate_id_out_of_scope_does_not_leak_her(world):
    existing = MemberFactory(branch=world.branch_b1, id_number="024170000002")
    with pytest.raises(ValidationError) as error:
        services.member_create(
            branch=world.branch_a1, full_name="Khác", birth_year=1970, joined_on=D(2000, 1, 1),
            id_number="024170000002", actor=world.alice,
        )  # fmt: skip
    message = error.value.message_dict["id_number"][0]
    assert existing.full_name not in message and str(existing.pk) not in message
    assert world.branch_b1.name not in message


def test_create_outside_scope_is_refused(world):
    with pytest.raises(ValidationError):
        services.member_create(
            branch=world.branch_b1, full_name="Ngoài", birth_year=1970, joined_on=D(2000, 1, 1), actor=world.alice
        )


def test_members_only_belong_to_branches(world):
    with pytest.raises(ValidationError):
        services.member_create(branch=world.commune_a1, full_name="Ở Xã", birth_year=1970, joined_on=D(2000, 1, 1))


def test_membership_on_a_date_follows_transfers_and_leaving(world):
    member = MemberFactory(branch=world.branch_a1, joined_on=D(2015, 1, 1))
    services.member_transfer(member=member, to_branch=world.branch_a2, transfer_on=D(2020, 6, 1), actor=world.bob)
    services.member_leave(member=member, left_on=D(2023, 3, 1), reason="marriage", actor=world.bob)

    def is_member(day, unit):
        return selectors.members_on(day, unit).filter(pk=member.pk).exists()

    assert not is_member(D(2014, 12, 31), world.province)
    assert is_member(D(2019, 12, 31), world.commune_a1) and not is_member(D(2019, 12, 31), world.commune_a2)
    assert is_member(D(2021, 12, 31), world.commune_a2) and not is_member(D(2021, 12, 31), world.commune_a1)
    assert is_member(D(2023, 2, 28), world.province) and not is_member(D(2023, 3, 1), world.province)
    assert selectors.member_counts_on(D(2021, 1, 1), world.province) == {world.branch_a2.pk: 1}
    member.refresh_from_db()
    assert member.status == Status.LEFT and member.leave_reason == "marriage"
    assert [e.kind for e in member.events.order_by("occurred_on")] == [
        EventKind.JOINED,
        EventKind.TRANSFERRED,
        EventKind.LEFT,
    ]


def test_transfer_outside_scope_waits_for_acceptance(world):
    member = MemberFactory(branch=world.branch_a1)
    request = services.member_transfer(
        member=member, to_branch=world.branch_b1, transfer_on=D(2024, 5, 1), actor=world.alice
    )
    assert isinstance(request, TransferRequest) and request.status == RequestStatus.PENDING
    member.refresh_from_db()
    assert member.branch == world.branch_a1
    with pytest.raises(ValidationError):
        services.transfer_accept(request=request, actor=world.alice)  # the sender cannot accept for the receiver
    services.transfer_accept(request=request, actor=world.charlie)
    member.refresh_from_db()
    assert member.branch == world.branch_b1
    assert selectors.members_on(D(2024, 4, 30), world.district_a).filter(pk=member.pk).exists()
    assert selectors.members_on(D(2024, 5, 1), world.district_b).filter(pk=member.pk).exists()


def test_refused_transfer_leaves_her_where_she_was(world):
    member = MemberFactory(branch=world.branch_a1)
    request = services.member_transfer(
        member=member, to_branch=world.branch_b1, transfer_on=D(2024, 5, 1), actor=world.alice
    )
    services.transfer_refuse(request=request, actor=world.charlie)
    member.refresh_from_db()
    assert member.branch == world.branch_a1 and member.status == Status.ACTIVE
    assert member.events.filter(kind=EventKind.TRANSFER_REFUSED).exists()


def test_transfer_date_before_her_current_branch_is_refused(world):
    member = MemberFactory(branch=world.branch_a1, joined_on=D(2015, 1, 1))
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to_branch=world.branch_a2, transfer_on=D(2014, 1, 1), actor=world.bob)


def test_former_member_cannot_be_transferred_or_leave_twice(world):
    member = MemberFactory(branch=world.branch_a1)
    services.member_record_death(member=member, died_on=D(2024, 1, 1), actor=world.alice)
    with pytest.raises(ValidationError):
        services.member_leave(member=member, left_on=D(2024, 2, 1), reason="other", actor=world.alice)
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to_branch=world.branch_a2, transfer_on=D(2024, 2, 1), actor=world.bob)
    with pytest.raises(ValidationError):
        services.member_rejoin(member=member, rejoined_on=D(2024, 3, 1), actor=world.alice)


def test_rejoining_leaves_a_gap_in_membership(world):
    member = MemberFactory(branch=world.branch_a1, joined_on=D(2010, 1, 1))
    services.member_leave(member=member, left_on=D(2018, 1, 1), reason="work", actor=world.alice)
    services.member_rejoin(member=member, rejoined_on=D(2021, 1, 1), actor=world.alice)
    member.refresh_from_db()
    assert member.status == Status.ACTIVE and member.left_on is None
    assert not selectors.members_on(D(2019, 6, 1), world.province).filter(pk=member.pk).exists()
    assert selectors.members_on(D(2022, 6, 1), world.province).filter(pk=member.pk).exists()


def test_update_keeps_rules(world):
    member = MemberFactory(branch=world.branch_a1, date_of_birth=D(1980, 1, 1))
    other = MemberFactory(branch=world.branch_a1)
    with pytest.raises(ValidationError):
        services.member_update(member=member, id_number=other.id_number, actor=world.alice)
    with pytest.raises(ValidationError):
        services.member_update(member=member, joined_on=D(1990, 1, 1), actor=world.alice)  # she was 10
    services.member_update(member=member, full_name="phạm thị lan", joined_on=D(2001, 1, 1), actor=world.alice)
    member.refresh_from_db()
    assert member.full_name == "Phạm Thị Lan"
    assert member.memberships.get().started_on == D(2001, 1, 1)


def _twin(branch, **fields):
    """A second record of the same woman, as legacy data brings them (the services would refuse it)."""
    base = {"full_name": "Nguyễn Thị Hà", "birth_year": 1975, "joined_on": D(2000, 1, 1)}
    base.update(fields)
    member = Member(branch=branch, status=Status.ACTIVE, **base)
    member.save()
    member.memberships.create(branch=branch, started_on=member.joined_on)
    member.events.create(kind=EventKind.JOINED, occurred_on=member.joined_on, branch=branch)
    return member


def test_duplicates_by_id_and_by_name_and_birth(world):
    a = _twin(world.branch_a1, id_number="024175000001", phone="0912000001")
    b = _twin(world.branch_a1, id_number="024175000001", full_name="NGUYEN THI HA")
    c = _twin(world.branch_a1, full_name="Nguyễn Thị Hà", date_of_birth=D(1975, 4, 4))
    _twin(world.branch_a1, full_name="Nguyễn Thị Hà", date_of_birth=D(1975, 9, 9))
    _twin(world.branch_a2, full_name="Nguyễn Thị Hà")  # another commune: not the same woman by name alone
    groups = selectors.duplicate_groups(world.alice)
    by_id = [g for g in groups if g.reason == "id"]
    assert len(by_id) == 1 and {m.pk for m in by_id[0].members} == {a.pk, b.pk}
    by_name = [g for g in groups if g.reason == "name"]
    # Records with only the year fit each full date; the two full dates differ, so two clusters.
    assert sorted(len(g.members) for g in by_name) == [3, 3]
    assert sum(c.pk in {m.pk for m in g.members} for g in by_name) == 1
    assert all({a.pk, b.pk} <= {m.pk for m in g.members} for g in by_name)


def test_merge_keeps_the_richer_record_and_both_histories(world):
    rich = _twin(
        world.branch_a1, id_number="024175000001", phone="0912000001", address="Thôn Đông", joined_on=D(2005, 1, 1)
    )
    poor = _twin(world.branch_a1, id_number="024175000001", occupation="Nông dân", joined_on=D(2001, 1, 1))
    services.member_leave(member=poor, left_on=D(2003, 1, 1), reason="work", actor=world.alice)
    kept = services.member_merge(first=poor, second=rich, actor=world.alice)
    assert kept.pk == rich.pk
    assert not Member.objects.filter(pk=poor.pk).exists()
    kept.refresh_from_db()
    assert kept.occupation == "Nông dân"  # blank field filled from the other record
    assert kept.joined_on == D(2001, 1, 1)
    kinds = [e.kind for e in kept.events.order_by("occurred_on", "id")]
    assert kinds.count(EventKind.JOINED) == 2 and EventKind.LEFT in kinds and EventKind.MERGED in kinds
    # Her earlier, non-overlapping stretch now counts for the kept record.
    assert selectors.members_on(D(2002, 1, 1), world.province).filter(pk=kept.pk).exists()


def test_cross_commune_merge_needs_the_other_commune(world):
    mine = _twin(world.branch_a1, id_number="024175000009", phone="0912000009")
    theirs = _twin(world.branch_b1, id_number="024175000009")
    request = services.member_merge(first=mine, second=theirs, actor=world.alice)
    assert isinstance(request, MergeRequest) and request.status == RequestStatus.PENDING
    assert Member.objects.filter(pk=theirs.pk).exists()
    groups = selectors.duplicate_groups(world.alice)
    assert [m.pk for m in groups[0].members] == [mine.pk] and [m.pk for m in groups[0].hidden] == [theirs.pk]
    kept = services.merge_request_approve(request=request, actor=world.charlie)
    assert kept.pk == mine.pk and not Member.objects.filter(pk=theirs.pk).exists()


def test_district_user_merges_across_her_communes_at_once(world):
    a = _twin(world.branch_a1, id_number="024175000010")
    b = _twin(world.branch_a2, id_number="024175000010")
    kept = services.member_merge(first=a, second=b, actor=world.bob)
    assert isinstance(kept, Member)
    assert Member.objects.filter(id_number="024175000010").count() == 1


def test_holders_of_finds_each_number_once_with_her_branch(world):
    MemberFactory(branch=world.branch_a1, full_name="Lê Thị Một", id_number="024175000011")
    MemberFactory(branch=world.branch_b1, full_name="Lê Thị Hai", id_number="024175000022")
    MemberFactory(branch=world.branch_b1, id_number="")
    found = selectors.holders_of(["024175000022", "", "024175000011", "024175000022", "999999999999"])
    assert sorted((h["id_number"], h["full_name"], h["branch__name"], h["branch__path"]) for h in found) == [
        ("024175000011", "Lê Thị Một", world.branch_a1.name, world.branch_a1.path),
        ("024175000022", "Lê Thị Hai", world.branch_b1.name, world.branch_b1.path),
    ]
    assert selectors.holders_of([]) == [] and selectors.holders_of(["", ""]) == []


def test_bulk_create_names_the_holder_of_a_taken_number(world):
    holder = MemberFactory(branch=world.branch_a1, full_name="Đỗ Thị Có", id_number="024175000033")
    rows = [{"branch": world.branch_a1, "full_name": f"Người {n}", "birth_year": 1970, "joined_on": D(2000, 1, 1),
             "id_number": f"02417500010{n}"} for n in range(5)]  # fmt: skip
    rows[3]["id_number"] = holder.id_number
    with pytest.raises(ValidationError) as raised:
        services.members_bulk_create(rows=rows, actor=world.alice)
    assert "Đỗ Thị Có" in str(raised.value.message_dict["id_number"])
    assert Member.objects.count() == 1


def test_bulk_create_stores_many_statements_in_one_transaction(world, monkeypatch):
    from members import bulk

    monkeypatch.setattr(bulk, "STATEMENT_ROWS", 2)  # 7 rows: four statements, the staging table reused
    rows = [{"branch": world.branch_a1, "full_name": f"Người {n}", "birth_year": 1970, "joined_on": D(2000, 1, 1),
             "id_number": f"02417500020{n}"} for n in range(7)]  # fmt: skip
    assert services.members_bulk_create(rows=rows[:3], actor=world.alice) == 3
    assert services.members_bulk_create(rows=rows[3:], actor=world.alice) == 4
    stored = Member.objects.filter(id_number__startswith="02417500020")
    assert sorted(stored.values_list("full_name", flat=True)) == sorted(r["full_name"] for r in rows)
    assert all(m.memberships.count() == 1 and m.events.get().kind == "joined" for m in stored)
    assert Member.history.filter(id__in=stored.values("id"), history_type="+").count() == 7


def test_bulk_create_is_all_or_nothing(world):
    MemberFactory(branch=world.branch_a1, id_number="024175000077")
    rows = [
        {"branch": world.branch_a1, "full_name": "Một", "birth_year": 1970, "joined_on": D(2000, 1, 1)},
        {"branch": world.branch_a1, "full_name": "Hai", "birth_year": 1970, "joined_on": D(2000, 1, 1),
         "id_number": "024175000077"},
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.members_bulk_create(rows=rows, actor=world.alice)
    assert Member.objects.count() == 1
    assert services.members_bulk_create(rows=rows[:1], actor=world.alice) == 1
    created = Member.objects.get(full_name="Một")
    assert created.memberships.count() == 1 and created.events.get().kind == "joined"
    with pytest.raises(ValidationError):
        services.members_bulk_create(rows=[{**rows[0], "branch": world.branch_b1}], actor=world.alice)
