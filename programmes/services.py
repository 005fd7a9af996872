"""Writes of the programme records. Each saves through the one record rule of the work records (a live unit
of the user's scope, validated whole) and is deleted through ``supervision.services.record_delete``."""

from django.db import transaction

from accounts.scope import Action, require
from supervision.services import record_save

from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild


def _saver(model, argument: str):
    @transaction.atomic
    def save(*, actor, **fields):
        instance = fields.pop(argument, None)
        if instance is not None:
            require(actor, Action.ENTER, instance.unit)
        return record_save(instance or model(), actor, fields)

    save.__name__ = save.__qualname__ = f"{argument}_save"
    save.__doc__ = f"Create or change a {model._meta.verbose_name} of a unit in the actor's scope."
    return save


group_save = _saver(Group, "group")
credit_save = _saver(CreditStatement, "statement")
award_save = _saver(Award, "award")
task_save = _saver(KeyTask, "task")
contest_save = _saver(Contest, "contest")
charity_save = _saver(Charity, "charity")
house_save = _saver(House, "house")
child_save = _saver(SponsoredChild, "sponsored")
