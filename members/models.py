import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import Action, scope_q
from branches.records import InProvince
from common import validators as dates
from common.fields import ByteOrderCharField
from common.text import fold, normalize_name

from .constants import AGE_BANDS, ETHNIC_GROUPS, EventKind, LeaveReason, RequestStatus, SpecialGroup, Status

ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]


def sort_key_for(full_name: str) -> str:
    """Vietnamese lists sort by the given name (the last word), then by the whole name."""
    return sort_key_folded(fold(full_name))


def sort_key_folded(folded: str) -> str:
    return f"{folded.rsplit(' ', 1)[-1]} {folded}"[:250]


class MemberQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        return self.filter(scope_q(user, action, "branch__path"))

    def in_subtree(self, unit):
        return self.filter(branch__path__startswith=unit.path)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def search(self, text: str, user=None):
        """Find members the way a cadre types a name, or by ID or phone when the text is digits.

        The last word typed is (the beginning of) her given name, and the other words
        typed begin her other names, in order, accents and case ignored: "nguyen thi ha",
        "nguyen ha", "thi ha", "ha" all find Nguyễn Thị Hà. Anchoring on the given name lets the database
        read just that stretch of the sort index, already in list order, so a search
        over 420,000 members stays fast on SQLite and PostgreSQL alike.

        Digits match the start of an ID or phone number only where ``user`` may see
        them in full; elsewhere only the whole number matches, so that typing one
        digit after another cannot spell out a number the page masks.
        """
        text = text.strip()
        digits = "".join(ch for ch in text if ch in "0123456789")
        if digits and len(digits) >= max(4, len(text.replace(" ", "")) - 1):
            whole = Q(id_number=digits) | Q(phone=digits) | Q(old_id_number=digits)
            prefixes = Q(id_number__startswith=digits) | Q(phone__startswith=digits)
            if user is not None:
                prefixes &= scope_q(user, Action.ENTER, "branch__path")
            return self.filter(prefixes | whole)
        folded = fold(text)
        if not folded:
            return self
        words = folded.split(" ")
        members = self.filter(sort_key__startswith=words[-1])
        if len(words) == 1:
            return members
        # The other words typed, in order, each the start of one of her names: "dang anh" and "thi anh" find
        # Đặng Thị Anh. The given-name index has already narrowed the rows to look at.
        pattern = (
            "^" + "".join(f"(.* )?{re.escape(w)}[^ ]* " for w in words[:-1]) + f"(.* )?{re.escape(words[-1])}[^ ]*$"
        )
        return members.filter(name_folded__regex=pattern)

    def aged(self, band: str, today: datetime.date):
        low, high = AGE_BANDS[band]
        return self.filter(birth_year__gte=today.year - high, birth_year__lte=today.year - low)

    def in_group(self, group: str):
        return self.filter(special_groups__contains=f",{group},")


