"""Period reports: entry, submission and bottom-up approval, with locks that say why and who can lift them.

A unit enters its own activities; the level above reviews (return with a
comment, or approve, which locks the data). A report can be approved only once
every unit below it that was expected to report has been approved, and an
approved report is unlocked from above, top first, so an approved total never
changes under anyone's feet. Every step is logged.
"""

import datetime
import decimal
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.scope import Action, can, is_province_office, require
from branches.models import Unit
from common.text import fold
from hoilhpn.routers import replica_reads
from members import figures

from . import narrative, printing
from .constants import EDITABLE_STATES, LogAction, ReportState
from .models import (
    Document,
    Indicator,
    Narrative,
    PeriodReport,
    ReportingPeriod,
    ReportLog,
    ReportValue,
    SignedReport,
    Target,
)
from .selectors import expected_children

logger = logging.getLogger(__name__)


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else _("someone")


def lock_reason(report: PeriodReport) -> str:
    """Why a report cannot be edited now, and who can change that; empty when it can be edited."""
    parent = report.unit.parent
    reviewer = parent.name if parent else _("the level above")
    if report.state == ReportState.SUBMITTED:
        return _(
            "This report was submitted on %(day)s and waits for %(reviewer)s to review it, so it cannot be changed. "
            "%(reviewer)s can return it for correction."
        ) % {"day": _day(report.submitted_at), "reviewer": reviewer}
    if report.state == ReportState.APPROVED:
        return _(
            "This report was approved by %(who)s on %(day)s and is locked. "
            "An approver of %(reviewer)s or a higher level can unlock it."
        ) % {"who": _who(report.decided_by), "day": _day(report.decided_at), "reviewer": reviewer}
    return ""


def report_for(unit: Unit, period: ReportingPeriod) -> PeriodReport:
    report, _created = PeriodReport.objects.get_or_create(unit=unit, period=period)
    return report


def _log(report, action, actor, comment=""):
    ReportLog.objects.create(report=report, action=action, actor=actor, comment=comment)


def _locked(report: PeriodReport) -> PeriodReport:
    return (
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("unit__parent", "period", "decided_by")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save(*, actor, report: PeriodReport, values: dict[int, decimal.Decimal | None], note: str = "") -> None:
    """Store the figures entered (indicator id → value; None clears one) while the report is editable."""
    report = _locked(report)
    require(actor, Action.ENTER, report.unit)
    if report.state not in EDITABLE_STATES:
        raise ValidationError(lock_reason(report))
    allowed = set(Indicator.objects.active().for_level(report.unit.level).values_list("pk", flat=True))
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Some figures are not reported at this level."))
    for indicator_id, value in values.items():
        if value is None:
            ReportValue.objects.filter(report=report, indicator_id=indicator_id).delete()
        else:
            if value < 0:
                raise ValidationError(_("Figures cannot be negative."))
            ReportValue.objects.update_or_create(report=report, indicator_id=indicator_id, defaults={"value": value})
    report.note = note
    report.save(update_fields=["note", "updated_at"])
    _log(report, LogAction.SAVED, actor)


@transaction.atomic
def report_submit(*, actor, report: PeriodReport) -> None:
    report = _locked(report)
    require(actor, Action.ENTER, report.unit)
    if report.state not in EDITABLE_STATES:
        raise ValidationError(lock_reason(report))
    now = timezone.now()
    report.state = ReportState.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["state", "submitted_at", "first_submitted_at", "updated_at"])
    _log(report, LogAction.SUBMITTED, actor)


def reviewer_of(unit: Unit) -> Unit:
    """Who approves a unit's period report: the level above; the top of the tree has none and closes its own."""
    return unit.parent if unit.parent_id is not None else unit


def _require_reviewer(actor, report: PeriodReport) -> None:
    reviewer = reviewer_of(report.unit)
    if not can(actor, Action.APPROVE, reviewer):
        raise ValidationError(
            _("Only an approver of %(reviewer)s or a higher level can review this report.")
            % {"reviewer": reviewer.name}
        )


@transaction.atomic
def report_return(*, actor, report: PeriodReport, comment: str) -> None:
    """Send a submitted report back for correction; the comment says what to correct."""
    report = _locked(report)
    _require_reviewer(actor, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be returned; this one is “%(state)s”.")
            % {"state": report.get_state_display()}
        )
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    report.state = ReportState.RETURNED
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    _log(report, LogAction.RETURNED, actor, comment.strip())


