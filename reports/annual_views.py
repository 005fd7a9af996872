"""The annual report on screen, its narrative, its printed PDF and xlsx, and the dashboard; all on one engine."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, can
from branches.models import Unit
from common.forms import add_validation_errors
from hoilhpn.routers import reads_from_replica
from supervision.models import Recommendation
from supervision.selectors import follow_up_board

from . import charts, narrative, selectors, services
from .forms import NarrativeForm, SpanForm
from .models import Document, ReportingPeriod, SignedReport
from .selectors import annual
from .selectors.checks import report_checks
from .views import unit_in_scope

DASHBOARD_CACHE_SECONDS = 300


def _span(request) -> tuple[SpanForm, annual.Span]:
    """The span named by ``?span=kind:start:end`` (links), else by the form's fields, else last year."""
    key = request.GET.get("span", "")
    if key:
        try:
            span = annual.span_from_key(key)
        except ValueError:
            raise Http404 from None
        if span.end < span.start or span.kind not in ("year", "half", "term", "custom", "to_date"):
            raise Http404
        initial = {"kind": span.kind, "year": span.end.year, "half": 1 if span.start.month == 1 else 2}
        if span.kind == "custom":
            initial.update(start=span.start, end=span.end)
        return SpanForm(initial=initial), span
    form = SpanForm(request.GET if "kind" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["span"]
    last_year = timezone.localdate().year - 1
    return form if form.is_bound else SpanForm(initial={"kind": "year", "year": last_year}), annual.Span.year(last_year)


def _link(name: str, unit_id: int, span: annual.Span) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit_id, 'span': span.key})}"


@login_required
@reads_from_replica
def annual_report(request):
    unit = unit_in_scope(request)
    form, span = _span(request)
    report = annual.build(unit, span)
    text, saved = services.narrative_text(unit, report)
    parent = unit.parent if unit.parent_id and can(request.user, Action.VIEW, unit.parent) else None
    sort = request.GET.get("sort", "name")
    children = sorted(report.children, key=_child_sort_key(sort), reverse=sort.startswith("-"))
    return render(
        request,
        "reports/annual.html",
        {
            "unit": unit,
            "form": form,
            "span": span,
            "r": report,
            "checks": report_checks(report),
            "narrative": narrative.render_html(text, report),
            "narrative_saved": saved,
            "children": children,
            "sort": sort,
            "parent": parent,
            "chart": charts.bars(
                [(line.name, line.values.get("members.rate")) for line in children], floor=50, suffix="%"
            ),
            "documents": Document.objects.for_user(request.user).filter(unit=unit, span=span.key)[:5],
            "signed": SignedReport.objects.for_user(request.user).filter(unit=unit, span=span.key),
            "can_sign": can(request.user, Action.APPROVE, unit),
            "can_edit": can(request.user, Action.ENTER, unit),
            "section": "annual",
        },
    )


def _child_sort_key(sort: str):
    key = sort.lstrip("-")
    if key == "name":
        return lambda line: line.name
    return lambda line: (line.values.get(key) is None, line.values.get(key) or 0)


@login_required
@require_http_methods(["GET", "POST"])
def narrative_edit(request):
    unit = unit_in_scope(request)
    if not can(request.user, Action.ENTER, unit):
        raise Http404
    _form, span = _span(request)
    report = annual.build(unit, span)
    text, saved = services.narrative_text(unit, report)
    back = _link("reports:annual", unit.pk, span)
    if request.method == "POST" and "reset" in request.POST:
        services.narrative_reset(actor=request.user, unit=unit, span_key=span.key)
        messages.success(request, _("The generated draft is back; earlier versions stay in the history."))
        return redirect(back)
    form = NarrativeForm(request.POST or None, initial={"text": text})
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(actor=request.user, unit=unit, report=report, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The text of the report is saved."))
            return redirect(back)
    history = saved.history.select_related("updated_by")[:10] if saved else []
    return render(
        request,
        "reports/narrative_form.html",
        {"unit": unit, "span": span, "r": report, "form": form, "back": back, "history": history},
    )


@login_required
@require_POST
def document_create(request):
    unit = unit_in_scope(request)
    _form, span = _span(request)
    fmt = request.POST.get("format")
    if fmt not in (Document.Format.PDF, Document.Format.XLSX):
        raise Http404
    document = services.document_request(actor=request.user, unit=unit, span=span, fmt=fmt)
    return redirect("reports:document_detail", document.pk)


def _document(request, pk) -> Document:
    document = get_object_or_404(Document.visible_to(request.user).select_related("unit"), pk=pk)
    services.reclaim_interrupted_document(document)
    return document


@login_required
def document_detail(request, pk):
    document = _document(request, pk)
    if document.kind == Document.Kind.MEMBERS:
        back = reverse("members:member_list") + "?" + document.params.get("query", "")
        return render(request, "reports/document_detail.html", {"document": document, "span": None, "back": back})
    span = annual.span_from_key(document.span)
    return render(
        request,
        "reports/document_detail.html",
        {"document": document, "span": span, "back": _link("reports:annual", document.unit_id, span)},
    )


@login_required
def document_progress(request, pk):
    document = _document(request, pk)
    return JsonResponse(
        {"percent": document.progress, "running": document.running, "state_label": document.get_state_display()}
    )


@login_required
def document_download(request, pk):
    document = _document(request, pk)
    if document.state != Document.State.DONE or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- Dashboard ----------------------------------------------------------------------------------


def _report_cached(unit: Unit, span: annual.Span) -> tuple[annual.Report, list]:
    """The dashboard's report and its checks, kept a few minutes: both are read on every visit."""

    def build():
        report = annual.build(unit, span)
        return report, report_checks(report)

    return cache.get_or_set(f"dashboard:{unit.pk}:{span.key}", build, DASHBOARD_CACHE_SECONDS)


@login_required
@reads_from_replica
def dashboard(request):
    unit = unit_in_scope(request)
    today = timezone.localdate()
    span = annual.dashboard_span(unit, today)
    report, checks = _report_cached(unit, span)
    # The years that have ended from the figures table; the last point is the dashboard's own total.
    years = list(range(span.end.year - annual.TREND_YEARS + 1, span.end.year))
    trend = [*annual.member_trend(unit, years), (span.end.year, report.figure("members.total").value or 0)]
    sort = request.GET.get("sort", "members.rate")
    children = sorted(report.children, key=_child_sort_key(sort), reverse=sort.startswith("-"))
    board = follow_up_board(Recommendation.objects.for_user(request.user).in_subtree(unit), today, limit=5)
    period = ReportingPeriod.objects.filter(start__lte=today).order_by("-end").first()
    return render(
        request,
        "reports/dashboard.html",
        {
            "unit": unit,
            "span": span,
            "r": report,
            "trend": charts.trend(trend),
            "rates": charts.bars(
                [(line.name, line.values.get("members.rate")) for line in children], floor=50, suffix="%"
            ),
            "children": children,
            "sort": sort,
            "board": board,
            "period": period,
            "completeness": selectors.completeness(unit, period) if period else None,
            "report_link": _link("reports:annual", unit.pk, annual.Span.year(today.year - 1)),
            "checks": checks,
            "checks_link": _link("reports:annual", unit.pk, span),
            "section": "dashboard",
        },
    )
