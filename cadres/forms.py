from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput

from .models import Cadre, Grade, Training


class CadreForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = [
            "unit", "term", "full_name", "position", "full_time", "meets_standard", "degree", "political_theory",
            "started_on", "ended_on",
        ]  # fmt: skip
        widgets = {"started_on": DateInput, "ended_on": DateInput}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["unit", "topic", "started_on", "ended_on", "participants", "cadres"]
        widgets = {"started_on": DateInput, "ended_on": DateInput, "cadres": forms.CheckboxSelectMultiple}

    def __init__(self, *args, units, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
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
