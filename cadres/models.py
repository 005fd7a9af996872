from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import UnitScopedQuerySet
from branches.records import InProvince
from common import validators as dates


class Position(models.TextChoices):
    CHAIR = "chair", _("Chairwoman")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    STANDING = "standing", _("Standing committee member")
    EXECUTIVE = "executive", _("Executive committee member")
    BRANCH_HEAD = "branch_head", _("Branch head")
    BRANCH_DEPUTY = "branch_deputy", _("Branch deputy head")


class Degree(models.TextChoices):
    NONE = "", _("Below college")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Theory(models.TextChoices):
    NONE = "", _("None")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Grade(models.TextChoices):
    STRONG = "strong", _("Strong in every respect")
    GOOD = "good", _("Fulfilled its tasks well")
    FULFILLED = "fulfilled", _("Fulfilled its tasks")
    FAILED = "failed", _("Did not fulfil its tasks")


class Term(models.Model):
    """A congress term (nhiệm kỳ), e.g. 2021–2026."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_year"]
        constraints = [models.CheckConstraint(condition=Q(end_year__gt=models.F("start_year")), name="term_years")]

    def __str__(self):
        return self.name


class Cadre(InProvince):
    """A cadre's position in a unit for a term, with the qualifications the reports count."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("term"))
    full_name = models.CharField(_("full name"), max_length=120)
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="positions",
        verbose_name=_("member record"),
    )  # fmt: skip
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    full_time = models.BooleanField(_("full-time"), default=False)
    meets_standard = models.BooleanField(_("meets the job-title standard"), default=False)
    degree = models.CharField(_("highest degree"), max_length=16, choices=Degree.choices, blank=True)
    political_theory = models.CharField(_("political theory"), max_length=16, choices=Theory.choices, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True, validators=[dates.happened])
    ended_on = models.DateField(_("until"), null=True, blank=True, validators=[dates.planned])

    history = HistoricalRecords(excluded_fields=["province"])
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["unit__path", "position", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.get_position_display()})"


class Training(InProvince):
    """A training course (lớp tập huấn, bồi dưỡng) a unit organised."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    topic = models.CharField(_("topic"), max_length=300)
    started_on = models.DateField(_("from"), validators=[dates.happened])
    ended_on = models.DateField(_("to"), null=True, blank=True, validators=[dates.planned])
    participants = models.PositiveIntegerField(_("participants"), default=0)
    cadres = models.ManyToManyField(Cadre, blank=True, related_name="trainings", verbose_name=_("cadres trained"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-started_on"]

    def __str__(self):
        return self.topic


class Classification(InProvince):
    """The yearly classification of a commune union or branch."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="classification_once_a_year")]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.get_grade_display()}"
