"""Signed reports: sign the report with its number, open a signed copy (its frozen figures and what changed
since), issue a corrected version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, can

from . import services
from .annual_views import _link, _span
from .models import SignedReport
from .selectors import annual
from .selectors.figures import differences, figures_of, late_records
from .views import unit_in_scope


@login_required
@require_POST
def report_sign(request):
    unit = unit_in_scope(request)
    _form, span = _span(request)
    try:
        signed = services.report_sign(
            actor=request.user,
            unit=unit,
            span=span,
            number=request.POST.get("number", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_link("reports:annual", unit.pk, span))
    messages.success(request, f"{signed.number}: {signed.unit} · {span.label}")
    return redirect("reports:signed_detail", signed.pk)


@login_required
@require_http_methods(["GET"])
def signed_detail(request, pk):
    signed = get_object_or_404(SignedReport.objects.for_user(request.user).select_related("unit", "signed_by"), pk=pk)
    span = annual.span_from_key(signed.span)
    live = figures_of(signed.unit, span)
    changed = differences(signed.figures, live) if signed.replaced_by_id is None else []
    labels = signed.figures.get("labels", {})
    return render(
        request,
        "reports/signed_detail.html",
        {
            "signed": signed,
            "span": span,
            "figures": [(key, labels.get(key, key), value) for key, value in signed.figures["figures"].items()],
            "differences": changed,
            "late": late_records(signed.unit, span, signed.signed_at) if changed else [],
            "versions": SignedReport.objects.filter(unit=signed.unit, span=signed.span).select_related("signed_by"),
            "can_sign": can(request.user, Action.APPROVE, signed.unit) and signed.replaced_by_id is None,
            "report_link": _link("reports:annual", signed.unit_id, span),
            "section": "annual",
        },
    )
