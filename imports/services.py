"""Imports as the browser sees them: upload, preview, corrections, commit, in the background when big.

A job moves QUEUED → ANALYSING → READY (the preview) → COMMIT_QUEUED →
COMMITTING → DONE. Small files are read while the user waits; big ones by the
worker, with progress written to a small file that the page polls (the
database row cannot show it: the import holds it in an open transaction).
"""

import contextlib
import copy
import datetime
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Action, can, mask, may_see_personal, require
from branches.constants import Level
from branches.models import Unit
from common.collation import vi
from common.xlsx import workbook_bytes

from . import pipeline
from .models import ImportJob, SavedMapping
from .pipeline import branch_display_name
from .reader import ImportFileError
from .table import FIELDS

log = logging.getLogger(__name__)
SAMPLE_ROWS = 20
# Share of the progress bar each stage fills, for the preview and for the import (which reads the file again).
STAGES = {
    "analyse": {"read": (0, 30), "clean": (30, 85), "match": (85, 100)},
    "commit": {"read": (0, 15), "clean": (15, 45), "match": (45, 55), "write": (55, 100)},
}


# Progress ------------------------------------------------------------------------------------------------


def _progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job_id}.json"


def progress_writer(job_id: int, phase: str):
    path = _progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    stages = STAGES[phase]
    last = {"percent": -1}

    def report(stage: str, fraction: float) -> None:
        low, high = stages.get(stage, (0, 100))
        percent = int(low + (high - low) * max(0.0, min(1.0, fraction)))
        if percent == last["percent"]:
            return
        last["percent"] = percent
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"phase": phase, "stage": stage, "percent": percent}))
        os.replace(temporary, path)

    return report


# A running job writes its progress at least every few seconds; silence this long means its worker died.
INTERRUPTED_AFTER = datetime.timedelta(minutes=2)


def reclaim_interrupted(job: ImportJob, now=None) -> bool:
    """Give back a job whose worker stopped mid-way (killed, server restarted): its transaction was rolled back,
    so nothing was written; the import can be run again from its preview."""
    if job.state not in (ImportJob.State.ANALYSING, ImportJob.State.COMMITTING):
        return False
    now = now or timezone.now()
    path = _progress_path(job.pk)
    try:
        beat = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    except OSError:
        beat = job.updated_at
    if now - max(beat, job.updated_at) < INTERRUPTED_AFTER:
        return False
    if job.state == ImportJob.State.COMMITTING:
        message = _("The previous import was interrupted (the server stopped mid-way); nothing was written. "
                    "You can import again.")  # fmt: skip
        _finish(job, ImportJob.State.READY, error=message)
    else:
        _finish(job, ImportJob.State.FAILED, error=_("Reading the file was interrupted; upload it again."))
    log.warning("Import %s was interrupted in state %s and has been given back", job.pk, job.state)
    job.refresh_from_db()
    return True


def job_progress(job: ImportJob) -> dict:
    reclaim_interrupted(job)
    data = {"state": job.state, "state_label": job.get_state_display(), "percent": 100 if job.state == "done" else 0}
    if job.is_running:
        with contextlib.suppress(OSError, ValueError):
            data.update(json.loads(_progress_path(job.pk).read_text()))
    data["running"] = job.is_running
    return data


# Creating and reading ------------------------------------------------------------------------------------


def communes_for(user):
    return (
        Unit.objects.for_user(user, Action.ENTER)
        .active()
        .filter(level=Level.COMMUNE)
        .select_related("parent")
        .order_by(vi("parent__name"), vi("name"))
    )


def job_create(*, upload, commune: Unit, branch: Unit | None, create_branches: bool, actor) -> ImportJob:
    if not can(actor, Action.ENTER, commune) or commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune union within your units.")})
    if branch is not None and (branch.parent_id != commune.pk or not branch.is_active):
        raise ValidationError({"branch": _("The branch must be a live branch of the chosen commune union.")})
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; at most %(max)s MB can be imported.")
                % {"size": round(upload.size / 1_048_576, 1), "max": settings.IMPORT_MAX_BYTES // 1_048_576}
            }
        )
    job = ImportJob.objects.create(
        commune=commune,
        branch=branch,
        create_branches=create_branches,
        file=upload,
        file_name=os.path.basename(upload.name)[:255],
        size=upload.size,
        created_by=actor,
    )
    _run_or_enqueue(job, "analyse")
    return job