@transaction.atomic
def report_approve(*, actor, report: PeriodReport) -> None:
    report = _locked(report)
    _require_reviewer(actor, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be approved; this one is “%(state)s”.")
            % {"state": report.get_state_display()}
        )
    waiting = [line for line in expected_children(report.unit, report.period) if line.state != ReportState.APPROVED]
    if waiting:
        names = ", ".join(f"{line.name} ({line.state_label})" for line in waiting[:10])
        more = len(waiting) - 10
        raise ValidationError(
            _("%(n)s units below have not been approved yet: %(names)s%(more)s. Approve theirs first.")
            % {"n": len(waiting), "names": names, "more": _(" and %(n)s more") % {"n": more} if more > 0 else ""}
        )
    report.state = ReportState.APPROVED
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    # The top unit's report has no level above: its own office closes it, and its own work then counts.
    _log(report, LogAction.APPROVED if report.unit.parent_id is not None else LogAction.CLOSED, actor)


@transaction.atomic
def report_unlock(*, actor, report: PeriodReport, comment: str = "") -> None:
    """Reopen an approved report for correction, from above; the report above it must be unlocked first."""
    report = _locked(report)
    _require_reviewer(actor, report)
    if report.state != ReportState.APPROVED:
        raise ValidationError(_("Only an approved report can be unlocked."))
    parent = report.unit.parent
    above = PeriodReport.objects.filter(unit=parent, period=report.period, state=ReportState.APPROVED).first()
    if above is not None:
        grand = parent.parent.name if parent.parent_id else _("the level above")
        raise ValidationError(
            _(
                "The report of %(parent)s for this period is approved and counts this one: "
                "an approver of %(grand)s must unlock it first."
            )
            % {"parent": parent.name, "grand": grand}
        )
    report.state = ReportState.RETURNED
    report.decided_at, report.decided_by = timezone.now(), actor
    report.save(update_fields=["state", "decided_at", "decided_by", "updated_at"])
    _log(report, LogAction.UNLOCKED, actor, (comment or "").strip())


# --- Indicators, periods, targets --------------------------------------------------------------


def indicator_save(*, actor, indicator: Indicator | None = None, **fields) -> Indicator:
    """Province administrators keep the catalogue; a code once used keeps its meaning."""
    _require_province_admin(actor)
    indicator = indicator or Indicator()
    renamed = indicator.pk and "code" in fields and fields["code"] != indicator.code
    if renamed and ReportValue.objects.filter(indicator=indicator).exists():
        raise ValidationError({"code": _("This indicator already has figures: its code cannot change.")})
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator


def indicator_retire(*, actor, indicator: Indicator) -> None:
    _require_province_admin(actor)
    indicator.retired_on = timezone.localdate()
    indicator.save(update_fields=["retired_on"])


def _require_province_admin(actor) -> None:
    if actor is not None and not is_province_office(actor):
        raise ValidationError(_("Only the province office keeps the indicator catalogue."))


def period_save(*, actor, period: ReportingPeriod | None = None, **fields) -> ReportingPeriod:
    _require_province_admin(actor)
    period = period or ReportingPeriod()
    for name, value in fields.items():
        setattr(period, name, value)
    period.full_clean()
    period.save()
    return period


def target_save(*, actor, target: Target | None = None, **fields) -> Target:
    unit = fields.get("unit") or target.unit
    require(actor, Action.ENTER, unit)
    target = target or Target()
    for name, value in fields.items():
        setattr(target, name, value)
    if target.span == "year":
        target.end_year = target.year
    target.full_clean()
    target.save()
    return target


def default_periods(year: int) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
    """The Union's usual periods: six months 15/12 → 14/6, year 15/12 → 14/12, reported within ten days."""
    return [
        ("half", datetime.date(year - 1, 12, 15), datetime.date(year, 6, 14), datetime.date(year, 6, 24)),
        ("year", datetime.date(year - 1, 12, 15), datetime.date(year, 12, 14), datetime.date(year, 12, 24)),
    ]


# --- Annual report: narrative and printed documents ----------------------------------------------


def narrative_text(unit: Unit, report) -> tuple[str, "Narrative | None"]:
    """The office's edited text when there is one, else the generated draft."""
    saved = Narrative.objects.filter(unit=unit, span=report.span.key).first()
    return (saved.text, saved) if saved else (narrative.draft(report), None)


