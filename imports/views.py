from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import DataAccessLog
from accounts.scope import Action, can
from accounts.services import log_data_access
from common.forms import add_validation_errors, picker_options
from common.lists import configure, filtered
from common.text import fold

from . import services
from .forms import MappingForm, UploadForm
from .lists import ImportFilterSet, ImportTable
from .models import ImportJob
from .table import FIELDS

REJECTED_SHOWN = 200
PAGE_SIZE = 30


def _job(request, pk, action=Action.VIEW) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.for_user(request.user, action).select_related("commune", "branch", "created_by"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    communes = services.communes_for(request.user)
    form = UploadForm(communes, request.POST or None, request.FILES or None)
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(
                upload=form.cleaned_data["file"],
                commune=form.cleaned_data["commune"],
                branch=form.cleaned_data["branch"],
                create_branches=form.cleaned_data["create_branches"],
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("imports:import_detail", pk=job.pk)
    jobs = ImportJob.objects.for_user(request.user).select_related("commune", "branch", "created_by")
    filterset = filtered(ImportFilterSet, request.GET, jobs)
    table = configure(request, ImportTable(filterset.qs), per_page=PAGE_SIZE)
    return render(
        request,
        "imports/import_list.html",
        {"form": form, "filters": filterset.form, "table": table, "can_upload": bool(communes)},
    )


@login_required
def import_detail(request, pk):
    job = _job(request, pk)
    services.reclaim_interrupted(job)
    preview = services.preview_for(request.user, job)
    sheets = preview.get("sheets", [])
    rejected = preview.get("rejected", [])
    context = {
        "job": job,
        "preview": preview,
        "counts": preview.get("counts", {}),
        "sheets": sheets,
        "mapping_forms": [MappingForm(sheet) for sheet in sheets if sheet["found"]],
        "rejected": rejected[:REJECTED_SHOWN],
        "rejected_more": max(0, len(rejected) - REJECTED_SHOWN),
        "field_labels": {key: str(label) for key, label in FIELDS.items()},
        "can_act": can(request.user, Action.ENTER, job.commune),
        "progress": services.job_progress(job),
    }
    return render(request, "imports/import_detail.html", context)


@login_required
def import_progress(request, pk):
    return JsonResponse(services.job_progress(_job(request, pk)))


@login_required
@require_POST
def import_mapping(request, pk):
    job = _job(request, pk, Action.ENTER)
    if "create_branches" in request.POST:
        try:
            services.job_set_options(
                job=job, create_branches=request.POST["create_branches"] == "1", actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("imports:import_detail", pk=job.pk)
    sheet = next((s for s in job.preview.get("sheets", []) if s["name"] == request.POST.get("sheet")), None)
    if sheet is None:
        messages.error(request, _("That sheet is not in the file."))
        return redirect("imports:import_detail", pk=job.pk)
    form = MappingForm(sheet, request.POST)
    if form.is_valid():
        try:
            services.job_set_mapping(
                job=job, sheet=sheet["name"], columns=form.mapping(), save=form.cleaned_data["save"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was read again with your column mapping."))
    return redirect("imports:import_detail", pk=job.pk)


@login_required
@require_POST
def import_commit(request, pk):
    job = _job(request, pk, Action.ENTER)
    try:
        services.job_request_commit(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:import_detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = _job(request, pk, Action.ENTER)
    try:
        services.job_cancel(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect("imports:import_list")


@login_required
def import_rejected(request, pk):
    job = _job(request, pk)
    content = services.rejected_workbook(services.preview_for(request.user, job))
    # The rows as they were in the file: her name, her numbers (masked for those who may only read them).
    log_data_access(
        user=request.user, kind=DataAccessLog.Kind.IMPORT_REJECTS, unit=job.commune, detail={"import": job.pk}
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stem = slugify(fold(job.file_name.rsplit(".", 1)[0])) or "danh-sach"
    response["Content-Disposition"] = f'attachment; filename="{stem}-dong-loi.xlsx"'
    return response
