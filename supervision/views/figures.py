"""The figures of supervision and social work for a subtree and a period, in tables."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.scope import scope_unit
from branches.constants import Level
from branches.forms import UnitFilterForm
from branches.selectors import top_unit
from common.forms import picker_options
from common.lists import filtered

from .. import filters, selectors
from ..constants import (
    CaseKind,
    ContributionKind,
    OpinionField,
    OpinionOutcome,
    ReviewKind,
    Source,
    SupervisionKind,
)
from ..models import Supervision

# --- Figures ----------------------------------------------------------------------------------


@login_required
def figures(request):
    if options := picker_options(request, UnitFilterForm(request.user)):  # the unit picker above the figures
        return options
    unit = scope_unit(request)
    if unit is None:
        top = top_unit(request.user)
        if top is None:
            raise Http404
        unit = top
    period = filtered(filters.PeriodOnlyFilterSet, request.GET, Supervision.objects.none())
    form = period.form
    start, end = period.period()
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
            "unit_filter": UnitFilterForm(request.user, unit),
            "section": "figures",
        },
    )


def _figure_tables(fig: selectors.Figures) -> list[dict]:
    """The figures as plain tables (title, headings, rows of label + numbers) for the page."""
    levels = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH]
    rec_metrics = [
        ("made", _("Made")),
        ("accepted", pgettext("recommendation", "Accepted")),
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
