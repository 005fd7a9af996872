import datetime
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import UnitScopedQuerySet
from branches.constants import Level
from branches.records import InProvince
from common import validators as dates
from common.text import fold

from .constants import (
    CASE_OUTCOME_LABELS,
    CLOSED_STATUSES,
    CaseKind,
    CaseStatus,
    ContributionKind,
    OpinionField,
    OpinionOutcome,
    RecommendationStatus,
    ReviewKind,
    Source,
    SupervisionKind,
    SupervisionRole,
    TakenUp,
    Victim,
)


class RecordQuerySet(UnitScopedQuerySet):
    """Filters shared by every record of this app: each belongs to the unit that did the work."""

    # The date that places a record in a reporting period.
    date_field = "created_at"

    def between(self, start: datetime.date | None, end: datetime.date | None):
        if start:
            self = self.filter(**{f"{self.date_field}__gte": start})
        if end:
            self = self.filter(**{f"{self.date_field}__lte": end})
        return self


def _queryset(date_field: str):
    return type(f"RecordQuerySet_{date_field}", (RecordQuerySet,), {"date_field": date_field})


class Record(InProvince):
    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Supervision(Record):
    """A supervision (giám sát) of how a policy or law is carried out, conducted by ``unit``."""

    topic = models.CharField(_("topic"), max_length=300)
    legal_basis = models.CharField(
        _("policy or law supervised"),
        max_length=300,
        help_text=_("The policy, law or resolution whose implementation is supervised."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupervisionKind.choices, default=SupervisionKind.THEMATIC)
    role = models.CharField(
        _("role of the Union"), max_length=16, choices=SupervisionRole.choices, default=SupervisionRole.LEAD
    )
    partners = models.CharField(
        _("partner bodies"),
        max_length=300,
        blank=True,
        help_text=_("When in coordination: the bodies that led or joined."),
    )
    supervised_body = models.CharField(_("body or unit supervised"), max_length=300)
    started_on = models.DateField(_("from"), validators=[dates.happened])
    ended_on = models.DateField(_("to"), null=True, blank=True, validators=[dates.planned])
    delegation = models.TextField(_("delegation members"), blank=True, help_text=_("One person per line: name, title."))
    findings = models.TextField(_("findings"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("started_on").as_manager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["started_on"], name="supervision_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="supervision_ends_after_start",
            )
        ]

    def __str__(self):
        return self.topic


class Dialogue(Record):
    """A dialogue forum (diễn đàn đối thoại) between women and the heads of the Party committee and government."""

    held_on = models.DateField(_("held on"), validators=[dates.happened])
    # The level of the unit when the forum was held: the reform may retire or re-level the unit later.
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, editable=False)
    topic = models.CharField(_("topic"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    leaders = models.TextField(
        _("leaders present"),
        blank=True,
        help_text=_("One per line: name, title and body, e.g. “Nguyễn Văn A, Chủ tịch UBND xã”."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("held_on").as_manager()

    class Meta:
        verbose_name = _("dialogue forum")
        verbose_name_plural = _("dialogue forums")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="dialogue_held")]

    def __str__(self):
        return self.topic

    def leader_lines(self) -> list[str]:
        return [line.strip() for line in self.leaders.splitlines() if line.strip()]


class OpinionQuerySet(RecordQuerySet):
    path_field = "dialogue__unit__path"
    date_field = "dialogue__held_on"


class Opinion(models.Model):
    """An opinion raised at a dialogue forum, its field and what became of it."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="opinions")
    position = models.PositiveSmallIntegerField(default=0)
    field = models.CharField(_("field"), max_length=20, choices=OpinionField.choices, default=OpinionField.OTHER)
    content = models.TextField(_("opinion"))
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=OpinionOutcome.choices, default=OpinionOutcome.ANSWERED
    )

    history = HistoricalRecords()
    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["dialogue", "position", "id"]

    def __str__(self):
        return self.content[:80]


def open_on_q(day: datetime.date) -> Q:
    """Not yet closed on ``day`` (closing dates make this true of any past day)."""
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


class RecommendationQuerySet(RecordQuerySet):
    date_field = "made_on"

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def open_on(self, day: datetime.date):
        """Made by ``day`` and not yet closed on it (closing dates make this true of any past day)."""
        return self.filter(open_on_q(day), made_on__lte=day)

    def overdue_on(self, day: datetime.date):
        return self.open_on(day).filter(due_on__lt=day)

    def due_between(self, start: datetime.date, end: datetime.date):
        return self.open().filter(due_on__gte=start, due_on__lte=end)


class Recommendation(Record):
    """A recommendation made after a supervision (kiến nghị), or a commitment made at a dialogue forum,
    followed up until it is resolved or refused.

    ``unit`` is the unit that follows it up (the one that supervised or held the forum).
    ``accepted_on`` and ``closed_on`` date the moves, so what was open or overdue on any
    past day can still be counted.
    """

    source = models.CharField(_("source"), max_length=16, choices=Source.choices, editable=False)
    supervision = models.ForeignKey(
        Supervision, on_delete=models.CASCADE, null=True, blank=True, related_name="recommendations", editable=False
    )
    opinion = models.OneToOneField(
        Opinion, on_delete=models.CASCADE, null=True, blank=True, related_name="commitment", editable=False
    )
    addressee = models.CharField(_("addressee"), max_length=200, help_text=_("The body or person who must act."))
    content = models.TextField(_("content"))
    made_on = models.DateField(_("made on"), validators=[dates.happened])
    due_on = models.DateField(_("due on"), validators=[dates.planned])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.SENT,
        editable=False,
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False, validators=[dates.happened])
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False, validators=[dates.happened])

    history = HistoricalRecords(excluded_fields=["province"])
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="recommendation_status_due"),
            models.Index(fields=["made_on"], name="recommendation_made"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source=Source.SUPERVISION) & Q(supervision__isnull=False) & Q(opinion__isnull=True))
                | (Q(source=Source.DIALOGUE) & Q(opinion__isnull=False) & Q(supervision__isnull=True)),
                name="recommendation_one_source",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(closed_on__isnull=False))
                | (~Q(status__in=CLOSED_STATUSES) & Q(closed_on__isnull=True)),
                name="recommendation_closed_on_matches_status",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("made_on")), name="recommendation_due_after_made"),
        ]

    def __str__(self):
        return self.content[:80]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_closed and self.due_on < today

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.due_on).days if self.is_overdue(today) else 0

    @property
    def origin(self):
        return self.supervision if self.source == Source.SUPERVISION else self.opinion.dialogue


class FollowUp(models.Model):
    """A dated entry in a recommendation's follow-up: what was done, and the state it moved to if any."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups")
    happened_on = models.DateField(_("date"), validators=[dates.happened])
    note = models.TextField(_("note"))
    status_from = models.CharField(max_length=16, choices=RecommendationStatus.choices, editable=False)
    status_to = models.CharField(max_length=16, choices=RecommendationStatus.choices, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up entries")
        ordering = ["happened_on", "id"]

    def __str__(self):
        return f"{self.happened_on}: {self.note[:60]}"

    @property
    def moved(self) -> bool:
        return self.status_from != self.status_to


class DraftReview(Record):
    """Social critique (phản biện xã hội) of a draft document, or comments on a draft (góp ý dự thảo)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReviewKind.choices, default=ReviewKind.COMMENT)
    document = models.CharField(_("draft document"), max_length=300)
    requested_by = models.CharField(_("requesting body"), max_length=200)
    received_on = models.DateField(_("received on"), validators=[dates.happened])
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[dates.planned])
    opinions = models.PositiveIntegerField(_("number of opinions"), default=0)
    content = models.TextField(_("content of the opinions"), blank=True)
    taken_up = models.CharField(_("taken up"), max_length=16, choices=TakenUp.choices, default=TakenUp.PENDING)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("received_on").as_manager()

    class Meta:
        verbose_name = _("draft review")
        verbose_name_plural = _("draft reviews")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return self.document


class Contribution(Record):
    """Opinions given to Party committees and authorities, or on cadres and Party members."""

    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    given_on = models.DateField(_("date"), validators=[dates.happened])
    topic = models.CharField(_("topic"), max_length=300)
    recipient = models.CharField(_("to"), max_length=200, blank=True)
    opinions = models.PositiveIntegerField(_("number of opinions"), default=1)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("given_on").as_manager()

    class Meta:
        verbose_name = _("contribution to Party and government building")
        verbose_name_plural = _("contributions to Party and government building")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return self.topic


class Case(Record):
    """Case work: a petition, a mediation, an abuse case supported, or a policy proposed."""

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    received_on = models.DateField(_("date"), validators=[dates.happened])
    subject = models.CharField(_("subject"), max_length=300)
    detail = models.TextField(_("details"), blank=True)
    victim = models.CharField(_("victim"), max_length=8, choices=Victim.choices, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    settled_on = models.DateField(_("settled on"), null=True, blank=True, validators=[dates.happened])

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("received_on").as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind=CaseKind.ABUSE) | Q(victim=""), name="case_victim_only_for_abuse"),
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.OPEN) & Q(settled_on__isnull=True))
                | (~Q(status=CaseStatus.OPEN) & Q(settled_on__isnull=False)),
                name="case_settled_on_matches_status",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def outcome_label(self) -> str:
        if self.status == CaseStatus.OPEN:
            return CaseStatus.OPEN.label
        settled, not_settled = CASE_OUTCOME_LABELS[self.kind]
        return settled if self.status == CaseStatus.SETTLED else not_settled


def _attachment_path(instance, filename: str) -> str:
    # The storage adds a suffix on a name clash; the path is never a URL, files go out through a scoped view.
    # The stored name is short and plain (a Vietnamese name of 200 characters passes the file system's 255 bytes);
    # the name as uploaded is kept in ``Attachment.name``.
    path = Path(filename)
    stem = slugify(fold(path.stem))[:80] or "tep"
    return f"supervision/{instance.unit_id}/{timezone.localdate():%Y/%m}/{stem}{path.suffix.lower()[:10]}"


class Attachment(models.Model):
    """Minutes, conclusions or evidence attached to a supervision, a dialogue or a follow-up entry.

    Stored under MEDIA_ROOT, outside the static files, and served only through a view
    that checks the user's scope on ``unit``.
    """

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", editable=False)
    supervision = models.ForeignKey(
        Supervision, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments", editable=False
    )
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments", editable=False
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments", editable=False
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200, editable=False)
    size = models.PositiveIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(supervision__isnull=False) & Q(dialogue__isnull=True) & Q(follow_up__isnull=True))
                | (Q(supervision__isnull=True) & Q(dialogue__isnull=False) & Q(follow_up__isnull=True))
                | (Q(supervision__isnull=True) & Q(dialogue__isnull=True) & Q(follow_up__isnull=False)),
                name="attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.name