class Member(InProvince):
    """A member of the Union (hội viên) and her current state; her life in the Union is in ``events``.

    ``branch`` is where she belongs now (or last belonged, once she has gone).
    ``joined_on`` and ``left_on`` bound her membership, so counting members on any
    date is a range filter; ``Membership`` holds which branch she was in when.
    """

    full_name = models.CharField(_("full name"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False)
    sort_key = ByteOrderCharField(max_length=250, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=40, choices=ETHNICITY_CHOICES, default="Kinh")
    religion = models.CharField(_("religion"), max_length=80, blank=True)
    id_number = ByteOrderCharField(
        _("ID number"), max_length=12, blank=True, help_text=_("12-digit CCCD or 9-digit CMND.")
    )
    phone = ByteOrderCharField(_("phone"), max_length=11, blank=True)
    # The 9-digit CMND she held before her CCCD: lists still carry it, and people are still found by it.
    old_id_number = models.CharField(
        _("old ID number (CMND)"), max_length=12, blank=True, help_text=_("The 9-digit CMND she held before her CCCD.")
    )
    address = models.CharField(_("address / village"), max_length=200, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True, help_text=_('E.g. "9/12", "12/12".'))
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined on"), validators=[dates.happened])
    card_number = models.CharField(_("member card number"), max_length=30, blank=True)
    is_core = models.BooleanField(_("core member"), null=True, blank=True)
    # Comma-wrapped codes (",young,trader,") so one group is a portable LIKE filter.
    special_groups = models.CharField(_("special groups"), max_length=100, blank=True, default="")
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Indexed by member_branch_status, which leads with the branch.
    branch = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="members", verbose_name=_("branch"), db_index=False
    )
    # The province her branch is in (``InProvince``; also kept by the bulk writers): a province's list reads its
    # own stretch of the name index (member_province_sort_key), not the country's.
    province_from = "branch"
    province = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="+", null=True, editable=False, db_index=False
    )
    # Another record holds the same ID number (legacy lists bring such pairs; the services refuse a taken number):
    # kept by ``save``, ``delete`` and the bulk writers (``share_ids``), so the duplicates page reads the flagged
    # records of its scope, not every number of the country.
    shares_id = models.BooleanField(default=False, editable=False)
    left_on = models.DateField(_("left on"), null=True, blank=True, validators=[dates.happened])
    leave_reason = models.CharField(_("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The audit trail is read per member (by id) and by date; other indexes would only slow down imports.
    history = HistoricalRecords(
        excluded_fields=["name_folded", "sort_key", "province", "shares_id", "created_at", "updated_at"],
        no_db_index=["branch"],
    )
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["sort_key", "id"]
        # Plain indexes only (see ByteOrderCharField): each one costs every imported row.
        indexes = [
            models.Index(fields=["branch", "status"], name="member_branch_status"),
            models.Index(fields=["joined_on", "left_on"], name="member_membership_dates"),
            models.Index(fields=["sort_key"], name="member_sort_key"),
            models.Index(fields=["province", "sort_key"], name="member_province_sort_key"),
            models.Index(fields=["name_folded"], name="member_name_folded"),
            models.Index(fields=["id_number"], name="member_id_number"),
            models.Index(fields=["phone"], name="member_phone"),
            models.Index(fields=["old_id_number"], name="member_old_id_number"),
            # Only the few records that share a number.
            models.Index(fields=["id_number"], condition=Q(shares_id=True), name="member_shared_id_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2100), name="member_birth_year"
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.ACTIVE) & Q(left_on__isnull=True))
                | (~Q(status=Status.ACTIVE) & Q(left_on__isnull=False)),
                name="member_left_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joining",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding:
            # The flag is never written from memory (another record's change may have moved it since she was read).
            kwargs["update_fields"] = UPDATED_ON_SAVE
        super().save(*args, **kwargs)
        was = getattr(self, "_id_number_was", "")
        if self.id_number != was and (update_fields is None or "id_number" in update_fields):
            share_ids([self.id_number, was], members=[self.pk])  # whoever holds her number now or held her old one
            self._id_number_was = self.id_number

    def delete(self, *args, **kwargs):
        number = getattr(self, "_id_number_was", self.id_number)
        result = super().delete(*args, **kwargs)
        share_ids([number])
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        member = super().from_db(db, field_names, values)
        member._id_number_was = member.__dict__.get("id_number", "")
        return member

    def fill_derived(self) -> None:
        """Set the search and sort columns from the name (also before a bulk_create, which skips save())."""
        self.full_name = normalize_name(self.full_name)
        self.name_folded = fold(self.full_name)
        self.sort_key = sort_key_for(self.full_name)
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year

    def clean(self):
        self.full_name = normalize_name(self.full_name)
        if not self.full_name:
            raise ValidationError({"full_name": _("A member needs a name.")})
        if self.date_of_birth and self.birth_year and self.date_of_birth.year != self.birth_year:
            raise ValidationError({"birth_year": _("The year of birth does not match the date of birth.")})
        if self.id_number and (not self.id_number.isdigit() or len(self.id_number) not in (9, 12)):
            raise ValidationError({"id_number": _("An ID number has 12 digits (CCCD) or 9 digits (CMND).")})
        if self.old_id_number and (not self.old_id_number.isdigit() or len(self.old_id_number) not in (9, 12)):
            raise ValidationError({"old_id_number": _("An ID number has 12 digits (CCCD) or 9 digits (CMND).")})

    @property
    def groups(self) -> list[str]:
        return [code for code in self.special_groups.split(",") if code]

    @property
    def group_labels(self) -> list[str]:
        return [SpecialGroup(code).label for code in self.groups if code in SpecialGroup.values]

    def counted_fields(self) -> tuple:
        """What the figures table counts her by: a change of these changes past figures too."""
        return (self.birth_year, self.ethnicity, self.religion, self.is_core, self.special_groups)

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @staticmethod
    def pack_groups(codes) -> str:
        codes = [code for code in SpecialGroup.values if code in set(codes or [])]
        return f",{','.join(codes)}," if codes else ""


# Every column of a member row, in table order: the layout of bulk loads (the demo, imports) that COPY tuples.
MEMBER_COLUMNS = [field.name for field in Member._meta.concrete_fields]


def membership_on_q(day: datetime.date) -> Q:
    """Membership stretches that include ``day`` (the end is exclusive: a transfer day counts in the new branch)."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


# What a full save of a member she was read as writes: every column but the flag ``share_ids`` alone keeps.
UPDATED_ON_SAVE = [f.name for f in Member._meta.concrete_fields if not f.primary_key and f.name != "shares_id"]
SHARE_IDS_BATCH = 5000  # numbers per statement


def share_ids(numbers, members=()) -> None:
    """Set ``Member.shares_id`` of every record holding one of ``numbers`` (whether another record holds it too),
    and clear it on those of ``members`` (ids) that hold none. What every writer of an ID number calls
    (``Member.save`` and ``delete``, the bulk writers of the services)."""
    if members:
        Member.objects.filter(pk__in=list(members), id_number="", shares_id=True).update(shares_id=False)
    wanted = sorted({number for number in numbers if number})
    for start in range(0, len(wanted), SHARE_IDS_BATCH):
        holders = Member.objects.filter(id_number__in=wanted[start : start + SHARE_IDS_BATCH])
        shared = holders.order_by().values("id_number").annotate(n=models.Count("id")).filter(n__gt=1)
        holders.update(
            shares_id=models.Case(
                models.When(id_number__in=shared.values("id_number"), then=models.Value(True)),
                default=models.Value(False),
            )
        )


class MembershipQuerySet(models.QuerySet):
    def alive_on(self, day: datetime.date):
        return self.filter(membership_on_q(day))


class Membership(models.Model):
    """A stretch of a member's life in one branch, [started_on, ended_on); the source of "members of X on day D"."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    # Indexed by membership_branch_dates, which leads with the branch.
    branch = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="memberships", db_index=False)
    started_on = models.DateField(validators=[dates.happened])
    ended_on = models.DateField(null=True, blank=True, validators=[dates.happened])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["member", "started_on"]
        indexes = [models.Index(fields=["branch", "started_on", "ended_on"], name="membership_branch_dates")]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(ended_on__isnull=True), name="membership_one_open"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_interval",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.branch_id} [{self.started_on} – {self.ended_on or '…'})"


class MemberEvent(models.Model):
    """A dated event in a member's life in the Union: joined, transferred, left, died, merged."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("member"))
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"), validators=[dates.happened])
    branch = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("branch")
    )
    other_branch = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=LeaveReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["occurred_on", "id"]
        indexes = [
            # A subtree's events in a span (a target's joinings, a report on days not kept) read branch by branch:
            # without it, PostgreSQL reads the whole country's events for one province.
            models.Index(fields=["branch", "occurred_on", "kind"], name="member_event_branch_day"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"


class DecidedRequest(models.Model):
    """A request that another unit has to decide: who asked, who decided, when."""

    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def decide(self, status: str, user) -> None:
        """Record the decision; a request is decided once."""
        if self.status != RequestStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        self.status = status
        self.decided_by = user
        self.decided_at = timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])


class TransferRequest(DecidedRequest):
    """A transfer to a branch outside the sender's scope, waiting for the receiving unit to accept it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfer_requests")
    from_branch = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_branch = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="incoming_transfers", verbose_name=_("to")
    )
    transfer_on = models.DateField(_("transfer date"), validators=[dates.happened])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status=RequestStatus.PENDING), name="transfer_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.to_branch}"