def narrative_save(*, actor, unit: Unit, report, text: str) -> Narrative:
    """Keep the office's edit of a report's text (every version stays in its history)."""
    require(actor, Action.ENTER, unit)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The text is empty.")})
    unknown = narrative.unknown_tokens(text, report)
    if unknown:
        raise ValidationError(
            {
                "text": [
                    _("Line %(line)d: %(token)s names no figure of this report.") % {"line": line, "token": token}
                    for line, token in unknown
                ]
            }
        )
    saved, _created = Narrative.objects.update_or_create(
        unit=unit, span=report.span.key, defaults={"text": text, "updated_by": actor}
    )
    return saved


def narrative_reset(*, actor, unit: Unit, span_key: str) -> None:
    """Go back to the generated draft (the edits stay in the history)."""
    require(actor, Action.ENTER, unit)
    Narrative.objects.filter(unit=unit, span=span_key).delete()


# Subtrees up to this many units print at once; bigger ones go to the background worker.
INLINE_PRINT_UNITS = 400


def document_request(*, actor, unit: Unit, span, fmt: str, number: str = "") -> Document:
    require(actor, Action.VIEW, unit)
    document = Document.objects.create(unit=unit, span=span.key, format=fmt, number=number, created_by=actor)
    return _render_now_or_later(document, now=Unit.objects.in_subtree(unit).count() <= INLINE_PRINT_UNITS)


def _render_now_or_later(document: Document, *, now: bool) -> Document:
    """A small document is rendered while the user waits; a big one by the worker, once this transaction commits
    (the progress page follows it)."""
    if now:
        document_render(document.pk)
        document.refresh_from_db()
    else:
        from . import tasks

        transaction.on_commit(lambda: tasks.render_document.enqueue(document.pk))
    return document


# A whole province prints in seconds; a document still "rendering" after this long lost its worker.
DOCUMENT_INTERRUPTED_AFTER = datetime.timedelta(minutes=10)


def reclaim_interrupted_document(document: Document) -> bool:
    if not document.running or timezone.now() - document.created_at < DOCUMENT_INTERRUPTED_AFTER:
        return False
    Document.objects.filter(pk=document.pk).update(
        state=Document.State.FAILED, error=_("Rendering was interrupted (the server stopped); print it again.")
    )
    document.refresh_from_db()
    return True


def document_render(document_id: int) -> None:
    """Build the report and write its PDF or xlsx; a failure is recorded on the document, never half a file."""
    document = Document.objects.select_related("unit", "unit__parent").get(pk=document_id)
    # The worker has no request: the document speaks the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        _render(document)


def _render(document: Document) -> None:
    def progress(percent: int) -> None:
        Document.objects.filter(pk=document.pk).update(progress=percent)

    Document.objects.filter(pk=document.pk).update(state=Document.State.RUNNING, progress=5)
    try:
        with replica_reads():  # figures and members may come from the read replica; progress goes to the primary
            if document.kind == Document.Kind.MEMBERS:
                name, content = _member_list(document, progress)
            else:
                name, content = _annual(document, progress)
        document.file.save(name, ContentFile(content), save=False)
    except figures.FiguresNotReady:
        # Rendered while the user waits, but a day its member figures need is not kept and the register is too
        # large to count it here: the worker renders it instead, keeping the day first.
        Document.objects.filter(pk=document.pk).update(state=Document.State.QUEUED, progress=0)
        _render_now_or_later(document, now=False)
        return
    except Exception as error:  # noqa: BLE001 - any failure must end as a failed document, not a stuck one
        logger.exception("Rendering document %s failed", document.pk)
        Document.objects.filter(pk=document.pk).update(
            state=Document.State.FAILED, error=_("Rendering failed: %(error)s") % {"error": error}
        )
        return
    Document.objects.filter(pk=document.pk).update(
        state=Document.State.DONE, progress=100, file=document.file.name, finished_at=timezone.now()
    )


def _annual(document: Document, progress) -> tuple[str, bytes]:
    from .selectors import annual

    report = annual.build(document.unit, annual.span_from_key(document.span))
    progress(40)
    text, _saved = narrative_text(document.unit, report)
    if document.format == Document.Format.PDF:
        content = printing.render_pdf(report, text, progress, number=document.number)
    else:
        content = printing.render_xlsx(report, text)
    return f"bao-cao-{slugify(fold(report.name))}-{document.span.replace(':', '-')}.{document.format}", content


