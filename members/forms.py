from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from branches.models import Unit
from common.forms import unit_picker
from common.params import parse_id

from . import normalize
from .constants import ETHNIC_GROUPS, RELIGIONS, LeaveReason, SpecialGroup
from .models import Member


def _normalised(normaliser, value):
    try:
        return normaliser(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


class MemberForm(forms.Form):
    """A member's profile. Browser checks (pattern, inputmode) mirror the server's, so a phone user sees them early."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput, required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        max_value=2100,
        required=False,
        help_text=_("Only when the full date of birth is not known."),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[(n, n) for n in ETHNIC_GROUPS], initial="Kinh")
    religion = forms.CharField(
        label=_("Religion"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"list": "religions"}),
        help_text=_("Leave empty for none."),
    )
    id_number = forms.CharField(
        label=_("ID number (CCCD/CMND)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{9}|\d{12}", "autocomplete": "off"}),
        help_text=_("12 digits (CCCD) or 9 digits (CMND)."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label=_("Address / village"), max_length=200, required=False)
    education = forms.CharField(
        label=_("Education"), max_length=20, required=False, help_text=_('E.g. "9/12", "12/12".')
    )
    qualification = forms.CharField(label=_("Qualification"), max_length=100, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput, initial=timezone.localdate)
    card_number = forms.CharField(label=_("Member card number"), max_length=30, required=False)
    is_core = forms.BooleanField(label=_("Core member"), required=False)
    special_groups = forms.MultipleChoiceField(
        label=_("Special groups"), choices=SpecialGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    religion_choices = RELIGIONS

    def clean_full_name(self):
        name = normalize.full_name(self.cleaned_data["full_name"])
        if not name:
            raise ValidationError(_("A member needs a name."))
        return name

    def clean_id_number(self):
        return _normalised(normalize.id_number, self.cleaned_data["id_number"])

    def clean_phone(self):
        return _normalised(normalize.phone, self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not data.get("date_of_birth") and not data.get("birth_year") and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", _("Give the date of birth, or at least the year."))
        return data

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("date_of_birth"):
            data["birth_year"] = data["date_of_birth"].year
        return data


class MemberCreateForm(MemberForm):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Unit.objects.none())

    field_order = ["branch"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        unit_picker(self.fields["branch"], empty="—")


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(
        label=_("Receiving branch"), queryset=Unit.objects.none(), widget=forms.RadioSelect
    )
    transfer_on = forms.DateField(label=_("Transfer date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm = forms.BooleanField(label=_("I confirm this transfer."))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches
        self.fields["to_branch"].label_from_instance = lambda unit: " – ".join(
            name for name in (unit.name, unit.parent.name if unit.parent_id else "") if name
        )


class TransferOutForm(forms.Form):
    destination = forms.CharField(label=_("Moving to (unit, province)"), max_length=200)
    transfer_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    confirm = forms.BooleanField(label=_("I confirm that her membership here ends on this date."))


class LeaveForm(forms.Form):
    KIND_LEFT = "left"
    KIND_DIED = "died"
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(KIND_LEFT, _("She leaves the Union")), (KIND_DIED, _("She has died"))],
        widget=forms.RadioSelect,
        initial=KIND_LEFT,
    )
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=[("", "—"), *LeaveReason.choices], required=False)
    left_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm = forms.BooleanField(label=_("I confirm that her membership ends on this date."))

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.KIND_LEFT and not data.get("reason"):
            self.add_error("reason", _("Choose a reason."))
        return data


class RejoinForm(forms.Form):
    rejoined_on = forms.DateField(label=_("Rejoined on"), widget=DateInput, initial=timezone.localdate)


class MemberPicker(forms.Widget):
    """Pick one member out of hundreds of thousands: a search box that asks the server, and the chosen id."""

    choices = ()  # set by the ModelChoiceField it serves, with that field's queryset

    def format_value(self, value):
        return "" if value in (None, "") else str(value)

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        label = ""
        # Only a member the form may offer gets a label: the field's own (scoped) queryset, never all members.
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        member_id = parse_id(str(value)) if value not in (None, "") else None
        if queryset is not None and member_id is not None:
            member = queryset.select_related("branch").filter(pk=member_id).first()
            label = member_label(member) if member else ""
            value = value if member else ""
        return format_html(
            '<div class="member-picker" data-lookup="{}" data-empty="{}">'
            '<input type="hidden" name="{}" value="{}" data-picker-value>'
            '<input type="search" id="{}" class="{}" value="{}" placeholder="{}" autocomplete="off" '
            'role="combobox" aria-expanded="false" aria-autocomplete="list" data-picker-input>'
            '<div class="list-group position-absolute shadow-sm member-picker-results" role="listbox" hidden '
            "data-picker-results></div></div>",
            reverse("members:member_lookup"),
            _("No member found in your units."),
            name,
            self.format_value(value),
            attrs.get("id", f"id_{name}"),
            attrs.get("class", "form-control"),
            label,
            _("Type a name, ID number or phone…"),
        )


def member_label(member: Member) -> str:
    return f"{member.full_name} ({member.birth_year}) – {member.branch.name}"


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("On whose request, and why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. her written request of 12/03/2026. Kept in the access log."),
    )