class MergeRequest(DecidedRequest):
    """Two records of the same woman in different communes: merged once the other commune agrees."""

    keep = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("record kept"))
    drop = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("record merged in")
    )
    drop_name = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("merge request")
        verbose_name_plural = _("merge requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.drop_name} → {self.keep}"


class FigureDay(models.Model):
    """A day whose member figures are kept in ``MemberFigure``, for every branch: a month's last day, once the
    day has come. Reports ending on such a day read the kept figures instead of counting members."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("day of kept figures")
        verbose_name_plural = _("days of kept figures")

    def __str__(self):
        return self.day.isoformat()


class KeptFigures(models.Model):
    """The three parts of a row of kept figures: members, breakdowns and running totals of events (JSON as
    text, see ``MemberFigure``)."""

    members = models.PositiveIntegerField(default=0)
    counts = models.TextField(default="{}")
    events = models.TextField(default="{}")

    class Meta:
        abstract = True


class MemberFigure(KeptFigures):
    """The members of one branch on one kept day, with the breakdowns reports print ("now", "core",
    "age:<band>", "group:<code>", "ethnicity:<name>", "religion:<name>"): the figures table (like DHIS2's
    analytics tables), so a report costs the number of branches, not of members. Written only by
    ``members.figures``, which the register's services call in their own transaction; rebuilt and checked
    against the membership periods by ``manage.py rebuild_figures``.

    Three parts, read apart (``members.figures.figures_on_days``): ``members`` (the "now" count), ``counts`` (the
    breakdowns) and ``events`` (running totals of events). JSON kept as text: PostgreSQL hands text back as it is,
    while turning jsonb into text costs more than the query, and a national report reads tens of thousands."""

    day = models.DateField()
    branch = models.ForeignKey("branches.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("member figure")
        verbose_name_plural = _("member figures")
        constraints = [models.UniqueConstraint(fields=["day", "branch"], name="member_figure_day_branch")]
        # The members of every branch on a day, from the index alone (PostgreSQL): a national report reads tens
        # of thousands, and the rows themselves are wide (the JSON parts).
        indexes = [models.Index(fields=["day", "branch"], include=["members"], name="member_figure_day_members")]

    def __str__(self):
        return f"{self.branch_id} @ {self.day}: {self.members}"


class CommuneFigure(KeptFigures):
    """The figures of one commune union on one kept day: the sum of the ``MemberFigure`` rows of the branches and
    groups under it that day (the tree as it stood), moves between two of them left out. A national or
    provincial report reads one row per commune instead of one per branch. ``units`` lists those branches and
    groups: two days' running totals of events can be subtracted only when it is the same on both (else the
    report reads the commune's branches one by one). Written only by ``members.figures``."""

    day = models.DateField()
    commune = models.ForeignKey("branches.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    units = models.TextField(default="")

    class Meta:
        verbose_name = _("commune figure")
        verbose_name_plural = _("commune figures")
        constraints = [models.UniqueConstraint(fields=["day", "commune"], name="commune_figure_day_commune")]

    def __str__(self):
        return f"{self.commune_id} @ {self.day}: {self.members}"