def _member_list(document: Document, progress) -> tuple[str, bytes]:
    from members import exporters
    from members import printing as member_printing

    query, total = document.params.get("query", ""), max(1, document.params.get("count", 1))
    if document.format == Document.Format.PDF:
        content = member_printing.render_pdf(
            document.unit, member_printing.rows_for(document.created_by, document.unit, query)
        )
    elif document.format in (Document.Format.CSV, Document.Format.JSON):
        rows = member_printing.export_rows_for(document.created_by, document.unit, query)
        render = exporters.render_csv if document.format == Document.Format.CSV else exporters.render_json
        content = "".join(render(_counting(rows, progress, total))).encode("utf-8")
    else:
        rows = member_printing.export_rows_for(document.created_by, document.unit, query)
        handle = exporters.render_xlsx(
            rows, unit=document.unit, progress=lambda n: progress(min(95, 5 + n * 90 // total))
        )
        content = handle.read()
    return (
        f"danh-sach-hoi-vien-{slugify(fold(document.unit.name))}-{timezone.localdate():%Y%m%d}.{document.format}",
        content,
    )


def _counting(rows, progress, total: int, every: int = 5000):
    """``rows``, reporting the share written every ``every`` rows (5 % to 95 %)."""
    for number, row in enumerate(rows, start=1):
        if number % every == 0:
            progress(min(95, 5 + number * 90 // total))
        yield row


# Lists up to this many members print at once; longer ones go to the background worker with a progress bar.
INLINE_MEMBER_ROWS = 3000


def member_list_request(*, actor, unit: Unit, query: str, fmt: str, count: int) -> Document:
    """Print the member list (as filtered on the list page) in the Union's layout; logged as a list export."""
    from accounts.models import DataAccessLog
    from accounts.services import log_data_access
    from members.printing import PDF_MAX_ROWS

    require(actor, Action.VIEW, unit)
    if fmt == Document.Format.PDF and count > PDF_MAX_ROWS:
        raise ValidationError(
            _("%(n)s members are too many pages for a PDF: print the Excel list, or narrow the list first.")
            % {"n": count}
        )
    log_data_access(user=actor, kind=DataAccessLog.Kind.LIST_EXPORT, unit=unit, detail={"print": fmt, "query": query})
    document = Document.objects.create(
        unit=unit, kind=Document.Kind.MEMBERS, params={"query": query, "count": count}, format=fmt, created_by=actor
    )
    return _render_now_or_later(document, now=count <= INLINE_MEMBER_ROWS)


# --- Signing ------------------------------------------------------------------------------------


@transaction.atomic
def report_sign(*, actor, unit: Unit, span, number: str, note: str = "") -> SignedReport:
    """Sign the report of ``unit`` for ``span`` with the number it is sent under: every figure is stored with it.

    Signing again is a correction: a new version with a new number, and a reason; the version it replaces is
    kept, marked as replaced."""
    from .selectors.figures import figures_of

    require(actor, Action.APPROVE, unit)
    number = " ".join((number or "").split())
    if not number:
        raise ValidationError({"number": _("Give the number the report is sent under.")})
    if SignedReport.objects.filter(unit=unit, number=number).exists():
        raise ValidationError(
            {"number": _("Number %(number)s is already used by a signed report.") % {"number": number}}
        )
    current = (
        SignedReport.objects.select_for_update()
        .filter(unit=unit, span=span.key, replaced_by__isnull=True)
        .order_by("-version")
        .first()
    )
    if current is not None and not (note or "").strip():
        raise ValidationError({"note": _("Say why the signed report is corrected.")})
    signed = SignedReport.objects.create(
        unit=unit,
        span=span.key,
        number=number,
        version=current.version + 1 if current else 1,
        figures=figures_of(unit, span),
        note=(note or "").strip(),
        signed_by=actor,
    )
    if current is not None:
        current.replaced_by = signed
        current.save(update_fields=["replaced_by"])
    # The PDF that is sent, with its number in the heading, kept with the signed figures.
    signed.document = document_request(actor=actor, unit=unit, span=span, fmt=Document.Format.PDF, number=number)
    signed.save(update_fields=["document"])
    return signed
