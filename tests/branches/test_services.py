import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from branches import services
from branches.constants import EventKind, Level
from branches.models import Lineage, ReorgEvent, Unit, UnitPeriod
from branches.selectors import level_counts_as_of, period_on, tree_as_of
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory

D2024 = datetime.date(2024, 12, 31)
REFORM = datetime.date(2025, 7, 1)
D2025 = datetime.date(2025, 12, 31)


def names_under(root, day):
    return sorted(p.name for p in tree_as_of(day, root).exclude(unit=root))


def test_path_is_chain_of_ids(world):
    assert (
        world.branch_a1.path == f"{world.province.pk}.{world.district_a.pk}.{world.commune_a1.pk}.{world.branch_a1.pk}."
    )
    assert set(Unit.objects.in_subtree(world.district_a)) == {
        world.district_a,
        world.commune_a1,
        world.commune_a2,
        world.branch_a1,
        world.branch_a2,
    }


def test_unit_cannot_become_its_own_ancestor(world):
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.district_a, new_parent=world.district_a, effective_on=REFORM)
    # A district cannot hang under one of its own communes either (level order and ancestry).
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.district_a, new_parent=world.commune_a1, effective_on=REFORM)


def test_branch_cannot_sit_above_commune(world):
    with pytest.raises(ValidationError):
        services.unit_create(name="Xã Lạ", level=Level.COMMUNE, unit_type="xa", parent=world.branch_a1)


def test_live_code_is_unique_but_reusable_after_dissolution(world):
    with pytest.raises(ValidationError):
        CommuneFactory(parent=world.district_b, code="91101")
    services.unit_merge(sources=[world.commune_a1], target=world.commune_a2, effective_on=REFORM)
    reused = CommuneFactory(parent=world.district_b, code="91101", name="Xã Mới")
    assert Unit.objects.filter(code="91101").count() == 2
    assert Unit.objects.active().get(code="91101") == reused


def test_rename_keeps_old_name_in_history(world):
    services.unit_rename(unit=world.commune_a1, name="Xã Tân Ấn Mới", effective_on=REFORM)
    assert period_on(world.commune_a1, D2024).name == "Xã Tân Ấn"
    assert period_on(world.commune_a1, D2025).name == "Xã Tân Ấn Mới"
    assert world.commune_a1.events.filter(kind=EventKind.RENAME).count() == 1


def test_move_rewrites_subtree_paths_and_keeps_old_placement(world):
    services.unit_move(unit=world.commune_a1, new_parent=world.district_b, effective_on=REFORM)
    world.branch_a1.refresh_from_db()
    assert world.branch_a1.path.startswith(world.district_b.path)
    # The branch itself did not move, but its place in the tree did: both states are kept.
    assert period_on(world.branch_a1, D2024).path.startswith(world.district_a.path)
    assert period_on(world.branch_a1, D2025).path.startswith(world.district_b.path)
    assert "Chi hội Thôn Đông" in names_under(world.district_a, D2024)
    assert "Chi hội Thôn Đông" not in names_under(world.district_a, D2025)


def test_merge_retires_sources_rehomes_branches_and_keeps_lineage(world):
    target = services.unit_merge(
        sources=[world.commune_a1, world.commune_a2],
        new_unit={
            "name": "Xã Tân Hưng",
            "code": "91101",
            "level": Level.COMMUNE,
            "unit_type": "xa",
            "parent": world.district_a,
        },
        effective_on=REFORM,
    )
    world.commune_a1.refresh_from_db()
    assert world.commune_a1.valid_to == REFORM
    assert set(target.children.all()) == {world.branch_a1, world.branch_a2}
    assert set(Lineage.objects.filter(successor=target).values_list("predecessor", flat=True)) == {
        world.commune_a1.pk,
        world.commune_a2.pk,
    }
    assert names_under(world.district_a, D2024) == [
        "Chi hội Thôn Tây",
        "Chi hội Thôn Đông",
        "Xã Tân Ấn",
        "Xã Đông Hưng",
    ]
    assert names_under(world.district_a, D2025) == ["Chi hội Thôn Tây", "Chi hội Thôn Đông", "Xã Tân Hưng"]
    with pytest.raises(ValidationError):
        services.unit_rename(unit=world.commune_a1, name="Không được", effective_on=D2025)


