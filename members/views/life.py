"""Her life in the Union: transfers (within and out of the province), leaving and rejoining."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, scope_q
from branches.constants import Level
from branches.models import Unit
from common.forms import add_validation_errors
from common.text import fold

from .. import selectors, services
from ..forms import (
    LeaveForm,
    RejoinForm,
    TransferForm,
    TransferOutForm,
)
from ..models import Member, TransferRequest
from .register import _member


def _province_branches(member: Member):
    """Any live branch of her province may receive her; those outside the sender's units must accept. (A move to
    another province is "Chuyển ra ngoài tỉnh", even where the Central Union keeps every province here.)"""
    within = member.province.path if member.province_id else member.branch.path
    return (
        Unit.objects.active()
        .filter(level=Level.BRANCH, path__startswith=within)
        .exclude(pk=member.branch_id)
        .select_related("parent")
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, pk):
    member = _member(request, pk, Action.ENTER)
    query = request.GET.get("q", "").strip()
    branches = _province_branches(member)
    if request.method == "GET":
        # Offer the branches of her commune, or those matching the search; a POST may name any branch of the province.
        shown = (
            branches.filter(name_folded__contains=fold(query))
            if query
            else branches.filter(parent_id=member.branch.parent_id)
        )
        branches = branches.filter(pk__in=list(shown.order_by("name_folded").values_list("pk", flat=True)[:30]))
    form = TransferForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.member_transfer(
                member=member,
                to_branch=form.cleaned_data["to_branch"],
                transfer_on=form.cleaned_data["transfer_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if isinstance(result, TransferRequest):
                messages.info(
                    request,
                    _("The transfer has been sent to %(unit)s and waits for their acceptance.")
                    % {"unit": result.to_branch},
                )
            else:
                messages.success(
                    request, _("%(name)s now belongs to %(unit)s.") % {"name": member, "unit": result.branch}
                )
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_transfer.html", {"member": member, "form": form, "query": query})


def _member_action(request, pk, form_class, title, apply, success):
    member = _member(request, pk, Action.ENTER)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            apply(member, form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, success % {"name": member.full_name})
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_action.html", {"member": member, "form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request, pk):
    def apply(member, data):
        if data["kind"] == LeaveForm.KIND_DIED:
            services.member_record_death(member=member, died_on=data["left_on"], note=data["note"], actor=request.user)
        else:
            services.member_leave(
                member=member, left_on=data["left_on"], reason=data["reason"], note=data["note"], actor=request.user
            )

    return _member_action(
        request, pk, LeaveForm, _("End membership"), apply, _("The register has been updated for %(name)s.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer_out(request, pk):
    def apply(member, data):
        services.member_transfer_out(
            member=member, transfer_on=data["transfer_on"], destination=data["destination"], actor=request.user
        )

    return _member_action(
        request, pk, TransferOutForm, _("Transfer out of the province"), apply, _("%(name)s has been transferred out.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_rejoin(request, pk):
    def apply(member, data):
        services.member_rejoin(member=member, rejoined_on=data["rejoined_on"], actor=request.user)

    return _member_action(request, pk, RejoinForm, _("Rejoin"), apply, _("%(name)s is a member again."))


@login_required
def transfer_list(request):
    return render(
        request,
        "members/transfer_list.html",
        {
            "incoming": list(selectors.incoming_transfers(request.user)),
            "outgoing": list(selectors.outgoing_transfers(request.user)),
        },
    )


@login_required
@require_POST
def transfer_decide(request, pk, decision):
    scope = "to_branch__path" if decision in ("accept", "refuse") else "from_branch__path"
    transfer = get_object_or_404(
        TransferRequest.objects.filter(scope_q(request.user, Action.ENTER, scope)).select_related(
            "member", "from_branch", "to_branch"
        ),
        pk=pk,
    )
    action = {
        "accept": services.transfer_accept,
        "refuse": services.transfer_refuse,
        "cancel": services.transfer_cancel,
    }
    if decision not in action:
        raise Http404
    try:
        action[decision](request=transfer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The transfer has been updated."))
    return redirect("members:transfer_list")
