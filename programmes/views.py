"""Lists, forms and deletion of the programme records: the shared record views, with these types."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from branches.constants import LEAD_LEVELS
from branches.selectors import entry_units
from common.forms import picker_options
from common.xlsx import HEADER, XlsxStream
from supervision.views.records import RecordType

from . import filters, forms, importing, services, tables
from .forms import ImportForm
from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild

TABS = "programmes/_tabs.html"
IMPORT_LEVELS = [*LEAD_LEVELS]


def _type(key, model, form, save, argument, title, new_title, filterset, table):
    return RecordType(
        key=key, model=model, form=form, filterset=filterset, table=table, save=save, instance_arg=argument,
        title=title, new_title=new_title, branches=True, namespace="programmes", tabs=TABS, importable=True,
    )  # fmt: skip


GROUP = _type(
    "group", Group, forms.GroupForm, services.group_save, "group",
    gettext_lazy("Groups, clubs and models"), gettext_lazy("New group, club or model"),
    filters.GroupFilterSet, tables.GroupTable,
)  # fmt: skip
CREDIT = _type(
    "credit", CreditStatement, forms.CreditForm, services.credit_save, "statement",
    gettext_lazy("Credit and savings"), gettext_lazy("New credit statement"),
    filters.CreditFilterSet, tables.CreditTable,
)  # fmt: skip
AWARD = _type(
    "award", Award, forms.AwardForm, services.award_save, "award",
    gettext_lazy("Emulation and awards"), gettext_lazy("New award"),
    filters.AwardFilterSet, tables.AwardTable,
)  # fmt: skip
TASK = _type(
    "task", KeyTask, forms.TaskForm, services.task_save, "task",
    gettext_lazy("Key tasks and works"), gettext_lazy("New key task or work"),
    filters.TaskFilterSet, tables.TaskTable,
)  # fmt: skip
CONTEST = _type(
    "contest", Contest, forms.ContestForm, services.contest_save, "contest",
    gettext_lazy("Contests"), gettext_lazy("New contest"),
    filters.ContestFilterSet, tables.ContestTable,
)  # fmt: skip
CHARITY = _type(
    "charity", Charity, forms.CharityForm, services.charity_save, "charity",
    gettext_lazy("Charity"), gettext_lazy("New charity record"),
    filters.CharityFilterSet, tables.CharityTable,
)  # fmt: skip
HOUSE = _type(
    "house", House, forms.HouseForm, services.house_save, "house",
    gettext_lazy("Houses built and repaired"), gettext_lazy("New house"),
    filters.HouseFilterSet, tables.HouseTable,
)  # fmt: skip
CHILD = _type(
    "child", SponsoredChild, forms.ChildForm, services.child_save, "sponsored",
    gettext_lazy("Sponsored children"), gettext_lazy("New sponsored child"),
    filters.ChildFilterSet, tables.ChildTable,
)  # fmt: skip

RECORD_TYPES = [GROUP, CREDIT, AWARD, TASK, CONTEST, CHARITY, HOUSE, CHILD]


TYPES = {kind.key: kind for kind in RECORD_TYPES}


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request, key: str):
    """Records of one type from an Excel list: all rows or none, every problem named by sheet, row and column."""
    kind = TYPES[key]
    units = entry_units(request.user, IMPORT_LEVELS)
    if not units.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if options := picker_options(request, form):
        return options
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = importing.import_records(
            actor=request.user, kind=kind, data=upload.read(), filename=upload.name, units=units,
            default_unit=form.cleaned_data.get("unit"),
        )  # fmt: skip
        if not outcome.problems:
            messages.success(request, _("%(n)d records imported.") % {"n": outcome.saved})
            return redirect(reverse(f"{kind.url}_list"))
    return render(
        request,
        "programmes/import.html",
        {
            "kind": kind,
            "form": form,
            "outcome": outcome,
            "section": kind.key,
            "headings": importing.headings(kind, units),
        },
    )


@login_required
def import_template(request, key: str):
    """An empty list with the headings the import reads, to fill in."""
    kind = TYPES[key]
    units = entry_units(request.user, IMPORT_LEVELS)
    handle = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - closed by the response
    with XlsxStream(handle, str(kind.title)[:31]) as sheet:
        sheet.row(importing.headings(kind, units), HEADER)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"mau-{kind.key}.xlsx")
