"""Supervisions, their recommendations and the follow-up of recommendations and commitments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, can, scope_unit
from branches.forms import UnitFilterForm
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure, filtered

from .. import filters, forms, selectors, services, tables
from ..models import Recommendation
from .records import PAGE_SIZE, RECORD_TYPES, _instance, _scoped

# --- Supervisions -----------------------------------------------------------------------------


@login_required
def supervision_detail(request, pk):
    supervision = _instance(request, RECORD_TYPES["supervision"], pk)
    today = timezone.localdate()
    recommendations = list(supervision.recommendations.order_by("due_on", "id"))
    for recommendation in recommendations:
        recommendation.overdue = recommendation.is_overdue(today)
    can_enter = can(request.user, Action.ENTER, supervision.unit)
    return render(
        request,
        "supervision/supervision_detail.html",
        {
            "supervision": supervision,
            "recommendations": recommendations,
            "attachments": supervision.attachments.all(),
            "can_enter": can_enter,
            "recommendation_form": forms.RecommendationForm(
                initial={"made_on": supervision.ended_on or supervision.started_on}
            )
            if can_enter
            else None,
            "attachment_form": forms.AttachmentForm() if can_enter else None,
            "section": "supervision",
        },
    )


@login_required
@require_POST
def recommendation_create(request, pk):
    supervision = _instance(request, RECORD_TYPES["supervision"], pk, Action.ENTER)
    form = forms.RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_create(actor=request.user, supervision=supervision, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Recommendation added."))
            return redirect("supervision:supervision_detail", pk=supervision.pk)
    return render(
        request,
        "supervision/recommendation_form.html",
        {"form": form, "supervision": supervision, "section": "supervision"},
    )


# --- Recommendations and follow-up ------------------------------------------------------------


@login_required
def recommendation_list(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the list
        return options
    unit = scope_unit(request)
    records = _scoped(request, Recommendation, unit).select_related("unit", "supervision", "opinion__dialogue")
    filterset = filtered(filters.RecommendationFilterSet, request.GET, records)
    table = configure(request, tables.RecommendationTable(filterset.qs), per_page=PAGE_SIZE)
    return render(
        request,
        "supervision/recommendation_list.html",
        {
            "unit": unit,
            "form": filterset.form,
            "table": table,
            "unit_filter": UnitFilterForm(request.user, unit),
            "chips": active_filters(filterset.form, request.GET, keep=("unit", "sort", "q")),
            "section": "recommendation",
        },
    )


def _recommendation(request, pk, action=Action.VIEW) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.for_user(request.user, action).select_related(
            "unit", "supervision", "opinion__dialogue"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request, pk):
    recommendation = _recommendation(request, pk)
    can_enter = can(request.user, Action.ENTER, recommendation.unit)
    form = None
    if can_enter and not recommendation.is_closed:
        form = forms.FollowUpForm(request.POST or None, request.FILES or None, recommendation=recommendation)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.follow_up_add(
                    actor=request.user,
                    recommendation=recommendation,
                    happened_on=data["happened_on"],
                    note=data["note"],
                    status=data["status"] or None,
                    evidence=data["evidence"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect("supervision:recommendation_detail", pk=recommendation.pk)
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "supervision/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "overdue": recommendation.is_overdue(today),
            "days_overdue": recommendation.days_overdue(today),
            "follow_ups": recommendation.follow_ups.select_related("actor").prefetch_related("attachments"),
            "form": form,
            "can_enter": can_enter,
            "section": "recommendation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk):
    recommendation = _recommendation(request, pk, Action.ENTER)
    form = forms.RecommendationEditForm(request.POST or None, instance=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(actor=request.user, recommendation=recommendation, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervision:recommendation_detail", pk=recommendation.pk)
    return render(
        request,
        "supervision/recommendation_form.html",
        {"form": form, "recommendation": recommendation, "section": "recommendation"},
    )


@login_required
def follow_up_board(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the board
        return options
    unit = scope_unit(request)
    today = timezone.localdate()
    board = selectors.follow_up_board(_scoped(request, Recommendation, unit), today)
    for item in board.overdue:
        item.days = item.days_overdue(today)
    return render(
        request,
        "supervision/board.html",
        {
            "unit": unit,
            "board": board,
            "today": today,
            "unit_filter": UnitFilterForm(request.user, unit),
            "section": "board",
        },
    )
