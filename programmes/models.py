"""Records of what has a life of its own in a unit's work: groups and models, credit, awards and key tasks,
contests, charity, houses and sponsored children. Each belongs to the unit that did the work, like the
records of supervision, and the report counts them by unit over the tree as it stood."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import validators as dates
from supervision.models import Record, _queryset

from .constants import AwardKind, AwardLevel, CreditSource, Direction, GroupKind, HouseKind, Recipient, TaskKind


def money(verbose_name, **kwargs):
    """An amount in đồng: whole, never negative."""
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=0, default=0, validators=[MinValueValidator(0)], **kwargs
    )


class Group(Record):
    """A club, model, savings group, cooperative group or cooperative the unit founded or runs."""

    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=200)
    field = models.CharField(
        _("field"), max_length=200, blank=True, help_text=_("E.g. reproductive health, livelihood.")
    )
    founded_on = models.DateField(_("founded on"), validators=[dates.happened])
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, validators=[dates.happened])
    members = models.PositiveIntegerField(_("members"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("founded_on").as_manager()

    class Meta:
        verbose_name = _("group or model")
        verbose_name_plural = _("groups and models")
        ordering = ["-founded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="group_dissolved_after_founded",
            )
        ]

    def __str__(self):
        return self.name


class CreditStatement(Record):
    """The state of one source of credit a unit manages or guarantees, on a date: balances and the loans made
    since its previous statement."""

    source = models.CharField(_("source"), max_length=16, choices=CreditSource.choices)
    as_of = models.DateField(_("as of"), validators=[dates.happened])
    outstanding = money(_("outstanding balance (đồng)"))
    borrowers = models.PositiveIntegerField(_("borrowers with a balance"), default=0)
    households = models.PositiveIntegerField(_("households with a balance"), default=0)
    groups = models.PositiveIntegerField(_("savings and loan groups"), default=0)
    savings = money(_("savings of the groups (đồng)"))
    disbursed = money(_("new loans since the previous statement (đồng)"))
    new_borrowers = models.PositiveIntegerField(_("new borrowers since the previous statement"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("as_of").as_manager()

    class Meta:
        verbose_name = _("credit statement")
        verbose_name_plural = _("credit statements")
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "source", "as_of"], name="creditstatement_once_per_day"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.as_of:%d/%m/%Y}"


class Award(Record):
    """An award the unit received, or gave to collectives and people of its subtree."""

    awarded_on = models.DateField(_("awarded on"), validators=[dates.happened])
    kind = models.CharField(_("kind"), max_length=16, choices=AwardKind.choices)
    level = models.CharField(_("awarded by (level)"), max_length=16, choices=AwardLevel.choices)
    direction = models.CharField(_("received or given"), max_length=16, choices=Direction.choices)
    recipient_kind = models.CharField(_("to"), max_length=16, choices=Recipient.choices)
    recipient = models.CharField(_("recipient"), max_length=300, help_text=_("Name of the collective or person."))
    count = models.PositiveIntegerField(
        _("number of recipients"), default=1, validators=[MinValueValidator(1)],
        help_text=_("More than one when a decision names several collectives or people."),
    )  # fmt: skip
    reason = models.CharField(_("for"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("awarded_on").as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.recipient}"


class KeyTask(Record):
    """A key task, work or practical action the unit registered, and whether it was completed."""

    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=300)
    registered_on = models.DateField(_("registered on"), validators=[dates.happened])
    registered_with = models.CharField(_("registered with"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, validators=[dates.happened])
    value = money(_("value (đồng)"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("registered_on").as_manager()

    class Meta:
        verbose_name = _("key task or work")
        verbose_name_plural = _("key tasks and works")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("registered_on")),
                name="keytask_completed_after_registered",
            )
        ]

    def __str__(self):
        return self.title


class Contest(Record):
    """A contest the unit held (Hội thi "Chi hội trưởng giỏi", a start-up ideas contest …)."""

    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("held on"), validators=[dates.happened])
    participants = models.PositiveIntegerField(_("participants"), default=0)
    entries = models.PositiveIntegerField(_("entries or ideas"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("held_on").as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class Charity(Record):
    """What the unit raised and gave in a named campaign (money and goods at their value, gift packages)."""

    campaign = models.CharField(
        _("campaign"),
        max_length=200,
        help_text=_("The same name for every unit, e.g. “Xuân đoàn kết - Tết biên cương”."),
    )
    given_on = models.DateField(_("given on"), validators=[dates.happened])
    value = money(_("value (đồng)"))
    gifts = models.PositiveIntegerField(_("gift packages"), default=0)
    beneficiaries = models.PositiveIntegerField(_("people helped"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("given_on").as_manager()

    class Meta:
        verbose_name = _("charity")
        verbose_name_plural = _("charity")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.campaign} {self.given_on:%d/%m/%Y}"


class House(Record):
    """A house built or repaired for a member in need ("Mái ấm tình thương" and the like)."""

    kind = models.CharField(_("built or repaired"), max_length=16, choices=HouseKind.choices)
    programme = models.CharField(_("programme"), max_length=200, default="Mái ấm tình thương")
    beneficiary = models.CharField(_("for"), max_length=200, help_text=_("The woman or household it was built for."))
    handed_over_on = models.DateField(_("handed over on"), validators=[dates.happened])
    value = money(_("value (đồng)"))
    beneficiaries = models.PositiveIntegerField(_("people living in it"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("handed_over_on").as_manager()

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        ordering = ["-handed_over_on", "-id"]

    def __str__(self):
        return f"{self.programme}: {self.beneficiary}"


class SponsoredChild(Record):
    """A child a cadre or member sponsors ("mẹ đỡ đầu"), from the day the sponsorship began to its end."""

    child = models.CharField(_("child"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sponsor = models.CharField(_("sponsor"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), validators=[dates.happened])
    ended_on = models.DateField(_("to"), null=True, blank=True, validators=[dates.planned])
    monthly = money(_("support per month (đồng)"))

    history = HistoricalRecords(excluded_fields=["province"])
    objects = _queryset("started_on").as_manager()

    class Meta:
        verbose_name = _("sponsored child")
        verbose_name_plural = _("sponsored children")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="sponsoredchild_ends_after_start",
            )
        ]

    def __str__(self):
        return self.child
