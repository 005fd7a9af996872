"""Figures of the programme records for the report, one grouped query per record type.

``figures`` returns (key, figure, value) rows for the records of a grouping's units over a span, a key being
what the grouping sums them under (``branches.grouping``: a unit, a level, or a line of the tree as it stood);
the report engine folds them, so a figure is counted here once and only labelled there.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from branches.grouping import BY
from common.text import fold

from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild

# A credit statement older than this at the span's end no longer tells the balance.
CREDIT_STALE_DAYS = 400
CREDIT_METRICS = ("outstanding", "borrowers", "households", "groups", "savings")
CREDIT_FLOWS = ("disbursed", "new_borrowers")


def is_money(key: str) -> bool:
    """Whether a figure of these records is an amount in đồng (printed as reports write it: "1,78 tỷ đồng")."""
    if key.startswith("charity.campaign:"):
        return True
    return key.startswith(("credit.", "tasks.", "charity.", "houses.")) and key.endswith(
        (".outstanding", ".savings", ".disbursed", ".value")
    )


@dataclass
class ProgrammeFigures:
    rows: list[tuple] = field(default_factory=list)
    # (key, campaign name as first written, value, gift packages, people helped), one per key and campaign
    campaigns: list[tuple] = field(default_factory=list)

    def put(self, key, figure: str, value) -> None:
        if value:
            self.rows.append((key, figure, value))


def figures(grouping, start: datetime.date, end: datetime.date) -> ProgrammeFigures:
    """The programme figures of ``grouping``'s units from ``start`` to ``end``, a row per key of the grouping."""
    found = ProgrammeFigures()
    for count in (_groups, _credit, _awards, _tasks, _contests, _charity, _houses, _children):
        count(found, grouping, start, end)
    return found


