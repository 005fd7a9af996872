from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import unit_picker

from .constants import UnitType
from .models import Unit
from .selectors import list_units


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200)
    code = forms.CharField(label=_("Official code"), max_length=20, required=False)
    unit_type = forms.ChoiceField(label=_("Unit type"), choices=UnitType.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label=_("Legal basis"), max_length=200, required=False)


class UnitMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label=_("New parent unit"), queryset=Unit.objects.none())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label=_("Legal basis"), max_length=200, required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class UnitMergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Unit.objects.none())
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label=_("Legal basis"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("I understand that this unit will be dissolved and its sub-units moved to the target."),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    women_18_plus = forms.IntegerField(label=_("Women aged 18 and over"), min_value=0, max_value=50_000_000)


class SubUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Official code"), max_length=20, required=False)
    unit_type = forms.ChoiceField(label=_("Unit type"), choices=UnitType.choices)
    valid_from = forms.DateField(label=_("Established on"), widget=DateInput, required=False)


class UnitFilterForm(forms.Form):
    """The unit a list is narrowed to (``?unit=``): a picker of the units the user may see above branch level,
    which asks the page for those matching what is typed when they are many (``common.forms.picker_options``)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, user, current: Unit | None = None):
        super().__init__(initial={"unit": current.pk if current else None})
        self.fields["unit"].queryset = list_units(user, current)
        unit_picker(self.fields["unit"], empty=_("All your units"))

    @property
    def several(self) -> bool:
        """Whether there is a choice to make at all (a branch's cadre sees one unit)."""
        return len(self.fields["unit"].widget.units()) > 1  # the units the picker draws: read once for both
