from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import unit_picker
from common.numbers import VietDecimalField
from supervision.forms import RecordForm

from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild


class ProgrammeForm(RecordForm):
    """Amounts in đồng are typed as cadres write them ("1.780.000.000")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, formfield in list(self.fields.items()):
            if isinstance(formfield, forms.DecimalField):
                self.fields[name] = VietDecimalField(
                    label=formfield.label, help_text=formfield.help_text, required=formfield.required,
                    min_value=0, max_digits=18, decimal_places=0,
                )  # fmt: skip
            elif isinstance(formfield, forms.IntegerField):
                formfield.widget.attrs.update({"inputmode": "numeric"})
        # A count or an amount left empty is its default (0), as the model says; nobody must type the zeros.
        self.defaults = {}
        for name, formfield in self.fields.items():
            model_field = self._meta.model._meta.get_field(name) if name in self._meta.fields else None
            if model_field is not None and model_field.has_default():
                formfield.required = False
                self.defaults[name] = model_field.get_default()

    def clean(self):
        data = super().clean()
        for name, default in self.defaults.items():
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = default
        return data


class GroupForm(ProgrammeForm):
    class Meta:
        model = Group
        fields = ["unit", "kind", "name", "field", "founded_on", "dissolved_on", "members", "note"]


class CreditForm(ProgrammeForm):
    class Meta:
        model = CreditStatement
        fields = [
            "unit", "source", "as_of", "outstanding", "borrowers", "households", "groups", "savings",
            "disbursed", "new_borrowers", "note",
        ]  # fmt: skip


class AwardForm(ProgrammeForm):
    class Meta:
        model = Award
        fields = ["unit", "direction", "kind", "level", "recipient_kind", "recipient", "count", "awarded_on", "reason"]


class TaskForm(ProgrammeForm):
    class Meta:
        model = KeyTask
        fields = ["unit", "kind", "title", "registered_on", "registered_with", "completed_on", "value", "note"]


class ContestForm(ProgrammeForm):
    class Meta:
        model = Contest
        fields = ["unit", "title", "held_on", "participants", "entries", "note"]


class CharityForm(ProgrammeForm):
    class Meta:
        model = Charity
        fields = ["unit", "campaign", "given_on", "value", "gifts", "beneficiaries", "note"]


class HouseForm(ProgrammeForm):
    class Meta:
        model = House
        fields = ["unit", "kind", "programme", "beneficiary", "handed_over_on", "value", "beneficiaries"]


class ChildForm(ProgrammeForm):
    class Meta:
        model = SponsoredChild
        fields = ["unit", "child", "birth_year", "sponsor", "started_on", "ended_on", "monthly"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file"), help_text=_("xlsx, xls, ods or csv; the first row of headings is read.")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False,
        help_text=_("For rows without a unit column, or with it empty."),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        unit_picker(self.fields["unit"])