def _alive(start_field: str, end_field: str, day: datetime.date) -> Q:
    return Q(**{f"{start_field}__lte": day}) & (Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": day}))


def _groups(found, grouping, start, end):
    alive = _alive("founded_on", "dissolved_on", end)
    rows = (
        grouping.records(Group.objects)
        .filter(founded_on__lte=end)
        .values(BY, "kind")
        .annotate(
            n=Count("id", filter=alive),
            members=Sum("members", filter=alive),
            new=Count("id", filter=Q(founded_on__gte=start)),
            dissolved=Count("id", filter=Q(dissolved_on__gte=start, dissolved_on__lte=end)),
        )
        .order_by()
    )
    for row in rows:
        for metric in ("n", "members", "new", "dissolved"):
            found.put(row[BY], f"groups.{metric}", row[metric])
            found.put(row[BY], f"groups.{row['kind']}.{metric}", row[metric])


def _credit(found, grouping, start, end):
    # Balances: each unit's latest statement of each source on or before the span's end (per unit, whatever the key),
    # picked by the database: a year's statements are several a unit.
    latest = Window(RowNumber(), partition_by=[F("unit_id"), F("source")], order_by=[F("as_of").desc(), F("id").desc()])
    for row in (
        grouping.records(CreditStatement.objects)
        .filter(as_of__lte=end, as_of__gt=end - datetime.timedelta(CREDIT_STALE_DAYS))
        .annotate(latest=latest)
        .filter(latest=1)
        .order_by()
        .values(BY, "source", *CREDIT_METRICS)
    ):
        for metric in CREDIT_METRICS:
            found.put(row[BY], f"credit.{metric}", row[metric])
            found.put(row[BY], f"credit.{row['source']}.{metric}", row[metric])
    # Flows: what the statements dated in the span say was lent since the one before.
    for row in (
        grouping.records(CreditStatement.objects)
        .filter(as_of__gte=start, as_of__lte=end)
        .values(BY, "source")
        .annotate(disbursed=Sum("disbursed"), new_borrowers=Sum("new_borrowers"))
        .order_by()
    ):
        for metric in CREDIT_FLOWS:
            found.put(row[BY], f"credit.{metric}", row[metric])
            found.put(row[BY], f"credit.{row['source']}.{metric}", row[metric])


def _awards(found, grouping, start, end):
    for row in (
        grouping.records(Award.objects)
        .filter(awarded_on__gte=start, awarded_on__lte=end)
        .values(BY, "direction", "kind", "recipient_kind")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        direction = row["direction"]
        found.put(row[BY], f"awards.{direction}", row["n"])
        found.put(row[BY], f"awards.{direction}.{row['recipient_kind']}", row["n"])
        found.put(row[BY], f"awards.{direction}.{row['kind']}.{row['recipient_kind']}", row["n"])


def _tasks(found, grouping, start, end):
    done = Q(completed_on__isnull=False, completed_on__lte=end)
    for row in (
        grouping.records(KeyTask.objects)
        .filter(registered_on__gte=start, registered_on__lte=end)
        .values(BY, "kind")
        .annotate(registered=Count("id"), completed=Count("id", filter=done), value=Sum("value", filter=done))
        .order_by()
    ):
        for metric in ("registered", "completed", "value"):
            found.put(row[BY], f"tasks.{row['kind']}.{metric}", row[metric])


def _contests(found, grouping, start, end):
    for row in (
        grouping.records(Contest.objects)
        .filter(held_on__gte=start, held_on__lte=end)
        .values(BY)
        .annotate(n=Count("id"), participants=Sum("participants"), entries=Sum("entries"))
        .order_by()
    ):
        for metric in ("n", "participants", "entries"):
            found.put(row[BY], f"contests.{metric}", row[metric])


def _charity(found, grouping, start, end):
    for row in (
        grouping.records(Charity.objects)
        .filter(given_on__gte=start, given_on__lte=end)
        .values(BY, "campaign")
        .annotate(value=Sum("value"), gifts=Sum("gifts"), beneficiaries=Sum("beneficiaries"))
        .order_by()
    ):
        for metric in ("value", "gifts", "beneficiaries"):
            found.put(row[BY], f"charity.{metric}", row[metric])
        found.campaigns.append(
            (row[BY], row["campaign"], row["value"] or 0, row["gifts"] or 0, row["beneficiaries"] or 0)
        )


def _houses(found, grouping, start, end):
    for row in (
        grouping.records(House.objects)
        .filter(handed_over_on__gte=start, handed_over_on__lte=end)
        .values(BY, "kind")
        .annotate(n=Count("id"), value=Sum("value"), beneficiaries=Sum("beneficiaries"))
        .order_by()
    ):
        found.put(row[BY], "houses.n", row["n"])
        found.put(row[BY], f"houses.{row['kind']}", row["n"])
        found.put(row[BY], "houses.value", row["value"])
        found.put(row[BY], "houses.beneficiaries", row["beneficiaries"])


def _children(found, grouping, start, end):
    sponsored = Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=end))
    for row in (
        grouping.records(SponsoredChild.objects)
        .filter(started_on__lte=end)
        .values(BY)
        .annotate(sponsored=Count("id", filter=sponsored), new=Count("id", filter=Q(started_on__gte=start)))
        .order_by()
    ):
        found.put(row[BY], "children.sponsored", row["sponsored"])
        found.put(row[BY], "children.new", row["new"])


def campaign_totals(campaigns) -> list[tuple[str, int, int, int]]:
    """(campaign, value, gift packages, people helped) of each campaign, the same campaign however it was
    typed ("Tết biên cương" and "tết  Biên Cương"), largest first."""
    totals: dict[str, list] = defaultdict(lambda: ["", 0, 0, 0])
    for _key, name, value, gifts, people in campaigns:
        line = totals[fold(name)]
        line[0] = line[0] or name.strip()
        line[1] += value
        line[2] += gifts
        line[3] += people
    return sorted((tuple(line) for line in totals.values()), key=lambda line: (-line[1], line[0]))