def test_split_requires_every_branch_allocated_and_keeps_lineage(world):
    extra = BranchFactory(parent=world.commune_a1, name="Chi hội Thôn Bắc")
    north = CommuneFactory(parent=world.district_a, name="Xã Bắc", code="91103", valid_from=REFORM)
    south = CommuneFactory(parent=world.district_a, name="Xã Nam", code="91104", valid_from=REFORM)
    with pytest.raises(ValidationError):
        services.unit_split(source=world.commune_a1, allocation={north: [extra], south: []}, effective_on=REFORM)
    assert world.commune_a1.is_active
    services.unit_split(
        source=world.commune_a1, allocation={north: [extra], south: [world.branch_a1]}, effective_on=REFORM
    )
    assert [b.name for b in north.children.all()] == ["Chi hội Thôn Bắc"]
    assert [b.name for b in south.children.all()] == ["Chi hội Thôn Đông"]
    assert set(Lineage.objects.filter(predecessor=world.commune_a1).values_list("successor", flat=True)) == {
        north.pk,
        south.pk,
    }
    assert "Xã Tân Ấn" in names_under(world.district_a, D2024)
    assert "Xã Tân Ấn" not in names_under(world.district_a, D2025)


def test_level_retire_hangs_communes_under_province_and_keeps_old_tree(world):
    dissolved = services.level_retire(root=world.province, level=Level.DISTRICT, effective_on=REFORM)
    assert dissolved == 2
    assert level_counts_as_of(D2024, world.province) == {"district": 2, "commune": 3, "branch": 3}
    assert level_counts_as_of(D2025, world.province) == {"commune": 3, "branch": 3}
    world.commune_a1.refresh_from_db()
    assert world.commune_a1.parent == world.province
    assert period_on(world.commune_a1, D2024).parent == world.district_a
    assert ReorgEvent.objects.filter(kind=EventKind.LEVEL_RETIRE, unit=world.province).exists()


def test_same_day_changes_make_one_period(world):
    services.unit_move(unit=world.commune_a1, new_parent=world.district_b, effective_on=REFORM)
    services.unit_rename(unit=world.commune_a1, name="Xã Tân Ấn B", effective_on=REFORM)
    periods = list(UnitPeriod.objects.filter(unit=world.commune_a1).order_by(F("valid_from").asc(nulls_first=True)))
    assert [(p.valid_from, p.valid_to, p.name) for p in periods] == [
        (None, REFORM, "Xã Tân Ấn"),
        (REFORM, None, "Xã Tân Ấn B"),
    ]


def test_retire_refuses_unit_with_live_children(world):
    with pytest.raises(ValidationError):
        services.unit_retire(unit=world.commune_a1, effective_on=REFORM)
    services.unit_retire(unit=world.branch_a1, effective_on=REFORM)
    services.unit_retire(unit=world.commune_a1, effective_on=REFORM)
    assert not Unit.objects.active().filter(pk=world.commune_a1.pk).exists()


def test_audit_trail_records_who_changed_what(world):
    services.unit_rename(unit=world.commune_a1, name="Xã Tân Ấn Hai", effective_on=REFORM, actor=world.bob)
    latest = world.commune_a1.history.order_by("-history_date").first()
    assert latest.history_user == world.bob
    assert latest.name == "Xã Tân Ấn Hai"
    assert latest.prev_record.name == "Xã Tân Ấn"


def test_population_is_one_figure_per_unit_and_year(world):
    services.population_set(unit=world.commune_a1, year=2024, women_18_plus=1200)
    services.population_set(unit=world.commune_a1, year=2024, women_18_plus=1250)
    assert list(world.commune_a1.populations.values_list("year", "women_18_plus")) == [(2024, 1250)]


def test_district_factory_builds_a_consistent_tree(db):
    district = DistrictFactory()
    assert district.parent.level == Level.PROVINCE
    assert district.path == f"{district.parent.pk}.{district.pk}."
