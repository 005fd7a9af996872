"""Suspected duplicates and the merges that resolve them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import Action, can
from common.params import parse_id

from .. import selectors, services
from ..models import Member, MergeRequest


@login_required
def duplicate_list(request):
    return render(
        request,
        "members/duplicate_list.html",
        {"groups": selectors.duplicate_groups(request.user), "pending": list(selectors.pending_merges(request.user))},
    )


@login_required
@require_POST
def duplicate_merge(request):
    ids = [number for value in request.POST.getlist("member") if (number := parse_id(value))]
    visible = Member.objects.for_user(request.user, Action.ENTER).filter(pk__in=ids)
    # A record of another unit (same ID) may be named by id: it is checked through the ID it shares.
    members = list(visible)
    if len(members) == 1 and len(ids) == 2:
        other = Member.objects.filter(pk__in=ids).exclude(pk=members[0].pk).first()
        if other is not None and other.id_number and other.id_number == members[0].id_number:
            members.append(other)
    if len(members) != 2 or request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the confirmation and choose two records to merge."))
        return redirect("members:duplicate_list")
    try:
        result = services.member_merge(first=members[0], second=members[1], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:duplicate_list")
    if isinstance(result, MergeRequest):
        messages.info(request, _("The other unit has been asked to agree to the merge."))
        return redirect("members:duplicate_list")
    messages.success(request, _("The records have been merged into %(name)s.") % {"name": result.full_name})
    return redirect("members:member_detail", pk=result.pk)


@login_required
@require_POST
def merge_decide(request, pk, decision):
    merge = get_object_or_404(selectors.pending_merges(request.user), pk=pk)
    try:
        if decision == "approve":
            kept = services.merge_request_approve(request=merge, actor=request.user)
        elif decision == "refuse":
            services.merge_request_refuse(request=merge, actor=request.user)
            kept = None
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:duplicate_list")
    if kept is not None:
        messages.success(request, _("The records have been merged into %(name)s.") % {"name": kept.full_name})
        if can(request.user, Action.VIEW, kept.branch):
            return redirect("members:member_detail", pk=kept.pk)
    else:
        messages.success(request, _("The merge has been refused."))
    return redirect("members:duplicate_list")
