"""Writes of supervision, dialogue and case work, with their rules.

Every function takes the acting user (None for the system itself) and refuses
units outside her scope. A recommendation moves only through ``follow_up_add``,
so each change of state has a dated, attributable entry.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.scope import Action, require
from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces

from .constants import (
    ACCEPTED_STATUSES,
    ATTACHMENT_MAGIC,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    CLOSED_STATUSES,
    TRANSITIONS,
    OpinionOutcome,
    RecommendationStatus,
    Source,
)
from .models import (
    Attachment,
    Case,
    Contribution,
    Dialogue,
    DraftReview,
    FollowUp,
    Opinion,
    Recommendation,
    Supervision,
)

RECORD_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH)


def _check_unit(unit: Unit, actor) -> None:
    if unit.level not in RECORD_LEVELS or not unit.is_active:
        raise ValidationError({"unit": _("Records belong to a live province, district, commune or branch union.")})
    require(actor, Action.ENTER, unit)


def record_save(instance, actor, fields: dict):
    """Set ``fields`` on a record of ``unit``, validate it whole, and save it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    _check_unit(instance.unit, actor)
    if instance.pk is None and actor is not None:
        instance.created_by = actor
    instance.full_clean()
    instance.save()
    return instance


# --- Supervisions and their recommendations -------------------------------------------------


@transaction.atomic
def supervision_save(*, actor, supervision: Supervision | None = None, **fields) -> Supervision:
    if supervision is not None:
        require(actor, Action.ENTER, supervision.unit)
    old_unit_id = supervision.unit_id if supervision is not None else None
    supervision = record_save(supervision or Supervision(), actor, fields)
    if old_unit_id is not None and supervision.unit_id != old_unit_id:
        _carry_children(
            supervision.unit,
            Recommendation.objects.filter(supervision=supervision),
            Attachment.objects.filter(
                Q(supervision=supervision) | Q(follow_up__recommendation__supervision=supervision)
            ),
        )
    return supervision


def _carry_children(unit: Unit, recommendations, attachments) -> None:
    """A record moved to another unit takes its recommendations and files along: they are read and scoped by
    their own unit, and left behind they would stay with the old unit and be lost to the new one."""
    moved = list(recommendations)
    for recommendation in moved:
        recommendation.unit = unit
    with_provinces(moved)  # a bulk update skips save(), which keeps a record's province
    bulk_update_with_history(moved, Recommendation, ["unit", "province"], default_change_reason="moved with its record")
    attachments.update(unit=unit)


def recommendation_create(
    *, actor, supervision: Supervision, addressee: str, content: str, made_on: datetime.date, due_on: datetime.date
) -> Recommendation:
    require(actor, Action.ENTER, supervision.unit)
    if made_on < supervision.started_on:
        raise ValidationError({"made_on": _("A recommendation comes after the supervision has started.")})
    return _new_recommendation(
        actor,
        Recommendation(source=Source.SUPERVISION, supervision=supervision, unit=supervision.unit),
        addressee=addressee,
        content=content,
        made_on=made_on,
        due_on=due_on,
    )


def _new_recommendation(actor, recommendation: Recommendation, **fields) -> Recommendation:
    if fields["due_on"] < fields["made_on"]:
        raise ValidationError({"due_on": _("The due date cannot be before the date it was made.")})
    return record_save(recommendation, actor, fields)


def recommendation_update(
    *, actor, recommendation: Recommendation, addressee: str, content: str, due_on
) -> Recommendation:
    """Correct what was recorded; the state only moves through follow-up entries."""
    require(actor, Action.ENTER, recommendation.unit)
    if due_on < recommendation.made_on:
        raise ValidationError({"due_on": _("The due date cannot be before the date it was made.")})
    return record_save(recommendation, actor, {"addressee": addressee, "content": content, "due_on": due_on})


