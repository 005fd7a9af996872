from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from common.forms import ModelMultipleChoiceField, unit_picker
from members.forms import MemberPicker

from .models import Cadre, Grade, Training


class CadreForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = [
            "unit", "term", "member", "full_name", "position", "full_time", "meets_standard", "degree",
            "political_theory", "started_on", "ended_on",
        ]  # fmt: skip
        widgets = {"started_on": DateInput, "ended_on": DateInput, "member": MemberPicker}
        help_texts = {"member": _("When she is a member: her name, position and record stay linked.")}

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        unit_picker(self.fields["unit"])
        self.fields["unit"].empty_label = None
        self.fields["member"].queryset = members
        self.fields["full_name"].required = False

    def clean(self):
        cleaned = super().clean()
        # Her name comes from her member record when one is picked.
        if cleaned.get("member") and not cleaned.get("full_name"):
            cleaned["full_name"] = cleaned["member"].full_name
        if not cleaned.get("full_name") and "full_name" not in self.errors:
            self.add_error("full_name", _("Enter her name or pick her member record."))
        return cleaned


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["unit", "topic", "started_on", "ended_on", "participants", "cadres"]
        widgets = {"started_on": DateInput, "ended_on": DateInput, "cadres": forms.CheckboxSelectMultiple}
        field_classes = {"cadres": ModelMultipleChoiceField}

    def __init__(self, *args, units, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
        unit_picker(self.fields["unit"])
        self.fields["cadres"].queryset = cadres


class ClassificationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        unit_picker(self.fields["unit"])
