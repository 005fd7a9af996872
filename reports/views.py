from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, can, is_province_office, scope_unit
from branches.models import Unit
from branches.selectors import top_unit
from common.forms import add_validation_errors
from common.lists import configure
from common.params import query_id, query_year_noted

from . import selectors, services
from .forms import CommentForm, IndicatorForm, PeriodForm, ReportForm, TargetForm
from .models import Indicator, PeriodReport, ReportingPeriod, Target
from .tables import ChildReportTable, LineFilterForm


def unit_in_scope(request) -> Unit:
    """The unit named in the query, else the user's highest one."""
    unit = scope_unit(request)
    if unit is None:
        unit = top_unit(request.user)
    if unit is None:
        raise Http404
    return unit


def _period(request) -> ReportingPeriod | None:
    period_id = query_id(request.GET, "period")
    if period_id is not None:
        return get_object_or_404(ReportingPeriod, pk=period_id)
    today = timezone.localdate()
    return ReportingPeriod.objects.filter(start__lte=today).order_by("-end").first()


@login_required
def board(request):
    """Completeness of one period for one subtree, and the reports waiting for the user."""
    unit = unit_in_scope(request)
    period = _period(request)
    context = {
        "unit": unit,
        "period": period,
        "periods": ReportingPeriod.objects.all(),
        "is_admin": is_province_office(request.user),
    }
    if period is not None:
        context["completeness"] = selectors.completeness(unit, period)
        children = selectors.expected_children(unit, period)
        line_filter = LineFilterForm(request.GET)
        context["line_filter"] = line_filter
        context["children"] = children
        context["table"] = configure(
            request, ChildReportTable(line_filter.apply(children), period=period), per_page=100
        )
        context["own_report"] = PeriodReport.objects.filter(unit=unit, period=period).first()
        context["reports_own"] = unit.level in selectors.reporting_levels()
    return render(request, "reports/board.html", context)


def _report_context(request, report: PeriodReport, form, comment_form):
    unit, period = report.unit, report.period
    indicators = list(Indicator.objects.active().for_level(unit.level))
    subtree = selectors.subtree_indicators(unit, [period], indicators)
    own = dict(report.values.values_list("indicator_id", "value")) if report.pk else {}
    return {
        "report": report,
        "unit": unit,
        "period": period,
        "form": form,
        "comment_form": comment_form,
        "rows": [
            (
                i,
                form[f"i{i.pk}"] if form else None,
                own.get(i.pk),
                subtree.totals.get(i.pk),
                len(subtree.pending.get(i.pk, ())),
            )
            for i in indicators
        ],
        "known": selectors.known_figures(unit, period.start, period.end),
        "lock": services.lock_reason(report),
        "can_enter": can(request.user, Action.ENTER, unit),
        "can_review": can(request.user, Action.APPROVE, services.reviewer_of(unit)),
        "is_top": unit.parent_id is None,
        "children": selectors.expected_children(unit, period),
        "log": report.log.select_related("actor") if report.pk else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, period_id, unit_id):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    unit = get_object_or_404(Unit.objects.for_user(request.user).select_related("parent"), pk=unit_id)
    report = PeriodReport.objects.filter(unit=unit, period=period).select_related("decided_by").first()
    if report is None:
        report = PeriodReport(unit=unit, period=period)
    indicators = Indicator.objects.active().for_level(unit.level)
    values = dict(report.values.values_list("indicator_id", "value")) if report.pk else {}
    editable = report.state in ("draft", "returned") and can(request.user, Action.ENTER, unit)
    form = (
        ReportForm(request.POST or None, indicators=indicators, values=values, initial={"note": report.note})
        if editable
        else None
    )
    if request.method == "POST":
        if form is None:
            messages.error(request, services.lock_reason(report) or _("You cannot change this report."))
            return redirect(request.path)
        if form.is_valid():
            try:
                report = services.report_for(unit, period)
                services.report_save(
                    actor=request.user, report=report, values=form.values(), note=form.cleaned_data["note"]
                )
                if "submit" in request.POST:
                    services.report_submit(actor=request.user, report=report)
                    messages.success(request, _("Report submitted to %(unit)s.") % {"unit": unit.parent or unit})
                else:
                    messages.success(request, _("Draft saved."))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                return redirect(request.path)
    return render(request, "reports/report_detail.html", _report_context(request, report, form, CommentForm()))


@login_required
@require_POST
def report_decide(request, pk, action):
    report = get_object_or_404(PeriodReport.objects.for_user(request.user).select_related("unit", "period"), pk=pk)
    comment = CommentForm(request.POST)
    comment.is_valid()
    text = comment.cleaned_data.get("comment", "")
    handlers = {
        "approve": (services.report_approve, {}, _("Report approved and locked.")),
        "return": (services.report_return, {"comment": text}, _("Report returned for correction.")),
        "unlock": (services.report_unlock, {"comment": text}, _("Report unlocked for correction.")),
    }
    if action not in handlers:
        raise Http404
    handler, extra, done = handlers[action]
    try:
        handler(actor=request.user, report=report, **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(reverse("reports:report_detail", args=[report.period_id, report.unit_id]))


# --- Catalogue and periods (province office) --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_list(request, pk=None):
    admin = is_province_office(request.user)
    instance = get_object_or_404(Indicator, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=instance, prefix="i") if admin else None
    period_form = PeriodForm(prefix="p") if admin else None
    if request.method == "POST":
        if not admin:
            raise Http404
        if "retire" in request.POST and instance:
            services.indicator_retire(actor=request.user, indicator=instance)
            messages.success(request, _("“%(name)s” retired: it is no longer asked for.") % {"name": instance.name})
            return redirect("reports:indicator_list")
        if "period" in request.POST:
            period_form = PeriodForm(request.POST, prefix="p")
            if period_form.is_valid():
                try:
                    services.period_save(actor=request.user, **period_form.cleaned_data)
                except ValidationError as error:
                    add_validation_errors(period_form, error)
                else:
                    messages.success(request, _("Period added."))
                    return redirect("reports:indicator_list")
        elif form.is_valid():
            try:
                services.indicator_save(actor=request.user, indicator=instance, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("reports:indicator_list")
    return render(
        request,
        "reports/indicators.html",
        {
            "indicators": Indicator.objects.all(),
            "periods": ReportingPeriod.objects.all(),
            "form": form,
            "period_form": period_form,
            "instance": instance,
        },
    )


# --- Targets ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def target_list(request):
    unit = unit_in_scope(request)
    year = query_year_noted(request, "year", timezone.localdate().year)
    can_enter = can(request.user, Action.ENTER, unit)
    form = TargetForm(request.POST or None, initial={"year": year, "span": "year"}) if can_enter else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.target_save(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Target added."))
                return redirect(f"{reverse('reports:target_list')}?unit={unit.pk}&year={year}")
    achievements = selectors.target_achievements(unit, year)
    met = sum(a.met for a in achievements)
    return render(
        request,
        "reports/targets.html",
        {
            "unit": unit,
            "year": year,
            "years": range(timezone.localdate().year + 1, 2018, -1),
            "achievements": achievements,
            "met": met,
            "form": form,
        },
    )


@login_required
@require_POST
def target_delete(request, pk):
    target = get_object_or_404(Target.objects.for_user(request.user, Action.ENTER), pk=pk)
    unit_id, year = target.unit_id, target.year
    target.delete()
    messages.success(request, _("Target removed."))
    return redirect(f"{reverse('reports:target_list')}?unit={unit_id}&year={year}")
