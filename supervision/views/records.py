"""The record types that share one list shape (a subtree, a period, filters, sorting, pages, an Excel export),
and their list, edit and delete views."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.scope import Action, scope_unit
from branches.constants import LEAD_LEVELS, Level
from branches.forms import UnitFilterForm
from branches.models import Unit
from branches.selectors import entry_units, leads_work
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure, filtered, xlsx_response

from .. import filters, forms, services, tables
from ..constants import (
    CLOSED_STATUSES,
)
from ..models import Case, Contribution, Dialogue, DraftReview, Supervision

PAGE_SIZE = 30


@dataclass
class RecordType:
    key: str
    model: Any
    form: Any
    filterset: Any  # a PeriodFilterSet
    table: Any  # a RecordTable
    save: Any  # the service: save(actor=, <instance_arg>=, **fields)
    instance_arg: str
    title: Any
    new_title: Any
    detail: str = ""  # url name of a detail page, else rows link to the edit form
    branches: bool = False  # whether branch unions record this kind
    namespace: str = "supervision"  # the app whose URLs serve it: "<namespace>:<key>_list" …
    tabs: str = "supervision/_tabs.html"
    annotate: Any = None  # queryset -> queryset with the columns' counts
    importable: bool = False  # whether "<url>_import" reads an Excel list of these records

    @property
    def url(self) -> str:
        return f"{self.namespace}:{self.key}"

    @property
    def row_url(self) -> str:
        return self.detail or f"{self.url}_edit"


RECORD_TYPES = {
    "supervision": RecordType(
        key="supervision",
        model=Supervision,
        form=forms.SupervisionForm,
        filterset=filters.SupervisionFilterSet,
        table=tables.SupervisionTable,
        save=services.supervision_save,
        instance_arg="supervision",
        title=gettext_lazy("Supervisions"),
        new_title=gettext_lazy("New supervision"),
        detail="supervision:supervision_detail",
        annotate=lambda records: records.annotate(
            n_recommendations=Count("recommendations"),
            n_open=Count("recommendations", filter=~Q(recommendations__status__in=CLOSED_STATUSES)),
        ),
    ),
    "review": RecordType(
        key="review",
        model=DraftReview,
        form=forms.DraftReviewForm,
        filterset=filters.DraftReviewFilterSet,
        table=tables.DraftReviewTable,
        save=services.draft_review_save,
        instance_arg="review",
        title=gettext_lazy("Social critique and comments on drafts"),
        new_title=gettext_lazy("New critique or comments on a draft"),
    ),
    "contribution": RecordType(
        key="contribution",
        model=Contribution,
        form=forms.ContributionForm,
        filterset=filters.ContributionFilterSet,
        table=tables.ContributionTable,
        save=services.contribution_save,
        instance_arg="contribution",
        title=gettext_lazy("Party and government building"),
        new_title=gettext_lazy("New contribution to Party and government building"),
    ),
    "case": RecordType(
        key="case",
        model=Case,
        form=forms.CaseForm,
        filterset=filters.CaseFilterSet,
        table=tables.CaseTable,
        save=services.case_save,
        instance_arg="case",
        title=gettext_lazy("Petitions, mediations and cases"),
        new_title=gettext_lazy("New case"),
        branches=True,
    ),
}


# Dialogues have their own list and form; the type serves the shared delete view.
DIALOGUE = RecordType(
    key="dialogue",
    model=Dialogue,
    form=forms.DialogueForm,
    filterset=filters.DialogueFilterSet,
    table=tables.DialogueTable,
    save=None,
    instance_arg="dialogue",
    title=gettext_lazy("Dialogue forums"),
    new_title=gettext_lazy("New dialogue forum"),
    detail="supervision:dialogue_detail",
)


def _kind(kind: str | RecordType) -> RecordType:
    """The record type a URL names: its key here, or the type itself for another app's records."""
    if isinstance(kind, RecordType):
        return kind
    return DIALOGUE if kind == "dialogue" else RECORD_TYPES[kind]


def _scoped(request, model, unit=None):
    queryset = model.objects.for_user(request.user)
    return queryset.in_subtree(unit) if unit else queryset


def _entry_units(user, branches: bool = False):
    """Live units where ``user`` may enter this kind of record, the highest first."""
    return entry_units(user, [*LEAD_LEVELS, Level.BRANCH] if branches else LEAD_LEVELS)


def _listing(request, kind: RecordType):
    """The unit narrowed to, the filters and the table of ``kind``'s records in the user's subtree."""
    unit = scope_unit(request)
    records = _scoped(request, kind.model, unit).select_related("unit")
    if kind.annotate:
        records = kind.annotate(records)
    filterset = filtered(kind.filterset, request.GET, records)
    table = kind.table(filterset.qs, url_name=kind.row_url)
    return unit, filterset, table


@login_required
def record_list(request, kind: str | RecordType):
    kind = _kind(kind)
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the list
        return options
    unit, filterset, table = _listing(request, kind)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            request, table, title=str(kind.title), unit=unit, filename=f"{kind.key}-{timezone.localdate():%Y%m%d}.xlsx"
        )
    configure(request, table, per_page=PAGE_SIZE)
    return render(
        request,
        "supervision/record_list.html",
        {
            "kind": kind,
            "unit": unit,
            "form": filterset.form,
            "filterset": filterset,
            "table": table,
            "can_enter": _entry_units(request.user, kind.branches).exists(),
            # Lists are imported by a commune or a level above, even of records a branch may enter one by one.
            "can_import": kind.importable and leads_work(request.user),
            "unit_filter": UnitFilterForm(request.user, unit),
            "section": kind.key,
            "chips": active_filters(filterset.form, request.GET, keep=("unit", "sort", "q")),
        },
    )


def _instance(request, kind: RecordType, pk, action=Action.VIEW):
    return get_object_or_404(kind.model.objects.for_user(request.user, action).select_related("unit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, kind: str | RecordType, pk=None):
    kind = _kind(kind)
    instance = _instance(request, kind, pk, Action.ENTER) if pk else None
    units = _entry_units(request.user, kind.branches)
    if instance is None and not units.exists():
        raise Http404
    if instance is not None:
        units = units | Unit.objects.filter(pk=instance.unit_id)
    form = kind.form(request.POST or None, instance=instance, units=units)
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
    if request.method == "POST" and form.is_valid():
        try:
            record = kind.save(actor=request.user, **{kind.instance_arg: instance}, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(_record_url(kind, record))
    return render(
        request,
        "supervision/record_form.html",
        {
            "form": form,
            "kind": kind,
            "instance": instance,
            "title": kind.new_title if instance is None else instance,
            "section": kind.key,
        },
    )


def _record_url(kind: RecordType, record) -> str:
    if kind.detail:
        return reverse(kind.detail, args=[record.pk])
    return reverse(f"{kind.url}_list") + f"?unit={record.unit_id}"


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind: str | RecordType, pk):
    kind = _kind(kind)
    instance = _instance(request, kind, pk, Action.ENTER)
    if request.method == "POST":
        try:
            services.record_delete(actor=request.user, record=instance)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_record_url(kind, instance))
        messages.success(request, _("“%(record)s” was deleted.") % {"record": instance})
        return redirect(reverse(f"{kind.url}_list") + f"?unit={instance.unit_id}")
    cancel_url = reverse(f"{kind.url}_list") + f"?unit={instance.unit_id}"
    return render(
        request,
        "supervision/record_delete.html",
        {"instance": instance, "kind": kind, "section": kind.key, "cancel_url": cancel_url},
    )
