from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import DataAccessLog
from accounts.scope import Action, can, scope_q, scope_unit
from accounts.services import log_data_access
from branches.constants import Level
from branches.models import PATH_SEPARATOR, Unit
from common.forms import add_validation_errors
from common.params import parse_id, query_id, query_page
from common.text import fold

from . import exporters, selectors, services
from .constants import RELIGIONS, RequestStatus
from .forms import (
    AnonymiseForm,
    LeaveForm,
    MemberCreateForm,
    MemberFilterForm,
    MemberForm,
    RejoinForm,
    TransferForm,
    TransferOutForm,
    member_label,
)
from .models import Member, MergeRequest, TransferRequest

PAGE_SIZE = 50
# Optional columns of the list: key -> heading. The user's choice is kept in her session.
COLUMNS = {
    "born": gettext_lazy("Born"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "religion": gettext_lazy("Religion"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
    "branch": gettext_lazy("Branch"),
    "joined": gettext_lazy("Joined"),
    "core": gettext_lazy("Core"),
    "groups": gettext_lazy("Special groups"),
    "status": gettext_lazy("Status"),
}
DEFAULT_COLUMNS = ["born", "id_number", "phone", "branch", "joined"]


def _member(request, pk, action=Action.VIEW) -> Member:
    return get_object_or_404(
        Member.objects.for_user(request.user, action).select_related("branch", "branch__parent"), pk=pk
    )


def _columns(request) -> list[str]:
    if "cols" in request.GET:
        chosen = [key for key in request.GET.getlist("cols") if key in COLUMNS]
        request.session["member_columns"] = chosen
        return chosen
    return request.session.get("member_columns", DEFAULT_COLUMNS)


def _listing(request):
    unit = scope_unit(request)
    form = MemberFilterForm(request.GET)
    sort = request.GET.get("sort", "name")
    members = selectors.member_list(request.user, unit=unit, filters=form.filters(), sort=sort)
    return unit, form, sort, members


@login_required
def member_list(request):
    unit, form, sort, members = _listing(request)
    page = query_page(request.GET)
    # No COUNT(*) over 420,000 rows: fetch one row more than a page to know whether there is a next one.
    rows = list(members[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    columns = _columns(request)
    return render(
        request,
        "members/member_list.html",
        {
            "unit": unit,
            "form": form,
            "sort": sort,
            "members": rows[:PAGE_SIZE],
            "page": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "has_next": has_next,
            "columns": columns,
            "all_columns": COLUMNS,
            "can_enter": unit is not None and can(request.user, Action.ENTER, unit),
        },
    )


LOOKUP_LIMIT = 15


@login_required
def member_lookup(request):
    """Members in the user's scope matching what she typed, for the member pickers of other forms."""
    text = request.GET.get("q", "").strip()[:60]
    if len(text) < 2:
        return JsonResponse({"results": []})
    found = Member.objects.for_user(request.user).active().search(text, request.user).select_related("branch")
    found = found[:LOOKUP_LIMIT]
    return JsonResponse({"results": [{"id": m.pk, "label": member_label(m)} for m in found]})


@login_required
def member_export(request):
    unit, form, _sort, members = _listing(request)
    fmt = request.GET.get("format", "xlsx")
    label = unit.name if unit else _("all units")
    filename = f"hoi-vien-{slugify(fold(label)) or 'danh-sach'}-{timezone.localdate():%Y%m%d}"
    rows = selectors.masked_rows(selectors.export_rows(members), request.user)
    log_data_access(
        user=request.user,
        kind=DataAccessLog.Kind.LIST_EXPORT,
        unit=unit,
        detail={"format": fmt, "filters": {k: v for k, v in request.GET.items() if k not in ("format", "unit")}},
    )
    if fmt == "csv":
        response = StreamingHttpResponse(exporters.render_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "json":
        response = StreamingHttpResponse(exporters.render_json(rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    parent = unit.parent.name if unit and unit.parent_id else ""
    handle = exporters.render_xlsx(rows, unit_name=label, parent_name=parent)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx")


def _branches_for(user, action=Action.ENTER):
    return (
        Unit.objects.for_user(user, action)
        .active()
        .filter(level__in=[Level.BRANCH, Level.GROUP])
        .select_related("parent")
        .order_by("path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    branches = _branches_for(request.user)
    initial = {}
    branch_id = query_id(request.GET, "branch")
    if branch_id is not None:
        branch = get_object_or_404(branches, pk=branch_id)
        branches = branches.filter(pk=branch.pk)
        initial["branch"] = branch
    elif request.method == "GET" and not branches.exists():
        messages.warning(request, _("You have no branch to add members to."))
        return redirect("members:member_list")
    form = MemberCreateForm(request.POST or None, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.profile()
        branch = data.pop("branch")
        try:
            member = services.member_create(branch=branch, actor=request.user, **data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": member.full_name})
            if "add_another" in request.POST:
                return redirect(f"{request.path}?branch={branch.pk}")
            return redirect("members:member_detail", pk=member.pk)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "title": _("New member"), "religions": RELIGIONS, "add_another": True},
    )


@login_required
def member_detail(request, pk):
    member = _member(request, pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "events": selectors.member_history(member),
            "periods": selectors.member_periods(member),
            "pending": member.transfer_requests.filter(status=RequestStatus.PENDING)
            .select_related("to_branch")
            .first(),
            "can_enter": can(request.user, Action.ENTER, member.branch),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _member(request, pk, Action.ENTER)
    initial = {field: getattr(member, field) for field in services.PROFILE_FIELDS}
    initial["special_groups"] = member.groups
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, actor=request.user, **form.profile())
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("members:member_detail", pk=member.pk)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "member": member, "title": _("Edit member"), "religions": RELIGIONS},
    )


def _province_branches(member: Member):
    """Any live branch of her province may receive her; those outside the sender's units must accept."""
    province_path = member.branch.path.split(PATH_SEPARATOR)[0] + PATH_SEPARATOR
    return (
        Unit.objects.active()
        .filter(level=Level.BRANCH, path__startswith=province_path)
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