def _run_or_enqueue(job: ImportJob, phase: str) -> None:
    """Small files are handled at once; big ones go to the worker, after this transaction commits."""
    from . import tasks

    task = tasks.analyse_import if phase == "analyse" else tasks.commit_import
    if job.size <= settings.IMPORT_INLINE_MAX_BYTES:
        (job_analyse if phase == "analyse" else job_commit)(job.pk)
        job.refresh_from_db()
        return
    transaction.on_commit(lambda: task.enqueue(job.pk))


def _saved_mappings(commune: Unit) -> dict[str, dict[int, str | None]]:
    saved = SavedMapping.objects.filter(unit_id__in=[*commune.ancestor_ids, commune.pk]).order_by("-unit__depth")
    mappings: dict[str, dict[int, str | None]] = {}
    for mapping in saved:
        mappings.setdefault(mapping.signature, {int(k): v or None for k, v in mapping.columns.items()})
    return mappings


def _importer(job: ImportJob, actor, progress) -> pipeline.Importer:
    return pipeline.Importer(
        commune=job.commune,
        file_name=job.file_name,
        branch=job.branch,
        create_branches=job.create_branches,
        overrides={sheet: {int(k): v or None for k, v in cols.items()} for sheet, cols in job.overrides.items()},
        saved_mappings=_saved_mappings(job.commune),
        actor=actor,
        progress=progress,
    )


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def job_analyse(job_id: int) -> None:
    job = ImportJob.objects.select_related("commune", "branch", "created_by").get(pk=job_id)
    if job.state not in (ImportJob.State.QUEUED, ImportJob.State.READY, ImportJob.State.FAILED):
        return
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.ANALYSING, error="", updated_at=timezone.now())
    try:
        analysis = _importer(job, job.created_by, progress_writer(job.pk, "analyse")).analyse(_read(job))
    except ImportFileError as error:
        # The user gets the plain message; what the reader said goes to the log for the office.
        log.info("Import %s refused: %s (%r)", job.pk, error, error.__cause__)
        _finish(job, ImportJob.State.FAILED, error=str(error))
        return
    except Exception:
        log.exception("Import %s could not be analysed", job.pk)
        message = _("The file could not be read because of an internal error. Nothing was written.")
        _finish(job, ImportJob.State.FAILED, error=message)
        return
    _finish(job, ImportJob.State.READY, preview=preview_of(analysis))


def _finish(job: ImportJob, state: str, **fields) -> None:
    fields.setdefault("error", "")
    ImportJob.objects.filter(pk=job.pk).update(state=state, updated_at=timezone.now(), **fields)
    _progress_path(job.pk).unlink(missing_ok=True)


def job_set_mapping(*, job: ImportJob, sheet: str, columns: dict[int, str], save: bool, actor) -> None:
    """Correct which column holds what in one sheet, optionally for every file of the same shape, and re-read."""
    _require_ready(job, actor)
    known = set(FIELDS) | {""}
    if any(value not in known for value in columns.values()):
        raise ValidationError(_("Unknown field in the column mapping."))
    chosen = [value for value in columns.values() if value and value not in ("seq", "note")]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Each field can come from one column only."))
    overrides = dict(job.overrides)
    overrides[sheet] = {str(index): value for index, value in columns.items()}
    job.overrides = overrides
    job.state = ImportJob.State.QUEUED
    job.save(update_fields=["overrides", "state", "updated_at"])
    if save:
        signature = next((s["signature"] for s in job.preview.get("sheets", []) if s["name"] == sheet), "")
        headers = next((s["columns"] for s in job.preview.get("sheets", []) if s["name"] == sheet), [])
        if signature:
            SavedMapping.objects.update_or_create(
                signature=signature,
                unit=job.commune,
                defaults={"columns": overrides[sheet], "headers": headers, "created_by": actor},
            )
    _run_or_enqueue(job, "analyse")


