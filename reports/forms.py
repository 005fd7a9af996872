import decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.constants import Level
from branches.forms import DateInput
from branches.models import Unit
from cadres.models import Term
from common.numbers import VietDecimalField
from common.params import year_range

from .constants import Comparison, IndicatorSection, TargetMetric, TargetSpan
from .models import Indicator, ReportingPeriod
from .selectors.annual import Span, check_span_dates, figure_choices


class ReportForm(forms.Form):
    """One number field per indicator of the unit's level; empty means "not reported"."""

    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicators, values: dict[int, decimal.Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"i{indicator.pk}"] = VietDecimalField(
                label=indicator.name,
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=2,
                initial=values.get(indicator.pk),
                help_text=indicator.get_measure_display(),
            )
        self.order_fields([*(f"i{i.pk}" for i in self.indicators), "note"])

    def values(self) -> dict[int, decimal.Decimal | None]:
        return {i.pk: self.cleaned_data.get(f"i{i.pk}") for i in self.indicators}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.ModelForm):
    level_choices = forms.MultipleChoiceField(
        label=_("Levels that enter it"),
        choices=[(level.value, level.label) for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH)],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "measure", "aggregation", "section", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level_choices"].initial = self.instance.level_list if self.instance.pk else ["district", "commune"]
        self.fields["section"].required = False  # movements, unless the office says otherwise

    def clean(self):
        data = super().clean()
        data["levels"] = "," + ",".join(data.pop("level_choices", [])) + ","
        data["section"] = data.get("section") or IndicatorSection.MOVEMENTS
        return data


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["kind", "year", "start", "end", "deadline"]
        widgets = {"start": DateInput, "end": DateInput, "deadline": DateInput}


class TargetForm(forms.Form):
    span = forms.ChoiceField(label=_("For"), choices=TargetSpan.choices)
    year = forms.IntegerField(label=_("Year (for a term: its first year)"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year of the term"), required=False, min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label=_("Target"), choices=TargetMetric.choices)
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.active(), required=False)
    figure = forms.ChoiceField(label=_("Figure"), required=False)
    comparison = forms.ChoiceField(label=_("Comparison"), choices=Comparison.choices, initial=Comparison.AT_LEAST)
    value = VietDecimalField(label=_("Target value"), min_value=0, max_digits=18, decimal_places=2)
    wording = forms.CharField(
        label=_("Wording"), required=False, max_length=300, help_text=_("The target as the resolution words it.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "—"), *figure_choices()]

    def clean(self):
        data = super().clean()
        if data.get("metric") == TargetMetric.INDICATOR and not data.get("indicator"):
            self.add_error("indicator", _("Choose the indicator."))
        if data.get("metric") == TargetMetric.FIGURE and not data.get("figure"):
            self.add_error("figure", _("Choose the figure."))
        if data.get("metric") != TargetMetric.INDICATOR:
            data["indicator"] = None
        if data.get("metric") != TargetMetric.FIGURE:
            data["figure"] = ""
        if data.get("span") == TargetSpan.YEAR or not data.get("end_year"):
            data["end_year"] = data.get("year")
        return data


class UnitPeriodForm(forms.Form):
    """Which unit and period a board shows."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.all(), required=False)


class SpanForm(forms.Form):
    """Which dates a report covers: a year, a half-year, a term or any dates."""

    KINDS = [("year", _("Year")), ("half", _("Six months")), ("term", _("Term")), ("custom", _("Dates"))]

    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    half = forms.TypedChoiceField(
        label=_("Half"), choices=[(1, _("First six months")), (2, _("Last six months"))], coerce=int, required=False
    )
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        kind, year = data.get("kind"), data.get("year") or timezone.localdate().year - 1
        if kind == "half":
            data["span"] = Span.half(year, data.get("half") or 1)
        elif kind == "term":
            term = data.get("term") or Term.objects.filter(start_year__lte=year).order_by("-start_year").first()
            if term is None:
                raise forms.ValidationError(_("Choose a term."))
            data["span"] = Span.term(term.start_year, term.end_year)
        elif kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Enter both dates."))
            try:
                check_span_dates(start, end)
            except ValueError:
                low, high = year_range()
                raise forms.ValidationError(
                    _("A report covers dates from %(low)s to %(high)s.") % {"low": low, "high": high}
                ) from None
            if end < start:
                self.add_error("end", _("The end comes before the start."))
            elif (end - start).days > 366 * 10:
                self.add_error("end", _("A report covers at most ten years."))
            else:
                data["span"] = Span("custom", start, end)
        else:
            data["span"] = Span.year(year)
        return data


class NarrativeForm(forms.Form):
    text = forms.CharField(label=_("Text of the report"), widget=forms.Textarea(attrs={"rows": 18}), max_length=50000)
