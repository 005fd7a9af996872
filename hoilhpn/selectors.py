"""What the home page says is waiting for a user ("Việc cần làm"): one count per kind of work, each from the
app that owns it, scoped to her units. A handful of counting queries, whatever the size of the province."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.scope import Action, scope_q
from branches.selectors import unit_search
from imports.models import ImportJob
from members import selectors as members
from members.models import Member
from programmes.models import Group
from reports.constants import ReportState
from reports.models import PeriodReport, ReportingPeriod
from reports.selectors import reporting_levels
from supervision.models import Case, Dialogue, Recommendation, Supervision

# Periods whose deadline passed longer ago than this no longer show as due on the home page.
DUE_WINDOW = datetime.timedelta(days=90)


@dataclass
class Todo:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def _own_reports_due(user, today: datetime.date) -> tuple[int, str, bool]:
    """Period reports of the user's own units that are not submitted yet (missing, draft or returned)."""
    units = list(
        user.roles.filter(can_enter=True, unit__level__in=reporting_levels()).values_list("unit_id", flat=True)
    )
    if not units:
        return 0, "", False
    periods = list(ReportingPeriod.objects.filter(end__lte=today, deadline__gte=today - DUE_WINDOW))
    if not periods:
        return 0, "", False
    done = set(
        PeriodReport.objects.filter(
            unit_id__in=units, period__in=periods, state__in=(ReportState.SUBMITTED, ReportState.APPROVED)
        ).values_list("unit_id", "period_id")
    )
    due = [(u, p) for u in units for p in periods if (u, p.pk) not in done]
    if not due:
        return 0, "", False
    unit_id, period = min(due, key=lambda pair: pair[1].deadline)
    url = reverse("reports:report_detail", args=[period.pk, unit_id])
    return len(due), url, any(p.deadline < today for _u, p in due)


def todo_for(user, today: datetime.date) -> list[Todo]:
    """Everything waiting for ``user``, the most pressing first; kinds with nothing waiting are left out."""
    found: list[Todo] = []
    n, url, late = _own_reports_due(user, today)
    if n:
        found.append(Todo("reports_due", _("Period reports to submit"), n, url, late))
    own = user.roles.values_list("unit_id", flat=True)
    to_approve = (
        PeriodReport.objects.filter(state=ReportState.SUBMITTED)
        .filter(scope_q(user, Action.APPROVE, "unit__path"))
        .exclude(unit_id__in=own)
        .count()
    )
    if to_approve:
        found.append(Todo("reports_to_approve", _("Period reports waiting for your approval"), to_approve,
                          reverse("reports:board")))  # fmt: skip
    returned = PeriodReport.objects.filter(state=ReportState.RETURNED, unit_id__in=own).count()
    if returned:
        found.append(Todo("reports_returned", _("Reports returned for correction"), returned,
                          reverse("reports:board"), True))  # fmt: skip
    transfers = members.incoming_transfers(user).count()
    if transfers:
        found.append(Todo("transfers", _("Members transferred to your branches, waiting for you"), transfers,
                          reverse("members:transfer_list")))  # fmt: skip
    merges = members.pending_merges(user).exclude(requested_by=user).count()
    if merges:
        found.append(Todo("merges", _("Duplicate records waiting for a decision"), merges,
                          reverse("members:duplicate_list")))  # fmt: skip
    overdue = Recommendation.objects.for_user(user, Action.ENTER).overdue_on(today).count()
    if overdue:
        found.append(Todo("overdue", _("Recommendations overdue"), overdue,
                          reverse("supervision:recommendation_list") + "?status=overdue", True))  # fmt: skip
    imports = ImportJob.objects.for_user(user, Action.ENTER).filter(Q(state=ImportJob.State.READY)).count()
    if imports:
        found.append(Todo("imports", _("Imported lists waiting for your decision"), imports,
                          reverse("imports:import_list")))  # fmt: skip
    return sorted(found, key=lambda todo: not todo.urgent)


# --- Search across the app -------------------------------------------------------------------

SEARCH_LIMIT = 20


@dataclass
class Found:
    title: str
    items: list  # (label, detail, url)
    more: str = ""  # a link to the full list, when there may be more


def search_everything(user, text: str) -> list[Found]:
    """Members (by name, or by a whole ID or phone number), units and records of the user's units matching
    ``text``; each group capped, with a link to its full list."""
    text = text.strip()[:80]
    if len(text) < 2:
        return []
    query = urlencode({"q": text})
    groups = []
    members = Member.objects.for_user(user).search(text, user).select_related("branch")[:SEARCH_LIMIT]
    groups.append(Found(_("Members"), [
        (m.full_name, f"{m.birth_year or ''} · {m.branch.name}", reverse("members:member_detail", args=[m.pk]))
        for m in members
    ], reverse("members:member_list") + "?" + query))  # fmt: skip
    units = unit_search(user, text, limit=SEARCH_LIMIT)
    groups.append(Found(_("Units"), [
        (u.name, u.parent.name if u.parent_id else "", reverse("branches:unit_detail", args=[u.pk])) for u in units
    ], reverse("branches:unit_browser") + "?" + query))  # fmt: skip
    records = [
        (_("Supervisions"), Supervision, "topic", "started_on", "supervision:supervision"),
        (_("Dialogue forums"), Dialogue, "topic", "held_on", "supervision:dialogue"),
        (_("Petitions, mediations and cases"), Case, "subject", "received_on", "supervision:case"),
        (_("Groups, clubs and models"), Group, "name", "founded_on", "programmes:group"),
    ]
    for title, model, field, day, url in records:
        detail = f"{url}_detail" if model in (Supervision, Dialogue) else f"{url}_edit"
        listing = f"{url}_list"
        found = (
            model.objects.for_user(user)
            .filter(Q(**{f"{field}__icontains": text}))
            .select_related("unit")
            .order_by(f"-{day}")[:10]
        )
        items = [(getattr(r, field), f"{getattr(r, day):%d/%m/%Y} · {r.unit.name}", reverse(detail, args=[r.pk]))
                 for r in found]  # fmt: skip
        groups.append(Found(title, items, reverse(listing) + "?" + query))
    return [group for group in groups if group.items]
