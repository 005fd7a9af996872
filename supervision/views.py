"""Screens of supervision, dialogue and case work.

Lists share one shape (a subtree, a period, a few filters, sorting, pages, an
Excel export), so they are driven by a small table of record types; the
supervision, recommendation and dialogue pages have their own views.
"""

import datetime
import tempfile
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action, can, scope_unit
from branches.constants import Level
from branches.models import Unit
from branches.selectors import entry_units
from common.forms import add_validation_errors
from common.xlsx import HEADER, TITLE, XlsxStream

from . import forms, selectors, services
from .constants import (
    CLOSED_STATUSES,
    CaseKind,
    ContributionKind,
    OpinionField,
    OpinionOutcome,
    ReviewKind,
    Source,
    SupervisionKind,
)
from .models import Attachment, Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision

PAGE_SIZE = 30
LEAD_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


@dataclass
class RecordType:
    key: str
    model: Any
    form: Any
    filter_form: Any
    save: Any  # the service: save(actor=, <instance_arg>=, **fields)
    instance_arg: str
    title: Any
    new_title: Any
    columns: list  # (heading, attribute path or callable)
    sorts: dict  # key -> order_by
    search: tuple  # fields searched by "q"
    filters: dict = field(default_factory=dict)  # form field -> lookup
    detail: str = ""  # url name of a detail page, else rows link to the edit form
    branches: bool = False  # whether branch unions record this kind