@transaction.atomic
def follow_up_add(
    *,
    actor,
    recommendation: Recommendation,
    happened_on: datetime.date,
    note: str,
    status: str | None = None,
    evidence=None,
) -> FollowUp:
    """Record what was done about a recommendation and, when ``status`` is given, move it there.

    Moves follow ``TRANSITIONS``; resolving needs a note saying how. A dialogue
    commitment that is resolved or refused gives its opinion the matching outcome.
    """
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    require(actor, Action.ENTER, recommendation.unit)
    note = (note or "").strip()
    current = recommendation.status
    target = status or current
    if target != current and target not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("A recommendation that is “%(current)s” cannot become “%(target)s”.")
                % {"current": RecommendationStatus(current).label, "target": RecommendationStatus(target).label}
            }
        )
    if target == current and current in CLOSED_STATUSES:
        raise ValidationError(_("This recommendation is closed; nothing more can be recorded on it."))
    if not note and (target == current or target == RecommendationStatus.RESOLVED):
        message = (
            _("Say how it was resolved: a resolution needs a follow-up note.")
            if target == RecommendationStatus.RESOLVED
            else _("Write what was done.")
        )
        raise ValidationError({"note": message})
    last = recommendation.follow_ups.order_by("-happened_on").values_list("happened_on", flat=True).first()
    earliest = max(filter(None, [recommendation.made_on, last]))
    if happened_on < earliest:
        raise ValidationError(
            {"happened_on": _("The date cannot be before %(date)s (the last entry).") % {"date": _date(earliest)}}
        )
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    if evidence is not None:
        check_upload(evidence)

    entry = FollowUp.objects.create(
        recommendation=recommendation,
        happened_on=happened_on,
        note=note,
        status_from=current,
        status_to=target,
        actor=actor,
    )
    if evidence is not None:
        attachment_add(actor=actor, owner=entry, upload=evidence)
    if target != current:
        recommendation.status = target
        if target in ACCEPTED_STATUSES and recommendation.accepted_on is None:
            recommendation.accepted_on = happened_on
        if target in CLOSED_STATUSES:
            recommendation.closed_on = happened_on
        recommendation.save(update_fields=["status", "accepted_on", "closed_on", "updated_at"])
        if recommendation.opinion_id and target in CLOSED_STATUSES:
            outcome = (
                OpinionOutcome.RESOLVED if target == RecommendationStatus.RESOLVED else OpinionOutcome.NOT_RESOLVED
            )
            Opinion.objects.filter(pk=recommendation.opinion_id).update(outcome=outcome)
    return entry


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- Dialogue forums ---------------------------------------------------------------------------


@dataclass
class OpinionData:
    """One opinion as the form gives it; ``addressee`` and ``due_on`` only for a commitment."""

    field: str
    content: str
    outcome: str
    raised_by: str = ""
    answer: str = ""
    addressee: str = ""
    due_on: datetime.date | None = None
    id: int | None = None


@transaction.atomic
def dialogue_save(*, actor, dialogue: Dialogue | None = None, opinions: list[OpinionData], **fields) -> Dialogue:
    """Record a forum and its opinions in one go; a committed opinion opens a follow-up like a recommendation.

    On an edit, opinions missing from ``opinions`` are removed, unless their
    commitment already has follow-up entries (that history is kept).
    """
    if dialogue is not None:
        require(actor, Action.ENTER, dialogue.unit)
    dialogue = dialogue or Dialogue()
    old_unit_id = dialogue.unit_id if dialogue.pk else None
    if "unit" in fields:
        fields["level"] = fields["unit"].level
    record_save(dialogue, actor, fields)
    if old_unit_id is not None and dialogue.unit_id != old_unit_id:
        _carry_children(
            dialogue.unit,
            Recommendation.objects.filter(opinion__dialogue=dialogue),
            Attachment.objects.filter(Q(dialogue=dialogue) | Q(follow_up__recommendation__opinion__dialogue=dialogue)),
        )

    existing = {o.pk: o for o in dialogue.opinions.select_related("commitment")} if dialogue.pk else {}
    kept = set()
    for position, data in enumerate(opinions, start=1):
        opinion = existing.get(data.id) if data.id else None
        if data.id and opinion is None:
            raise ValidationError(_("An opinion of another forum cannot be edited here."))
        _save_opinion(actor, dialogue, opinion or Opinion(dialogue=dialogue), position, data)
        if opinion is not None:
            kept.add(opinion.pk)
    for pk, opinion in existing.items():
        if pk in kept:
            continue
        commitment = getattr(opinion, "commitment", None)
        if commitment is not None and commitment.follow_ups.exists():
            raise ValidationError(
                _("The opinion “%(opinion)s” has follow-up entries and cannot be removed.") % {"opinion": opinion}
            )
        opinion.delete()
    return dialogue


