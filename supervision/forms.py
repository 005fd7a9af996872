from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from common.forms import unit_picker

from .constants import (
    TRANSITIONS,
    CaseKind,
    CaseStatus,
    OpinionField,
    OpinionOutcome,
    RecommendationStatus,
)
from .models import Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision
from .services import OpinionData


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.parent.name})" if unit.parent_id else unit.name


class RecordForm(forms.ModelForm):
    """A record of a unit the user may enter data for; the unit list is given by the view."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(label=_("Unit"), queryset=units, empty_label=None)
        unit_picker(self.fields["unit"])
        self.order_fields(["unit"])
        for name, formfield in self.fields.items():
            if isinstance(formfield, forms.DateField):
                formfield.widget = DateInput()
            if isinstance(formfield.widget, forms.Textarea):
                formfield.widget.attrs["rows"] = 3
            if name in ("participants", "opinions"):
                formfield.widget.attrs.update({"inputmode": "numeric"})


class SupervisionForm(RecordForm):
    class Meta:
        model = Supervision
        fields = [
            "unit", "topic", "legal_basis", "kind", "role", "partners", "supervised_body",
            "started_on", "ended_on", "delegation", "findings",
        ]  # fmt: skip


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["addressee", "content", "made_on", "due_on"]
        widgets = {"made_on": DateInput, "due_on": DateInput, "content": forms.Textarea(attrs={"rows": 3})}


class RecommendationEditForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["addressee", "content", "due_on"]
        widgets = {"due_on": DateInput, "content": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("New status"), required=False)
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to resolve: say how it was resolved."),
    )
    evidence = forms.FileField(
        label=_("Evidence"), required=False, help_text=_("PDF, DOCX, XLSX, JPG or PNG, up to 10 MB.")
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        moves = TRANSITIONS[RecommendationStatus(recommendation.status)]
        self.fields["status"].choices = [
            ("", _("No change (%(status)s)") % {"status": recommendation.get_status_display()})
        ] + [(status.value, status.label) for status in moves]


class DialogueForm(RecordForm):
    class Meta:
        model = Dialogue
        fields = ["unit", "held_on", "topic", "place", "participants", "leaders", "note"]


class OpinionForm(forms.Form):
    """One opinion of a forum; a commitment also names who committed and by when."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field = forms.ChoiceField(label=_("Field"), choices=OpinionField.choices)
    content = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}))
    raised_by = forms.CharField(label=_("Raised by"), max_length=200, required=False)
    answer = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OpinionOutcome.choices)
    addressee = forms.CharField(label=_("Committed by"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput, required=False)

    def has_changed(self):
        # A new row without text is an unused row, whatever its selects show.
        if not self.initial and not (self.data.get(self.add_prefix("content")) or "").strip():
            return False
        return super().has_changed()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == OpinionOutcome.COMMITTED:
            if not (data.get("addressee") or "").strip():
                self.add_error("addressee", _("Who committed to act?"))
            if not data.get("due_on"):
                self.add_error("due_on", _("By when?"))
        return data

    def data_object(self) -> OpinionData:
        data = self.cleaned_data
        return OpinionData(
            id=data.get("id"),
            field=data["field"],
            content=data["content"],
            outcome=data["outcome"],
            raised_by=data.get("raised_by") or "",
            answer=data.get("answer") or "",
            addressee=data.get("addressee") or "",
            due_on=data.get("due_on"),
        )


# A forum hears tens of opinions; a forged form count must not make the page build thousands of forms.
OPINIONS_MAX = 150
OpinionFormSet = forms.formset_factory(
    OpinionForm, extra=0, can_delete=True, max_num=OPINIONS_MAX, absolute_max=OPINIONS_MAX, validate_max=True
)
NewOpinionFormSet = forms.formset_factory(
    OpinionForm, extra=1, can_delete=True, max_num=OPINIONS_MAX, absolute_max=OPINIONS_MAX, validate_max=True
)


class DraftReviewForm(RecordForm):
    class Meta:
        model = DraftReview
        fields = [
            "unit",
            "kind",
            "document",
            "requested_by",
            "received_on",
            "deadline",
            "opinions",
            "content",
            "taken_up",
        ]


class ContributionForm(RecordForm):
    class Meta:
        model = Contribution
        fields = ["unit", "kind", "given_on", "topic", "recipient", "opinions", "note"]


class CaseForm(RecordForm):
    class Meta:
        model = Case
        fields = ["unit", "kind", "received_on", "subject", "detail", "victim", "status", "settled_on"]

    def clean(self):
        data = super().clean()
        if data.get("kind") != CaseKind.ABUSE:
            data["victim"] = ""
        if data.get("status") == CaseStatus.OPEN:
            data["settled_on"] = None
        elif data.get("status") and not data.get("settled_on"):
            self.add_error("settled_on", _("When was it settled?"))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, JPG or PNG, up to 10 MB."))
