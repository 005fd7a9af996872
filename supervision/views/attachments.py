"""Files attached to supervisions, dialogues and follow-up entries, served only through these views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import Action

from .. import forms, services
from ..models import Attachment, Dialogue, Supervision

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
