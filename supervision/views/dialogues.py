"""Dialogue forums with women, their opinions and commitments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import Action, can, scope_unit
from branches.forms import UnitFilterForm
from branches.models import Unit
from branches.selectors import leads_work
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure, filtered

from .. import filters, forms, services, tables
from ..constants import (
    OpinionOutcome,
)
from ..models import Dialogue
from .records import DIALOGUE, PAGE_SIZE, _entry_units, _instance, _scoped

# --- Dialogues --------------------------------------------------------------------------------


@login_required
def dialogue_list(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the list
        return options
    unit = scope_unit(request)
    dialogues = _scoped(request, Dialogue, unit).select_related("unit")
    dialogues = dialogues.annotate(
        n_opinions=Count("opinions"),
        n_open=Count("opinions", filter=Q(opinions__outcome=OpinionOutcome.COMMITTED)),
    )
    filterset = filtered(filters.DialogueFilterSet, request.GET, dialogues)
    table = configure(request, tables.DialogueTable(filterset.qs), per_page=PAGE_SIZE)
    return render(
        request,
        "supervision/dialogue_list.html",
        {
            "unit": unit,
            "form": filterset.form,
            "table": table,
            "can_enter": leads_work(request.user),
            "unit_filter": UnitFilterForm(request.user, unit),
            "chips": active_filters(filterset.form, request.GET, keep=("unit", "sort", "q")),
            "section": "dialogue",
        },
    )


@login_required
def dialogue_detail(request, pk):
    dialogue = _instance(request, DIALOGUE, pk)
    opinions = list(dialogue.opinions.select_related("commitment"))
    can_enter = can(request.user, Action.ENTER, dialogue.unit)
    return render(
        request,
        "supervision/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "opinions": opinions,
            "attachments": dialogue.attachments.all(),
            "can_enter": can_enter,
            "attachment_form": forms.AttachmentForm() if can_enter else None,
            "section": "dialogue",
        },
    )


def _opinion_initial(dialogue: Dialogue) -> list[dict]:
    initial = []
    for opinion in dialogue.opinions.select_related("commitment"):
        commitment = getattr(opinion, "commitment", None)
        initial.append(
            {
                "id": opinion.pk,
                "field": opinion.field,
                "content": opinion.content,
                "raised_by": opinion.raised_by,
                "answer": opinion.answer,
                "outcome": opinion.outcome,
                "addressee": commitment.addressee if commitment else "",
                "due_on": commitment.due_on if commitment else None,
            }
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_edit(request, pk=None):
    dialogue = _instance(request, DIALOGUE, pk, Action.ENTER) if pk else None
    units = _entry_units(request.user)
    if dialogue is None and not units.exists():
        raise Http404
    if dialogue is not None:
        units = units | Unit.objects.filter(pk=dialogue.unit_id)
    form = forms.DialogueForm(request.POST or None, instance=dialogue, units=units)
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
    if dialogue is None and request.method == "GET":
        form.initial.setdefault("held_on", timezone.localdate())
    formset = forms.OpinionFormSet if dialogue else forms.NewOpinionFormSet
    opinions = formset(request.POST or None, prefix="op", initial=_opinion_initial(dialogue) if dialogue else None)
    if request.method == "POST" and form.is_valid() and opinions.is_valid():
        # Blank extra rows have no cleaned data; rows ticked for removal are dropped by the service.
        kept = [f.data_object() for f in opinions.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            saved = services.dialogue_save(actor=request.user, dialogue=dialogue, opinions=kept, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Forum saved with %(n)s opinions.") % {"n": len(kept)})
            return redirect("supervision:dialogue_detail", pk=saved.pk)
    return render(
        request,
        "supervision/dialogue_form.html",
        {"form": form, "opinions": opinions, "dialogue": dialogue, "section": "dialogue"},
    )