RECORD_TYPES = {
    "supervision": RecordType(
        key="supervision",
        model=Supervision,
        form=forms.SupervisionForm,
        filter_form=forms.SupervisionFilterForm,
        save=services.supervision_save,
        instance_arg="supervision",
        title=gettext_lazy("Supervisions"),
        new_title=gettext_lazy("New supervision"),
        columns=[
            (gettext_lazy("From"), "started_on"),
            (gettext_lazy("Topic"), "topic"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Body or unit supervised"), "supervised_body"),
            (gettext_lazy("Unit"), "unit.name"),
            (gettext_lazy("Recommendations"), "n_recommendations"),
            (gettext_lazy("Open"), "n_open"),
        ],
        sorts={"date": "started_on", "unit": "unit__name", "title": "topic"},
        search=("topic", "legal_basis", "supervised_body"),
        filters={"kind": "kind"},
        detail="supervision:supervision_detail",
    ),
    "review": RecordType(
        key="review",
        model=DraftReview,
        form=forms.DraftReviewForm,
        filter_form=forms.DraftReviewFilterForm,
        save=services.draft_review_save,
        instance_arg="review",
        title=gettext_lazy("Social critique and comments on drafts"),
        new_title=gettext_lazy("New critique or comments on a draft"),
        columns=[
            (gettext_lazy("Received on"), "received_on"),
            (gettext_lazy("Draft document"), "document"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Requesting body"), "requested_by"),
            (gettext_lazy("Opinions"), "opinions"),
            (gettext_lazy("Taken up"), "get_taken_up_display"),
            (gettext_lazy("Unit"), "unit.name"),
        ],
        sorts={"date": "received_on", "unit": "unit__name", "title": "document"},
        search=("document", "requested_by", "content"),
        filters={"kind": "kind"},
    ),
    "contribution": RecordType(
        key="contribution",
        model=Contribution,
        form=forms.ContributionForm,
        filter_form=forms.ContributionFilterForm,
        save=services.contribution_save,
        instance_arg="contribution",
        title=gettext_lazy("Party and government building"),
        new_title=gettext_lazy("New contribution to Party and government building"),
        columns=[
            (gettext_lazy("Date"), "given_on"),
            (gettext_lazy("Topic"), "topic"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("To"), "recipient"),
            (gettext_lazy("Opinions"), "opinions"),
            (gettext_lazy("Unit"), "unit.name"),
        ],
        sorts={"date": "given_on", "unit": "unit__name", "title": "topic"},
        search=("topic", "recipient", "note"),
        filters={"kind": "kind"},
    ),
    "case": RecordType(
        key="case",
        model=Case,
        form=forms.CaseForm,
        filter_form=forms.CaseFilterForm,
        save=services.case_save,
        instance_arg="case",
        title=gettext_lazy("Petitions, mediations and cases"),
        new_title=gettext_lazy("New case"),
        columns=[
            (gettext_lazy("Date"), "received_on"),
            (gettext_lazy("Subject"), "subject"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Outcome"), "outcome_label"),
            (gettext_lazy("Unit"), "unit.name"),
        ],
        sorts={"date": "received_on", "unit": "unit__name", "title": "subject"},
        search=("subject", "detail"),
        filters={"kind": "kind", "status": "status"},
        branches=True,
    ),
}


def _resolve(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj() if callable(obj) else obj


def unit_options(user) -> list[Unit]:
    """The units above branch level a list can be narrowed to, in tree order, indented by depth."""
    units = list(
        Unit.objects.for_user(user)
        .active()
        .filter(level__in=LEAD_LEVELS)
        .order_by("path")
        .only("name", "depth", "path")
    )
    top = min((u.depth for u in units), default=0)
    for unit in units:
        unit.indent = "\u2003" * (unit.depth - top)
    return units


def _scoped(request, model, unit=None):
    queryset = model.objects.for_user(request.user)
    return queryset.in_subtree(unit) if unit else queryset


def _entry_units(user, branches: bool = False):
    """Live units where ``user`` may enter this kind of record, the highest first."""
    return entry_units(user, [*LEAD_LEVELS, Level.BRANCH] if branches else LEAD_LEVELS)


def _filtered(request, kind: RecordType):
    unit = scope_unit(request)
    form = kind.filter_form(request.GET or None)
    records = _scoped(request, kind.model, unit).select_related("unit")
    start, end = form.period()
    records = records.between(start, end)
    if form.is_valid():
        for name, lookup in kind.filters.items():
            if form.cleaned_data.get(name):
                records = records.filter(**{lookup: form.cleaned_data[name]})
        text = form.cleaned_data.get("q", "").strip()
        if text:
            condition = Q()
            for name in kind.search:
                condition |= Q(**{f"{name}__icontains": text})
            records = records.filter(condition)
    if kind.model is Supervision:
        records = records.annotate(
            n_recommendations=Count("recommendations"),
            n_open=Count("recommendations", filter=~Q(recommendations__status__in=CLOSED_STATUSES)),
        )
    sort = request.GET.get("sort", "-date")
    order = kind.sorts.get(sort.lstrip("-"), kind.sorts["date"])
    records = records.order_by(f"-{order}" if sort.startswith("-") else order, "-id")
    return unit, form, sort, records


@login_required
def record_list(request, kind: str):
    kind = RECORD_TYPES[kind]
    unit, form, sort, records = _filtered(request, kind)
    if request.GET.get("format") == "xlsx":
        return _export(kind, unit, records)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(record, [_resolve(record, path) for _heading, path in kind.columns]) for record in page]
    return render(
        request,
        "supervision/record_list.html",
        {
            "kind": kind,
            "unit": unit,
            "form": form,
            "sort": sort,
            "page": page,
            "rows": rows,
            "headings": [heading for heading, _path in kind.columns],
            "can_enter": _entry_units(request.user, kind.branches).exists(),
            "unit_options": unit_options(request.user),
            "section": kind.key,
        },
    )


def _export(kind: RecordType, unit, records):
    # Handed to the response, which closes it once sent.
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with XlsxStream(handle, str(kind.title), freeze_rows=3) as sheet:
        sheet.row([f"{kind.title} — {unit.name if unit else _('all your units')}"], TITLE)
        sheet.row([_("Exported on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}])
        sheet.row([str(heading) for heading, _path in kind.columns], HEADER)
        for record in records.iterator(chunk_size=2000):
            sheet.row([_resolve(record, path) for _heading, path in kind.columns])
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{kind.key}-{timezone.localdate():%Y%m%d}.xlsx")


def _instance(request, kind: RecordType, pk, action=Action.VIEW):
    return get_object_or_404(kind.model.objects.for_user(request.user, action).select_related("unit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, kind: str, pk=None):
    kind = RECORD_TYPES[kind]
    instance = _instance(request, kind, pk, Action.ENTER) if pk else None
    units = _entry_units(request.user, kind.branches)
    if instance is None and not units.exists():
        raise Http404
    if instance is not None:
        units = units | Unit.objects.filter(pk=instance.unit_id)
    form = kind.form(request.POST or None, instance=instance, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            record = kind.save(actor=request.user, **{kind.instance_arg: instance}, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(_record_url(kind, record))
    return render(
        request,
        "supervision/record_form.html",
        {
            "form": form,
            "kind": kind,
            "instance": instance,
            "title": kind.new_title if instance is None else instance,
            "section": kind.key,
        },
    )


def _record_url(kind: RecordType, record) -> str:
    if kind.detail:
        return reverse(kind.detail, args=[record.pk])
    return reverse(f"supervision:{kind.key}_list") + f"?unit={record.unit_id}"


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind: str, pk):
    kind = DIALOGUE if kind == "dialogue" else RECORD_TYPES[kind]
    instance = _instance(request, kind, pk, Action.ENTER)
    if request.method == "POST":
        try:
            services.record_delete(actor=request.user, record=instance)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_record_url(kind, instance))
        messages.success(request, _("“%(record)s” was deleted.") % {"record": instance})
        return redirect(reverse(f"supervision:{kind.key}_list") + f"?unit={instance.unit_id}")
    cancel_url = reverse(f"supervision:{kind.key}_list") + f"?unit={instance.unit_id}"
    return render(
        request,
        "supervision/record_delete.html",
        {"instance": instance, "kind": kind, "section": kind.key, "cancel_url": cancel_url},
    )


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


RECOMMENDATION_SORTS = {"due": "due_on", "made": "made_on", "addressee": "addressee", "unit": "unit__name"}


@login_required
def recommendation_list(request):
    unit = scope_unit(request)
    form = forms.RecommendationFilterForm(request.GET or None)
    today = timezone.localdate()
    records = _scoped(request, Recommendation, unit).select_related("unit", "supervision", "opinion__dialogue")
    start, end = form.period()
    records = records.between(start, end)
    status = form.value("status")
    if status == "open":
        records = records.open()
    elif status == "overdue":
        records = records.overdue_on(today)
    elif status:
        records = records.filter(status=status)
    if form.value("source"):
        records = records.filter(source=form.value("source"))
    text = (form.value("q") or "").strip()
    if text:
        records = records.filter(Q(addressee__icontains=text) | Q(content__icontains=text))
    sort = request.GET.get("sort", "due")
    order = RECOMMENDATION_SORTS.get(sort.lstrip("-"), "due_on")
    records = records.order_by(f"-{order}" if sort.startswith("-") else order, "id")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    for recommendation in page:
        recommendation.overdue = recommendation.is_overdue(today)
    return render(
        request,
        "supervision/recommendation_list.html",
        {
            "unit": unit,
            "form": form,
            "sort": sort,
            "page": page,
            "today": today,
            "unit_options": unit_options(request.user),
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
    unit = scope_unit(request)
    today = timezone.localdate()
    board = selectors.follow_up_board(_scoped(request, Recommendation, unit), today)
    for item in board.overdue:
        item.days = item.days_overdue(today)
    return render(
        request,
        "supervision/board.html",
        {"unit": unit, "board": board, "today": today, "unit_options": unit_options(request.user), "section": "board"},
    )


# --- Dialogues --------------------------------------------------------------------------------


DIALOGUE = RecordType(
    key="dialogue",
    model=Dialogue,
    form=forms.DialogueForm,
    filter_form=forms.DialogueFilterForm,
    save=None,
    instance_arg="dialogue",
    title=gettext_lazy("Dialogue forums"),
    new_title=gettext_lazy("New dialogue forum"),
    columns=[],
    sorts={},
    search=(),
    detail="supervision:dialogue_detail",
)


@login_required
def dialogue_list(request):
    unit = scope_unit(request)
    form = forms.DialogueFilterForm(request.GET or None)
    dialogues = _scoped(request, Dialogue, unit).select_related("unit")
    start, end = form.period()
    dialogues = dialogues.between(start, end)
    opinion_filter = Q()
    if form.value("field"):
        opinion_filter &= Q(opinions__field=form.value("field"))
    if form.value("outcome"):
        opinion_filter &= Q(opinions__outcome=form.value("outcome"))
    if opinion_filter:
        dialogues = dialogues.filter(pk__in=Dialogue.objects.filter(opinion_filter).values("pk"))
    text = (form.value("q") or "").strip()
    if text:
        dialogues = dialogues.filter(Q(topic__icontains=text) | Q(leaders__icontains=text) | Q(place__icontains=text))
    dialogues = dialogues.annotate(
        n_opinions=Count("opinions"),
        n_open=Count("opinions", filter=Q(opinions__outcome=OpinionOutcome.COMMITTED)),
    )
    sort = request.GET.get("sort", "-date")
    order = {"date": "held_on", "unit": "unit__name", "title": "topic"}.get(sort.lstrip("-"), "held_on")
    dialogues = dialogues.order_by(f"-{order}" if sort.startswith("-") else order, "-id")
    page = Paginator(dialogues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/dialogue_list.html",
        {
            "unit": unit,
            "form": form,
            "sort": sort,
            "page": page,
            "can_enter": _entry_units(request.user).exists(),
            "unit_options": unit_options(request.user),
            "section": "dialogue",
        },
    )


@login_required
def dialogue_detail(request, pk):
    dialogue = _instance(request, DIALOGUE, pk)
    opinions = list(dialogue.opinions.select_related("commitment"))
    can_enter = can(request.user, Action.ENTER, dialogue.unit)
    return render(
        request,
        "supervision/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "opinions": opinions,
            "attachments": dialogue.attachments.all(),
            "can_enter": can_enter,
            "attachment_form": forms.AttachmentForm() if can_enter else None,
            "section": "dialogue",
        },
    )


def _opinion_initial(dialogue: Dialogue) -> list[dict]:
    initial = []
    for opinion in dialogue.opinions.select_related("commitment"):
        commitment = getattr(opinion, "commitment", None)
        initial.append(
            {
                "id": opinion.pk,
                "field": opinion.field,
                "content": opinion.content,
                "raised_by": opinion.raised_by,
                "answer": opinion.answer,
                "outcome": opinion.outcome,
                "addressee": commitment.addressee if commitment else "",
                "due_on": commitment.due_on if commitment else None,
            }
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_edit(request, pk=None):
    dialogue = _instance(request, DIALOGUE, pk, Action.ENTER) if pk else None
    units = _entry_units(request.user)
    if dialogue is None and not units.exists():
        raise Http404
    if dialogue is not None:
        units = units | Unit.objects.filter(pk=dialogue.unit_id)
    form = forms.DialogueForm(request.POST or None, instance=dialogue, units=units)
    if dialogue is None and request.method == "GET":
        form.initial.setdefault("held_on", timezone.localdate())
    formset = forms.OpinionFormSet if dialogue else forms.NewOpinionFormSet
    opinions = formset(request.POST or None, prefix="op", initial=_opinion_initial(dialogue) if dialogue else None)
    if request.method == "POST" and form.is_valid() and opinions.is_valid():
        # Blank extra rows have no cleaned data; rows ticked for removal are dropped by the service.
        kept = [f.data_object() for f in opinions.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            saved = services.dialogue_save(actor=request.user, dialogue=dialogue, opinions=kept, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Forum saved with %(n)s opinions.") % {"n": len(kept)})
            return redirect("supervision:dialogue_detail", pk=saved.pk)
    return render(
        request,
        "supervision/dialogue_form.html",
        {"form": form, "opinions": opinions, "dialogue": dialogue, "section": "dialogue"},
    )


# --- Attachments ------------------------------------------------------------------------------


OWNERS = {
    "supervision": (Supervision, "supervision:supervision_detail"),
    "dialogue": (Dialogue, "supervision:dialogue_detail"),
}


@login_required
@require_POST
def attachment_add(request, owner: str, pk):
    model, detail = OWNERS[owner]
    record = get_object_or_404(model.objects.for_user(request.user, Action.ENTER).select_related("unit"), pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, owner=record, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(detail, pk=record.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.for_user(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = attachment.content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(
        handle, as_attachment=not inline, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.for_user(request.user, Action.ENTER).select_related("follow_up"), pk=pk
    )
    back = _attachment_owner_url(attachment)
    if request.method == "POST":
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.name})
        return redirect(back)
    return render(
        request,
        "supervision/attachment_delete.html",
        {"attachment": attachment, "back": back, "section": "supervision"},
    )


def _attachment_owner_url(attachment: Attachment) -> str:
    if attachment.supervision_id:
        return reverse("supervision:supervision_detail", args=[attachment.supervision_id])
    if attachment.dialogue_id:
        return reverse("supervision:dialogue_detail", args=[attachment.dialogue_id])
    return reverse("supervision:recommendation_detail", args=[attachment.follow_up.recommendation_id])


# --- Figures ----------------------------------------------------------------------------------


@login_required
def figures(request):
    unit = scope_unit(request)
    if unit is None:
        top = Unit.objects.for_user(request.user).order_by("depth", "path").first()
        if top is None:
            raise Http404
        unit = top
    form = forms.PeriodFilterForm(request.GET or None)
    start, end = form.period()
    today = timezone.localdate()
    start = start or datetime.date(today.year, 1, 1)
    end = end or today
    lines = selectors.figures_by_child(unit, start, end)
    total = selectors.Figures()
    for _child, piece in lines:
        total.add(piece)
    return render(
        request,
        "supervision/figures.html",
        {
            "unit": unit,
            "form": form,
            "start": start,
            "end": end,
            "tables": _figure_tables(total),
            "children": _children_table(lines),
            "unit_options": unit_options(request.user),
            "section": "figures",
        },
    )


def _figure_tables(fig: selectors.Figures) -> list[dict]:
    """The figures as plain tables (title, headings, rows of label + numbers) for the page."""
    levels = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH]
    rec_metrics = [
        ("made", _("Made")),
        ("accepted", _("Accepted")),
        ("resolved", _("Resolved")),
        ("not_accepted", _("Not accepted")),
        ("overdue", _("Overdue at the end")),
    ]
    case_metrics = [
        ("received", _("Received")),
        ("settled", _("Settled")),
        ("not_settled", _("Not settled")),
        ("open", _("Open")),
    ]
    return [
        {
            "title": _("Supervisions by level and kind"),
            "headings": [_("Level"), *[k.label for k in SupervisionKind], _("Total")],
            "rows": [
                (
                    level.label,
                    [*(fig.supervisions[(level, k)] for k in SupervisionKind), fig.total("supervisions", 0, level)],
                )
                for level in levels
            ]
            + [(_("Total"), [*(fig.total("supervisions", 1, k) for k in SupervisionKind), fig.supervisions_total])],
        },
        {
            "title": _("Recommendations after supervision and dialogue commitments"),
            "headings": ["", *[label for _key, label in rec_metrics]],
            "rows": [
                (source.label, [fig.recommendations[(source, key)] for key, _label in rec_metrics]) for source in Source
            ],
        },
        {
            "title": _("Social critique, comments on drafts, Party and government building"),
            "headings": ["", _("Records"), _("Opinions"), _("Taken up")],
            "rows": [
                (
                    kind.label,
                    [fig.reviews[(kind, "count")], fig.reviews[(kind, "opinions")], fig.reviews[(kind, "taken_up")]],
                )
                for kind in ReviewKind
            ]
            + [
                (kind.label, [fig.contributions[(kind, "count")], fig.contributions[(kind, "opinions")], ""])
                for kind in ContributionKind
            ],
        },
        {
            "title": _("Dialogue forums by level"),
            "headings": [_("Level"), _("Forums"), _("Participants"), _("Opinions")],
            "rows": [
                (
                    level.label,
                    [
                        fig.dialogues[(level, "count")],
                        fig.dialogues[(level, "participants")],
                        fig.total("opinions", 0, level),
                    ],
                )
                for level in levels[:3]
            ],
        },
        {
            "title": _("Opinions at dialogue forums by field and outcome"),
            "headings": [_("Field"), *[o.label for o in OpinionOutcome], _("Total")],
            "rows": [
                (
                    f.label,
                    [
                        *(sum(n for key, n in fig.opinions.items() if key[1:] == (f, o)) for o in OpinionOutcome),
                        fig.total("opinions", 1, f),
                    ],
                )
                for f in OpinionField
            ]
            + [(_("Total"), [*(fig.total("opinions", 2, o) for o in OpinionOutcome), fig.opinions_total])],
        },
        {
            "title": _("Case work"),
            "headings": ["", *[label for _key, label in case_metrics]],
            "rows": [(kind.label, [fig.cases[(kind, key)] for key, _label in case_metrics]) for kind in CaseKind],
        },
    ]


def _children_table(lines) -> dict:
    headings = [
        _("Unit"), _("Supervisions"), _("Recommendations"), _("Resolved"), _("Overdue"), _("Dialogues"),
        _("Opinions"), _("Drafts"), _("Petitions"), _("Mediations"),
    ]  # fmt: skip
    rows = []
    for child, fig in lines:
        rows.append(
            (
                child,
                [
                    fig.supervisions_total,
                    fig.recommendations[(Source.SUPERVISION, "made")],
                    fig.recommendations[(Source.SUPERVISION, "resolved")],
                    fig.recommendations[(Source.SUPERVISION, "overdue")]
                    + fig.recommendations[(Source.DIALOGUE, "overdue")],
                    fig.total("dialogues", 1, "count"),
                    fig.opinions_total,
                    fig.total("reviews", 1, "count"),
                    fig.cases[(CaseKind.PETITION, "received")],
                    fig.cases[(CaseKind.MEDIATION, "received")],
                ],
            )
        )
    return {"headings": headings, "rows": rows}