def job_set_options(*, job: ImportJob, create_branches: bool, actor) -> None:
    _require_ready(job, actor)
    job.create_branches = create_branches
    job.state = ImportJob.State.QUEUED
    job.save(update_fields=["create_branches", "state", "updated_at"])
    _run_or_enqueue(job, "analyse")


def _require_ready(job: ImportJob, actor) -> None:
    require(actor, Action.ENTER, job.commune)
    if job.state != ImportJob.State.READY:
        raise ValidationError(
            _("This import is not waiting for a decision (it is: %(state)s).") % {"state": job.get_state_display()}
        )


def job_request_commit(*, job: ImportJob, actor) -> None:
    _require_ready(job, actor)
    counts = job.preview.get("counts", {})
    if not counts.get("new") and not counts.get("updated"):
        raise ValidationError(_("There is nothing to import: no new or changed members."))
    job.state = ImportJob.State.COMMIT_QUEUED
    job.committed_by = actor
    try:
        with transaction.atomic():
            job.save(update_fields=["state", "committed_by", "updated_at"])
    except IntegrityError as error:
        running = (
            ImportJob.objects.filter(commune=job.commune, state__in=["commit_queued", "committing"])
            .exclude(pk=job.pk)
            .select_related("committed_by")
            .first()
        )
        raise ValidationError(
            _(
                "Another import into %(commune)s is running (%(file)s, started by %(user)s). "
                "Wait until it has finished, then import again."
            )
            % {
                "commune": job.commune.name,
                "file": running.file_name if running else "",
                "user": (running.committed_by if running and running.committed_by else "?"),
            }
        ) from error
    _run_or_enqueue(job, "commit")


