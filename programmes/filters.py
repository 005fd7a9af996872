"""The filters of the programme lists (django-filter FilterSets)."""

from django.utils.translation import gettext_lazy as _

from common.lists import ChoiceFilter, PeriodFilterSet, SearchFilter

from .constants import AwardKind, CreditSource, Direction, GroupKind, HouseKind, TaskKind
from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild


class GroupFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("name", "field", "note"))
    kind = ChoiceFilter(label=_("Kind"), choices=GroupKind.choices)

    class Meta:
        model, fields = Group, []


class CreditFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("note",))
    source = ChoiceFilter(label=_("Source"), choices=CreditSource.choices)

    class Meta:
        model, fields = CreditStatement, []


class AwardFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("recipient", "reason"))
    direction = ChoiceFilter(label=_("Received or given"), choices=Direction.choices)
    kind = ChoiceFilter(label=_("Kind"), choices=AwardKind.choices)

    class Meta:
        model, fields = Award, []


class TaskFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("title", "registered_with", "note"))
    kind = ChoiceFilter(label=_("Kind"), choices=TaskKind.choices)

    class Meta:
        model, fields = KeyTask, []


class ContestFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("title", "note"))

    class Meta:
        model, fields = Contest, []


class CharityFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("campaign", "note"))

    class Meta:
        model, fields = Charity, []


class HouseFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("beneficiary", "programme"))
    kind = ChoiceFilter(label=_("Built or repaired"), choices=HouseKind.choices)

    class Meta:
        model, fields = House, []


class ChildFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("child", "sponsor"))

    class Meta:
        model, fields = SponsoredChild, []
