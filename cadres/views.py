from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import Action, scope_unit
from branches.constants import LEAD_LEVELS, Level
from branches.forms import UnitFilterForm
from branches.selectors import entry_units, leads_work
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure, filtered
from common.params import query_year_noted
from members.models import Member

from . import selectors, services
from .filters import CadreFilterSet, ClassificationFilterSet, TrainingFilterSet
from .forms import CadreForm, ClassificationForm, TrainingForm
from .models import Cadre, Classification, Grade, Training
from .tables import CadreTable, ClassificationTable, TrainingTable

PAGE_SIZE = 50
ALL_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH)


def _scoped(request, model):
    unit = scope_unit(request)
    records = model.objects.for_user(request.user)
    return unit, records.in_subtree(unit) if unit else records


@login_required
def cadre_list(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the list
        return options
    unit, cadres = _scoped(request, Cadre)
    filterset = CadreFilterSet(request.GET, queryset=cadres.select_related("unit", "term"))
    cadres = filterset.qs
    table = configure(request, CadreTable(cadres), per_page=PAGE_SIZE)
    return render(
        request,
        "cadres/cadre_list.html",
        {
            "unit": unit,
            "term": filterset.listed_term,
            "form": filterset.form,
            "table": table,
            "summary": selectors.commune_leaders(cadres),
            "unit_filter": UnitFilterForm(request.user, unit),
            "chips": active_filters(filterset.form, request.GET, keep=("unit", "sort", "q", "term")),
            "can_enter": entry_units(request.user, ALL_LEVELS).exists(),
            "section": "cadres",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_edit(request, pk=None):
    cadre = get_object_or_404(Cadre.objects.for_user(request.user, Action.ENTER), pk=pk) if pk else None
    units = entry_units(request.user, ALL_LEVELS)
    if cadre is None and not units.exists():
        raise Http404
    initial = {"term": selectors.current_term()}
    members = Member.objects.for_user(request.user, Action.ENTER).select_related("branch")
    form = CadreForm(request.POST or None, instance=cadre, units=units, members=members, initial=initial)
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_save(actor=request.user, cadre=cadre, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}" if "add_another" in request.POST else "cadres:cadre_list")
    return render(request, "cadres/form.html", {"form": form, "title": cadre or _("New cadre"), "section": "cadres"})


@login_required
def training_list(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the list
        return options
    unit, trainings = _scoped(request, Training)
    trainings = trainings.select_related("unit").annotate(n_cadres=Count("cadres"))
    filterset = filtered(TrainingFilterSet, request.GET, trainings)
    table = configure(request, TrainingTable(filterset.qs), per_page=PAGE_SIZE)
    return render(
        request,
        "cadres/training_list.html",
        {
            "unit": unit,
            "form": filterset.form,
            "table": table,
            "unit_filter": UnitFilterForm(request.user, unit),
            "chips": active_filters(filterset.form, request.GET, keep=("unit", "sort", "q")),
            "section": "trainings",
            "can_enter": leads_work(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request):
    units = entry_units(request.user, LEAD_LEVELS)
    if not units.exists():
        raise Http404
    cadres = Cadre.objects.for_user(request.user).select_related("unit").order_by("unit__path", "full_name")[:500]
    form = TrainingForm(request.POST or None, units=units, cadres=Cadre.objects.filter(pk__in=[c.pk for c in cadres]))
    if options := picker_options(request, form):
        return options
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("cadres")
        try:
            services.training_save(actor=request.user, cadres=chosen, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cadres:training_list")
    return render(
        request,
        "cadres/form.html",
        {
            "form": form,
            "title": _("New training course"),
            "section": "trainings",
            "back": reverse("cadres:training_list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def classification_list(request):
    unit, classifications = _scoped(request, Classification)
    year = query_year_noted(request, "year", timezone.localdate().year - 1)
    units = entry_units(request.user, (Level.COMMUNE, Level.BRANCH))
    form = ClassificationForm(request.POST or None, units=units, initial={"year": year})
    if options := picker_options(request, form):
        return options
    if request.method == "POST":
        if not units.exists():
            raise Http404
        if form.is_valid():
            try:
                services.classify(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    rows = classifications.filter(year=year)
    counts = {
        row["unit__level"] + ":" + row["grade"]: row["n"]
        for row in rows.values("unit__level", "grade").annotate(n=Count("id"))
    }
    table = [(grade.label, counts.get(f"commune:{grade}", 0), counts.get(f"branch:{grade}", 0)) for grade in Grade]
    filterset = filtered(ClassificationFilterSet, request.GET, rows.select_related("unit", "unit__parent"))
    listed = configure(request, ClassificationTable(filterset.qs), per_page=PAGE_SIZE)
    return render(
        request,
        "cadres/classification_list.html",
        {
            "unit": unit,
            "year": year,
            "table": table,
            "listed": listed,
            "filters": filterset.form,
            "form": form if units.exists() else None,
            "section": "classifications",
        },
    )
