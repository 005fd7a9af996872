"""Her right of access (her data as a file) and erasure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scope import Action
from common.forms import add_validation_errors

from .. import services
from ..forms import (
    AnonymiseForm,
)
from .register import _member


@login_required
def member_data(request, pk):
    """Everything the register holds about her, as a file she can be given (her right of access)."""
    member = _member(request, pk, Action.ENTER)
    data = services.member_data_export(member=member, actor=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="hoi-vien-{member.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_anonymise(request, pk):
    member = _member(request, pk, Action.ENTER)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_anonymise(member=member, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Her identifying data was erased; the counts of past reports are unchanged."))
            return redirect("members:member_detail", member.pk)
    return render(request, "members/member_anonymise.html", {"member": member, "form": form})
