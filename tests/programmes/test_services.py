"""Writes of the programme records: the unit must be in the writer's scope, and each record is valid whole."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild
from tests.programmes.factories import DAY, one_of_each

MODELS = {
    "group": Group, "credit": CreditStatement, "award": Award, "task": KeyTask, "contest": Contest,
    "charity": Charity, "house": House, "child": SponsoredChild,
}  # fmt: skip


def test_a_cadre_records_every_type_for_her_unit(world):
    records = one_of_each(world.commune_a1, world.alice, "Đông")
    for key, record in records.items():
        stored = MODELS[key].objects.get(pk=record.pk)
        assert stored.unit == world.commune_a1
        assert stored.created_by == world.alice


def test_no_record_for_a_unit_outside_ones_scope(world):
    with pytest.raises(ValidationError):
        one_of_each(world.commune_b1, world.alice)
    assert not any(model.objects.exists() for model in MODELS.values())


def test_no_change_to_another_units_record(world):
    group = one_of_each(world.commune_a1, world.alice)["group"]
    with pytest.raises(ValidationError):
        services.group_save(actor=world.charlie, group=group, name="Đổi tên")
    with pytest.raises(ValidationError):  # nor moving it into one's own units
        services.group_save(actor=world.charlie, group=group, unit=world.commune_b1)
    group.refresh_from_db()
    assert group.name == "CLB " and group.unit == world.commune_a1


def test_a_group_is_not_dissolved_before_it_was_founded(world):
    with pytest.raises(ValidationError) as error:
        services.group_save(
            actor=world.alice, unit=world.commune_a1, kind="club", name="CLB", founded_on=DAY,
            dissolved_on=DAY - datetime.timedelta(days=1),
        )  # fmt: skip
    assert "dissolved_on" in str(error.value) or "__all__" in error.value.message_dict


def test_amounts_are_never_negative(world):
    with pytest.raises(ValidationError) as error:
        services.charity_save(actor=world.alice, unit=world.commune_a1, campaign="Tết", given_on=DAY, value=-1)
    assert "value" in error.value.message_dict


def test_one_credit_statement_per_unit_source_and_day(world):
    fields = {"unit": world.commune_a1, "source": "vbsp", "as_of": DAY, "outstanding": 1}
    services.credit_save(actor=world.alice, **fields)
    with pytest.raises(ValidationError):
        services.credit_save(actor=world.alice, **fields)
    assert CreditStatement.objects.count() == 1