def job_commit(job_id: int) -> None:
    """Read the file again (the register may have changed since the preview) and write it in one transaction."""
    job = ImportJob.objects.select_related("commune", "branch", "committed_by").get(pk=job_id)
    if job.state != ImportJob.State.COMMIT_QUEUED:
        return
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMMITTING, updated_at=timezone.now())
    report = progress_writer(job.pk, "commit")
    actor = job.committed_by
    note = _("Imported from %(file)s (import no. %(id)s)") % {"file": job.file_name, "id": job.pk}
    try:
        with transaction.atomic():
            analysis, outcome = pipeline.analyse_and_commit(
                _importer(job, actor, report), _read(job), actor=actor, note=note, progress=report
            )
    except (ImportFileError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        stopped = _("The import was stopped and nothing was written: %(reason)s") % {"reason": message}
        _finish(job, ImportJob.State.READY, error=stopped)
        return
    except Exception:
        log.exception("Import %s failed", job.pk)
        message = _("The import failed because of an internal error and nothing was written.")
        _finish(job, ImportJob.State.READY, error=message)
        return
    _finish(job, ImportJob.State.DONE, outcome=outcome, preview=preview_of(analysis), finished_at=timezone.now())


def job_cancel(*, job: ImportJob, actor) -> None:
    require(actor, Action.ENTER, job.commune)
    if job.state not in (ImportJob.State.READY, ImportJob.State.FAILED, ImportJob.State.QUEUED):
        raise ValidationError(_("An import that has started or finished cannot be cancelled."))
    job.state = ImportJob.State.CANCELLED
    job.save(update_fields=["state", "updated_at"])


# Preview -------------------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _display(data: dict) -> dict:
    return {key: _cell(value) if isinstance(value, datetime.date) else value for key, value in data.items()}


def preview_of(analysis: pipeline.Analysis) -> dict:
    """What the preview page and the rejects file need, as JSON."""
    return {
        "kind": analysis.kind,
        "text_encoding": analysis.text_encoding,
        "sheets": [sheet.as_dict() for sheet in analysis.sheets],
        "ignored_sheets": analysis.ignored_sheets,
        "warnings": analysis.warnings,
        "counts": {
            "new": len(analysis.new),
            "updated": len(analysis.updated),
            "unchanged": len(analysis.unchanged),
            "rejected": len(analysis.rejected),
            "skipped": len(analysis.skipped),
        },
        "headers": analysis.headers,
        "skipped": [skipped.as_dict() for skipped in analysis.skipped[:200]],
        "flags": [flag.as_dict() for flag in analysis.flags[:200]],
        "ambiguous_branches": analysis.ambiguous_branches,
        "rejected": [
            {
                "sheet": rejected.sheet,
                "row": rejected.row,
                "problems": [problem.as_dict() for problem in rejected.problems],
                "original": [_cell(value) for value in rejected.original],
            }
            for rejected in analysis.rejected
        ],
        "sample": [
            {
                "sheet": row.sheet,
                "row": row.row,
                "branch": row.branch.name if row.branch else branch_display_name(row.branch_name),
                **_display(row.data),
            }
            for row in analysis.new[:SAMPLE_ROWS]
        ],
        "changes": [
            {
                "sheet": row.sheet,
                "row": row.row,
                "member": row.member_id,
                "name": row.data["full_name"],
                "moved_to": row.branch.name if row.moved and row.branch else "",
                "fields": {name: [_cell(old), _cell(new)] for name, (old, new) in row.changes.items()},
            }
            for row in analysis.updated[:200]
        ],
        "unknown_branches": analysis.unknown_branches,
        "branches_to_create": analysis.branches_to_create,
    }


PERSONAL_FIELDS = ("id_number", "old_id_number", "phone")


def _mask_numbers(value):
    """Any cell holding an ID or phone number (eight digits or more) of a file read by someone who may not see it."""
    if isinstance(value, str) and sum(ch.isdigit() for ch in value) >= 8:
        return mask(value)
    return value


def preview_for(user, job: ImportJob) -> dict:
    """The job's preview as ``user`` may see it: ID and phone numbers masked unless she keeps the commune's register."""
    preview = job.preview or {}
    if may_see_personal(user, job.commune.path):
        return preview
    masked = copy.deepcopy(preview)
    for row in masked.get("sample", []):
        for name in PERSONAL_FIELDS:
            if row.get(name):
                row[name] = mask(str(row[name]))
    for rejected in masked.get("rejected", []):
        rejected["original"] = [_mask_numbers(value) for value in rejected["original"]]
    for change in masked.get("changes", []):
        for name in PERSONAL_FIELDS:
            if name in change["fields"]:
                change["fields"][name] = [mask(str(value or "")) for value in change["fields"][name]]
    for flag in masked.get("flags", []):
        flag["value"] = _mask_numbers(flag["value"])
    for skipped in masked.get("skipped", []):
        skipped["text"] = _mask_numbers(skipped["text"])
    return masked


def rejected_workbook(preview: dict) -> bytes:
    """The rejected rows as they were in the file, with the reason in a last column, to fix and upload again."""

    import openpyxl
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.Workbook()
    book.remove(book.active)
    by_sheet: dict[str, list[dict]] = {}
    for rejected in preview.get("rejected", []):
        by_sheet.setdefault(rejected["sheet"], []).append(rejected)
    for sheet_name, rows in by_sheet.items() or [("", [])]:
        sheet = book.create_sheet(title=(sheet_name or _("Rejected"))[:31].replace("/", "-"))
        headers = preview.get("headers", {}).get(sheet_name, [])
        width = max([len(headers)] + [len(r["original"]) for r in rows])
        sheet.append([*(headers + [""] * (width - len(headers))), _("Row in the file"), _("Reason")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for rejected in rows:
            reasons = "; ".join(
                f"{problem['column'] or pipeline.field_label(problem['field'])}: {problem['reason']}"
                for problem in rejected["problems"]
            )
            original = list(rejected["original"])
            sheet.append([*(original + [""] * (width - len(original))), rejected["row"], reasons])
            sheet.cell(row=sheet.max_row, column=width + 2).fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[openpyxl.utils.get_column_letter(width + 2)].width = 60
        sheet.freeze_panes = "A2"
    if not book.worksheets:
        book.create_sheet(_("Rejected"))
    return workbook_bytes(book)
