"""The figures of cadres, counted once: the cadre list's summary and the annual report use these."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from branches.grouping import BY

from .models import Cadre, Degree, Position, Term, Training

GRADUATES = (Degree.UNIVERSITY, Degree.POSTGRADUATE)
LEADERS = (Position.CHAIR, Position.VICE_CHAIR)


def _measures(where: Q | None = None) -> dict:
    """How many cadres, how many meet the job-title standard, how many hold a degree (university or higher)."""

    def count(condition: Q | None):
        parts = [q for q in (where, condition) if q is not None]
        combined = parts[0] if len(parts) == 1 else (parts[0] & parts[1]) if parts else None
        return Count("id", filter=combined)

    return {"n": count(None), "standard": count(Q(meets_standard=True)), "degree": count(Q(degree__in=GRADUATES))}


def serving_q(start: datetime.date, end: datetime.date) -> Q:
    """Cadres in post at some time between the dates (no dates: in post for the whole term)."""
    return (Q(started_on__isnull=True) | Q(started_on__lte=end)) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def cadre_rows(grouping, start: datetime.date, end: datetime.date):
    """Cadres of ``grouping``'s units in post between the dates, by the grouping's key (``branches.grouping``) and
    position: in post, meeting the standard, with a degree, and trained in a course that started between the
    dates."""
    # Whether she took a course in the span, asked of each cadre: joining her courses would count her once per
    # course and need a DISTINCT over every row.
    trained = Exists(
        Training.cadres.through.objects.filter(
            cadre_id=OuterRef("pk"), training__started_on__gte=start, training__started_on__lte=end
        )
    )
    return (
        grouping.records(Cadre.objects.filter(serving_q(start, end)))
        .values(BY, "position")
        .annotate(**_measures(), trained=Count("id", filter=Q(trained)))
        .order_by()
    )


def training_rows(grouping, start: datetime.date, end: datetime.date):
    """Training courses of ``grouping``'s units that started between the dates, by the grouping's key, with their
    participants."""
    return (
        grouping.records(Training.objects.filter(started_on__gte=start, started_on__lte=end))
        .values(BY)
        .annotate(n=Count("id"), people=Sum("participants"))
        .order_by()
    )


def commune_leaders(cadres) -> dict:
    """Chairs and vice-chairs of commune unions among ``cadres``: how many, meeting the standard, with a degree."""
    from branches.constants import Level

    found = {}
    for position in LEADERS:
        measures = _measures(Q(position=position))
        found.update({f"{position}_{name}": expression for name, expression in measures.items()})
    return cadres.filter(position__in=LEADERS, unit__level=Level.COMMUNE).aggregate(**found)


def current_term() -> Term | None:
    """The term in progress this year (the latest that has begun)."""
    return Term.objects.filter(start_year__lte=timezone.localdate().year).order_by("-start_year").first()
