from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scope import Action, require
from branches.constants import Level

from .models import Cadre, Classification, Training

CLASSIFIED_LEVELS = (Level.COMMUNE, Level.BRANCH)


def _save(instance, actor, fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    require(actor, Action.ENTER, instance.unit)
    instance.full_clean()
    instance.save()
    return instance


def cadre_save(*, actor, cadre: Cadre | None = None, **fields) -> Cadre:
    if cadre is not None:
        require(actor, Action.ENTER, cadre.unit)
    member = fields.get("member")
    unit = fields.get("unit") or cadre.unit
    # A cadre's member record is in the unit's subtree (a district cadre belongs to some branch below it).
    if member is not None and not member.branch.path.startswith(unit.path):
        raise ValidationError({"member": _("This member does not belong to %(unit)s.") % {"unit": unit}})
    return _save(cadre or Cadre(), actor, fields)


def training_save(*, actor, training: Training | None = None, cadres=(), **fields) -> Training:
    if training is not None:
        require(actor, Action.ENTER, training.unit)
    training = _save(training or Training(created_by=actor), actor, fields)
    training.cadres.set(cadres)
    if not training.participants and cadres:
        training.participants = len(cadres)
        training.save(update_fields=["participants"])
    return training


def classify(*, actor, unit, year: int, grade: str) -> Classification:
    """Set (or correct) a commune union's or branch's grade for a year."""
    if unit.level not in CLASSIFIED_LEVELS:
        raise ValidationError({"unit": _("Only commune unions and branches are classified.")})
    require(actor, Action.ENTER, unit)
    classification, _created = Classification.objects.update_or_create(unit=unit, year=year, defaults={"grade": grade})
    return classification
