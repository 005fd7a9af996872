import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import Action, can
from common.collation import vi
from common.forms import add_validation_errors
from members.selectors import active_counts_by_child

from . import selectors, services
from .constants import LEVEL_ORDER, Level
from .forms import PopulationForm, SubUnitForm, UnitMergeForm, UnitMoveForm, UnitRenameForm
from .models import Unit


def _get_unit(request, pk, action=Action.VIEW) -> Unit:
    return get_object_or_404(Unit.objects.for_user(request.user, action).select_related("parent"), pk=pk)


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def unit_browser(request):
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "branches/unit_browser.html",
        {
            "roots": selectors.root_units_for(request.user),
            "query": query,
            "results": list(selectors.unit_search(request.user, query)) if query else None,
        },
    )


@login_required
def unit_detail(request, pk):
    unit = _get_unit(request, pk)
    day = _parse_day(request.GET.get("on"))
    context = {
        "unit": unit,
        "breadcrumbs": selectors.breadcrumbs(unit, request.user),
        "level_counts": [
            (Level(level).label, n)
            for level, n in sorted(
                selectors.subtree_level_counts(unit).items(), key=lambda item: LEVEL_ORDER.index(item[0])
            )
        ],
        "populations": selectors.population_by_year(unit),
        "history": selectors.unit_history(unit),
        "can_administer": can(request.user, Action.ADMINISTER, unit),
        "can_enter": can(request.user, Action.ENTER, unit),
        "day": day,
    }
    if day:
        context["past_children"] = list(selectors.tree_as_of(day, unit).filter(parent=unit).order_by(vi("name")))
    else:
        children = list(selectors.unit_children(unit))
        context["member_total"], per_child = active_counts_by_child(unit)
        for child in children:
            child.member_count = per_child.get(child.pk, 0)
        context["children"] = children
    return render(request, "branches/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename(request, pk):
    unit = _get_unit(request, pk, Action.ADMINISTER)
    form = UnitRenameForm(
        request.POST or None, initial={"name": unit.name, "code": unit.code, "unit_type": unit.unit_type}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_rename(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The change has been recorded."))
            return redirect("branches:unit_detail", pk=unit.pk)
    return render(request, "branches/unit_action.html", {"unit": unit, "form": form, "title": _("Rename")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request, pk):
    unit = _get_unit(request, pk, Action.ADMINISTER)
    parent_levels = LEVEL_ORDER[: LEVEL_ORDER.index(unit.level)]
    parents = (
        Unit.objects.for_user(request.user, Action.ADMINISTER)
        .active()
        .filter(level__in=parent_levels)
        .exclude(path__startswith=unit.path)
        .in_vi_order()
    )
    form = UnitMoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The unit has been moved."))
            return redirect("branches:unit_detail", pk=unit.pk)
    return render(request, "branches/unit_action.html", {"unit": unit, "form": form, "title": _("Move")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request, pk):
    unit = _get_unit(request, pk, Action.ADMINISTER)
    targets = (
        Unit.objects.for_user(request.user, Action.ADMINISTER)
        .active()
        .filter(level=unit.level)
        .exclude(pk=unit.pk)
        .in_vi_order()
    )
    form = UnitMergeForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.unit_merge(
                sources=[unit],
                target=form.cleaned_data["target"],
                effective_on=form.cleaned_data["effective_on"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("%(unit)s has been merged into %(target)s.") % {"unit": unit, "target": target})
            return redirect("branches:unit_detail", pk=target.pk)
    return render(
        request, "branches/unit_action.html", {"unit": unit, "form": form, "title": _("Merge"), "danger": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_add_child(request, pk):
    parent = _get_unit(request, pk, Action.ADMINISTER)
    child_level = {Level.PROVINCE: Level.COMMUNE, Level.DISTRICT: Level.COMMUNE, Level.COMMUNE: Level.BRANCH}.get(
        parent.level, Level.GROUP
    )
    default_type = {Level.BRANCH: "chi_hoi", Level.GROUP: "to"}.get(child_level, "xa")
    form = SubUnitForm(request.POST or None, initial={"unit_type": default_type})
    if request.method == "POST" and form.is_valid():
        try:
            child = services.unit_create(parent=parent, level=child_level, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("%(unit)s has been added.") % {"unit": child})
            return redirect("branches:unit_detail", pk=child.pk)
    return render(request, "branches/unit_action.html", {"unit": parent, "form": form, "title": _("Add a sub-unit")})


@login_required
@require_http_methods(["POST"])
def unit_population(request, pk):
    unit = _get_unit(request, pk, Action.ENTER)
    form = PopulationForm(request.POST)
    if form.is_valid():
        services.population_set(unit=unit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The figure has been saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("branches:unit_detail", pk=unit.pk)
