from django import forms
from django.utils.translation import gettext_lazy as _

from branches.constants import Level
from branches.models import Unit
from common.collation import vi
from common.forms import unit_picker

from .table import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV, as the commune keeps it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt"}),
    )
    commune = forms.ModelChoiceField(label=_("Commune union"), queryset=Unit.objects.none())
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— from the file (a branch column or the sheet names) —"),
        help_text=_("Choose a branch when the whole file belongs to it."),
    )
    create_branches = forms.BooleanField(
        label=_("Create the branches the file names that the commune does not have yet"), required=False
    )

    def __init__(self, communes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].pk
        self.fields["branch"].queryset = (
            Unit.objects.active()
            .filter(parent__in=communes, level__in=[Level.BRANCH, Level.GROUP])
            .select_related("parent")
            .order_by(vi("parent__name"), vi("name"))
        )
        unit_picker(self.fields["commune"])
        unit_picker(self.fields["branch"])
        self.fields["branch"].widget.attrs["data-follows"] = "commune"


class MappingForm(forms.Form):
    """One select per column of a sheet: which field it holds."""

    sheet = forms.CharField(widget=forms.HiddenInput)
    save = forms.BooleanField(label=_("Remember this mapping for files with the same header"), required=False)

    def __init__(self, sheet: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["sheet"] = sheet["name"]
        choices = [("", _("— not imported —")), *((key, label) for key, label in FIELDS.items())]
        self.columns = []
        for column in sheet["columns"]:
            name = f"col_{column['index']}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column['letter']}: {column['header'] or '—'}", choices=choices, required=False
            )
            self.initial[name] = column["field"]
            self.columns.append((column, name))

    def mapping(self) -> dict[int, str]:
        return {column["index"]: self.cleaned_data.get(name) or "" for column, name in self.columns}
