from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Unit
from common.forms import unit_picker


class RoleForm(forms.Form):
    """A role: a unit (and its subtree) and what the user may do there."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Position"), max_length=120, required=False)
    can_enter = forms.BooleanField(label=_("May enter data"), required=False, initial=True)
    can_approve = forms.BooleanField(label=_("May approve"), required=False)
    can_administer = forms.BooleanField(label=_("May administer users and units"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        unit_picker(self.fields["unit"])


class UserCreateForm(RoleForm):
    """A new user with her first role."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9_.-]{3,60}$",
        error_messages={"invalid": _("3–60 letters without diacritics, digits, dots, dashes or underscores.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(label=_("First password"), widget=forms.PasswordInput, min_length=10)

    field_order = ["username", "full_name", "unit", "title", "password"]


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, min_length=10)