def _save_opinion(actor, dialogue: Dialogue, opinion: Opinion, position: int, data: OpinionData) -> None:
    commitment = getattr(opinion, "commitment", None) if opinion.pk else None
    outcome = data.outcome
    if commitment is not None and commitment.status in CLOSED_STATUSES:
        # The follow-up decided the outcome; the form may not undo it.
        outcome = opinion.outcome
    opinion.position = position
    opinion.field = data.field
    opinion.content = data.content.strip()
    opinion.raised_by = data.raised_by.strip()
    opinion.answer = data.answer.strip()
    opinion.outcome = outcome
    if not opinion.content:
        raise ValidationError(_("Opinion %(n)s has no content.") % {"n": position})
    opinion.full_clean(exclude=["dialogue"])
    opinion.save()
    if outcome == OpinionOutcome.COMMITTED:
        if not data.addressee.strip() or data.due_on is None:
            raise ValidationError(_("Opinion %(n)s is a commitment: say who committed and by when.") % {"n": position})
        if data.due_on < dialogue.held_on:
            raise ValidationError(_("Opinion %(n)s: the due date is before the forum.") % {"n": position})
        fields = {"addressee": data.addressee.strip(), "content": opinion.content, "due_on": data.due_on}
        if commitment is None:
            _new_recommendation(
                actor,
                Recommendation(source=Source.DIALOGUE, opinion=opinion, unit=dialogue.unit),
                made_on=dialogue.held_on,
                **fields,
            )
        else:
            record_save(commitment, actor, fields)
    elif commitment is not None and commitment.status not in CLOSED_STATUSES:
        if commitment.follow_ups.exists():
            raise ValidationError(
                _("Opinion %(n)s has follow-up entries: close it from its follow-up page.") % {"n": position}
            )
        commitment.delete()


# --- Draft reviews, contributions, cases -------------------------------------------------------


def draft_review_save(*, actor, review: DraftReview | None = None, **fields) -> DraftReview:
    if review is not None:
        require(actor, Action.ENTER, review.unit)
    return record_save(review or DraftReview(), actor, fields)


def contribution_save(*, actor, contribution: Contribution | None = None, **fields) -> Contribution:
    if contribution is not None:
        require(actor, Action.ENTER, contribution.unit)
    return record_save(contribution or Contribution(), actor, fields)


def case_save(*, actor, case: Case | None = None, **fields) -> Case:
    if case is not None:
        require(actor, Action.ENTER, case.unit)
    return record_save(case or Case(), actor, fields)


def record_delete(*, actor, record) -> None:
    """Delete a record entered by mistake; its history rows keep what it was."""
    require(actor, Action.ENTER, record.unit)
    if isinstance(record, Supervision) and FollowUp.objects.filter(recommendation__supervision=record).exists():
        raise ValidationError(_("Its recommendations have follow-up entries: this supervision cannot be deleted."))
    if isinstance(record, Dialogue) and FollowUp.objects.filter(recommendation__opinion__dialogue=record).exists():
        raise ValidationError(_("Its commitments have follow-up entries: this forum cannot be deleted."))
    with transaction.atomic():
        files = [a.file.name for a in _attachments_of(record)]
        record.delete()
        transaction.on_commit(lambda: [Attachment.file.field.storage.delete(name) for name in files])


def _attachments_of(record):
    if isinstance(record, Supervision):
        return Attachment.objects.filter(supervision=record)
    if isinstance(record, Dialogue):
        return Attachment.objects.filter(dialogue=record)
    return Attachment.objects.none()


# --- Attachments -------------------------------------------------------------------------------


def check_upload(upload) -> str:
    """The file's extension when its name, size and first bytes are those of an accepted document."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("“%(name)s”: only PDF, DOCX, XLSX, JPG and PNG files can be attached.") % {"name": upload.name}
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; an attachment may be at most %(max)s MB.")
            % {
                "name": upload.name,
                "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
                "max": ATTACHMENT_MAX_BYTES // 1048576,
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_MAGIC[extension]):
        raise ValidationError(
            _("“%(name)s” is not a real %(kind)s file.") % {"name": upload.name, "kind": extension[1:].upper()}
        )
    return extension


ATTACHMENT_NAME_MAX = 200


def _short_name(name: str, extension: str) -> str:
    """Cut a long file name in its stem, so that it keeps its extension (and opens as what it is)."""
    if len(name) <= ATTACHMENT_NAME_MAX:
        return name
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    return stem[: ATTACHMENT_NAME_MAX - len(extension)].rstrip(" .") + extension


def attachment_add(*, actor, owner, upload) -> Attachment:
    """Attach an uploaded file to a supervision, a dialogue or a follow-up entry."""
    extension = check_upload(upload)
    if isinstance(owner, FollowUp):
        unit, link = owner.recommendation.unit, {"follow_up": owner}
    elif isinstance(owner, Supervision):
        unit, link = owner.unit, {"supervision": owner}
    elif isinstance(owner, Dialogue):
        unit, link = owner.unit, {"dialogue": owner}
    else:
        raise TypeError(f"Attachments do not belong to {type(owner).__name__}")
    require(actor, Action.ENTER, unit)
    name = _short_name(Path(upload.name).name, extension)
    attachment = Attachment(
        unit=unit, name=name, size=upload.size, content_type=ATTACHMENT_TYPES[extension], uploaded_by=actor, **link
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, actor, attachment: Attachment) -> None:
    require(actor, Action.ENTER, attachment.unit)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))
