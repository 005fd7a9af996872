from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import Action, scope_q
from common import validators as dates
from common.collation import vi
from common.text import fold, normalize_name

from .constants import LEVEL_ORDER, EventKind, Level, UnitType

PATH_SEPARATOR = "."


def path_ids(path: str) -> list[int]:
    """The ids of the units on a path, the root first and the unit itself last."""
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]


def alive_on_q(day, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to) interval contains ``day``; open ends mean "always"."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def alive_on(valid_from, valid_to, day) -> bool:
    """``alive_on_q`` for values already read: [valid_from, valid_to) contains ``day``; open ends mean "always"."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to > day)


def check_placement(child_level: str, parent: "Unit") -> None:
    """A child's level always comes after its parent's (a commune may hang directly under a province)."""
    if LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(child_level):
        raise ValidationError(
            {
                "parent": _("A %(child)s cannot be placed under a %(parent)s.")
                % {"child": Level(child_level).label.lower(), "parent": parent.get_level_display().lower()}
            }
        )


class UnitQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        return self.filter(scope_q(user, action, "path"))

    def in_subtree(self, unit):
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(valid_to__isnull=True)

    def in_vi_order(self):
        """Higher levels first, then grouped by parent, each in Vietnamese alphabetical order (for pickers)."""
        return self.order_by("depth", vi("parent__name"), vi("name"))

    def alive_on(self, day):
        return self.filter(alive_on_q(day))

    def search(self, text: str):
        return self.filter(Q(name_folded__contains=fold(text)) | Q(code=text.strip()))


class Unit(models.Model):
    """A unit of the Union at any level: province, district, commune union, branch or group.

    The row holds the unit's current state; ``UnitPeriod`` holds every state it
    has had, so the tree can be read as it stood on any date. ``path`` is the
    chain of ids from the root ("1.12.345."), and a subtree is a prefix match.
    A unit is never deleted: it is retired (``valid_to``) by a reorganisation.
    """

    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_("Administrative unit code of the statistics office, where the unit has one."),
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("unit type"), max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, blank=True, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    valid_from = models.DateField(_("in existence from"), null=True, blank=True, validators=[dates.happened])
    valid_to = models.DateField(_("dissolved on"), null=True, blank=True, validators=[dates.happened])
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "path", "depth", "created_at"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            # Codes are reused across reforms: a code identifies a unit only among live units.
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True) & ~Q(code=""),
                name="unit_unique_live_code_per_level",
                violation_error_message=_("Another unit of this level already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_interval",
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="unit_level_known"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)
        path = self.build_path()
        if path != self.path:
            self.path = path
            self.depth = path.count(PATH_SEPARATOR) - 1
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]

    def is_descendant_of(self, other: "Unit") -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk

    def clean(self):
        self.name = normalize_name(self.name)
        if not self.name:
            raise ValidationError({"name": _("A unit needs a name.")})
        if self.parent_id:
            if self.pk and (self.parent_id == self.pk or self.parent.path.startswith(self.path or "\0")):
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its sub-units.")})
            check_placement(self.level, self.parent)
            if not self.parent.is_active and self.is_active:
                raise ValidationError({"parent": _("The parent unit has been dissolved.")})
        elif self.level not in (Level.PROVINCE, Level.CENTRAL):
            raise ValidationError({"parent": _("Only a province (or the Central Union) has no parent unit.")})

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk}{PATH_SEPARATOR}"


class UnitPeriod(models.Model):
    """One state of a unit over a date interval [valid_from, valid_to): its name, code and place in the tree.

    A reorganisation closes the current period and opens a new one, so a report
    for 2024 reads the tree of 2024 even after the 2025 reform.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="periods", verbose_name=_("unit"))
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("official code"), max_length=20, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("unit type"), max_length=16, choices=UnitType.choices)
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField(_("from"), null=True, blank=True, validators=[dates.happened])
    valid_to = models.DateField(_("until"), null=True, blank=True, validators=[dates.happened])

    class Meta:
        verbose_name = _("unit period")
        verbose_name_plural = _("unit periods")
        ordering = ["unit", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unitperiod_valid_interval",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="unitperiod_one_open_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class ReorgEvent(models.Model):
    """A dated reorganisation: a unit created, renamed, moved, merged, split, dissolved, or a level abolished."""

    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    effective_on = models.DateField(_("effective on"), null=True, blank=True, validators=[dates.happened])
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="events", verbose_name=_("unit"), null=True, blank=True
    )
    summary = models.CharField(_("summary"), max_length=500)
    reference = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("E.g. the resolution that decided it.")
    )
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reorganisation event")
        verbose_name_plural = _("reorganisation events")
        ordering = ["-effective_on", "-id"]

    def __str__(self):
        return self.summary


class Lineage(models.Model):
    """``predecessor`` lived on in ``successor`` (merge or split), decided by ``event``."""

    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="lineage")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    effective_on = models.DateField(null=True, blank=True, validators=[dates.happened])

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineage")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "event"], name="lineage_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="lineage_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class UnitPopulation(models.Model):
    """Women aged 18 and over living in a unit's area in a year: the denominator of the attraction rate."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="populations", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    women_18_plus = models.PositiveIntegerField(_("women aged 18 and over"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("women aged 18+ figure")
        verbose_name_plural = _("women aged 18+ figures")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unitpopulation_unique_year"),
            models.CheckConstraint(condition=Q(year__gte=1930) & Q(year__lte=2200), name="unitpopulation_year_range"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.women_18_plus}"
