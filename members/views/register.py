"""The register: the list, search, exports, and a member's own page and form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import DataAccessLog
from accounts.scope import Action, can, scope_unit
from accounts.services import log_data_access
from branches.constants import Level
from branches.models import Unit
from branches.selectors import top_unit
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure
from common.params import query_id
from common.text import fold

from .. import exporters, selectors, services, tables
from ..constants import RELIGIONS, RequestStatus
from ..filters import MemberFilterSet
from ..forms import (
    MemberCreateForm,
    MemberForm,
    member_label,
)
from ..models import Member

PAGE_SIZE = 50


def _member(request, pk, action=Action.VIEW) -> Member:
    return get_object_or_404(
        Member.objects.for_user(request.user, action).select_related("branch", "branch__parent"), pk=pk
    )


def _columns(request) -> list[str]:
    if "cols" in request.GET:
        chosen = [key for key in request.GET.getlist("cols") if key in tables.OPTIONAL]
        request.session["member_columns"] = chosen
        return chosen
    return request.session.get("member_columns", tables.DEFAULT_COLUMNS)


def _listing(request):
    unit = scope_unit(request)
    members = selectors.member_list(request.user, unit=unit, query=request.GET, sort=request.GET.get("sort", "name"))
    return unit, members


@login_required
def member_list(request):
    unit = scope_unit(request)
    # The filters' form and chips; the rows come from the one selector every export and print also reads.
    filterset = MemberFilterSet(request.GET, queryset=Member.objects.none(), user=request.user)
    members = selectors.member_list(request.user, unit=unit, query=request.GET, sort=None)
    columns = _columns(request)
    table = tables.MemberTable(members, user=request.user, columns=columns, per_page=PAGE_SIZE)
    # No COUNT(*) over 420,000 rows: one row more than a page tells whether there is a next one.
    configure(request, table, per_page=PAGE_SIZE, lazy=True)
    form = filterset.form
    return render(
        request,
        "members/member_list.html",
        {
            "unit": unit,
            "form": form,
            "table": table,
            "columns": columns,
            "all_columns": tables.OPTIONAL,
            "can_enter": unit is not None and can(request.user, Action.ENTER, unit),
            "chips": active_filters(form, request.GET, keep=("unit", "sort", "cols", "q")),
        },
    )


@login_required
@require_http_methods(["POST"])
def member_print(request):
    """Print the list as filtered, in the Union's layout (PDF or xlsx); long lists go to the worker."""
    from django.http import QueryDict

    from reports import services as report_services

    query = request.POST.get("query", "")[:2000]
    filters = QueryDict(query)
    unit_id = query_id(filters, "unit")
    units = Unit.objects.for_user(request.user).select_related("parent")
    unit = get_object_or_404(units, pk=unit_id) if unit_id else top_unit(request.user)
    if unit is None:
        raise Http404
    fmt = request.POST.get("format")
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    members = selectors.member_list(request.user, unit=unit, query=filters, sort="name")
    try:
        document = report_services.member_list_request(
            actor=request.user, unit=unit, query=query, fmt=fmt, count=members.count()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("members:member_list") + "?" + query)
    return redirect("reports:document_detail", document.pk)


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


# Longer exports (any format) are written by the worker, with a progress bar, rather than in the request.
EXPORT_INLINE_ROWS = 20_000


@login_required
def member_export(request):
    unit, members = _listing(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv", "json"):
        raise Http404
    if (count := members.count()) > EXPORT_INLINE_ROWS:
        from reports import services as report_services

        own = unit or top_unit(request.user)
        query = request.GET.copy()
        query.pop("format", None)
        document = report_services.member_list_request(
            actor=request.user, unit=own, query=query.urlencode(), fmt=fmt, count=count
        )
        return redirect("reports:document_detail", document.pk)
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
    # The list speaks for the user's own unit when no unit is chosen, never for "all units".
    heading = unit or top_unit(request.user)
    handle = exporters.render_xlsx(rows, unit=heading)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx")


def _branches_for(user, action=Action.ENTER):
    return (
        Unit.objects.for_user(user, action)
        .active()
        .filter(level__in=[Level.BRANCH, Level.GROUP])
        .select_related("parent")
        .in_vi_order()
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
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
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
