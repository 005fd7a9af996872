import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import UnitScopedQuerySet
from branches.constants import Level
from branches.records import InProvince
from common import validators as dates
from common.numbers import display

from .constants import (
    Aggregation,
    Comparison,
    IndicatorSection,
    LogAction,
    Measure,
    PeriodKind,
    ReportState,
    TargetMetric,
    TargetSpan,
)


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True)

    def for_level(self, level: str):
        return self.filter(levels__contains=f",{level},")


class Indicator(models.Model):
    """A figure units report each period (chỉ tiêu): what it measures and how it adds up."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices, default=Measure.COUNT)
    aggregation = models.CharField(
        _("aggregation"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("Sum: activities; last value: stocks such as loans outstanding; average: rates."),
    )
    # Comma-wrapped level codes (",commune,branch,") so one level is a portable LIKE filter.
    levels = models.CharField(_("levels that enter it"), max_length=100, default=",commune,")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(
        _("printed under"), max_length=16, choices=IndicatorSection.choices, default=IndicatorSection.MOVEMENTS
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True, validators=[dates.happened])

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]

    def level_labels(self) -> str:
        return ", ".join(str(Level(level).label) for level in self.level_list)


class ReportingPeriod(models.Model):
    """A reporting period (six months or a year) with its own dates, e.g. 15/12 → 14/06, and deadline."""

    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("from"), validators=[dates.planned])
    end = models.DateField(_("to"), validators=[dates.planned])
    deadline = models.DateField(_("deadline"), validators=[dates.planned])

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-end", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="reportingperiod_unique"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="reportingperiod_ends_after_start"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("end")), name="reportingperiod_deadline_after_end"
            ),
        ]

    def __str__(self):
        label = _("Six months %(year)s") if self.kind == PeriodKind.HALF_YEAR else _("Year %(year)s")
        return f"{label % {'year': self.year}} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"


class PeriodReport(InProvince):
    """One unit's report for one period: the indicator values it entered, and where it stands in approval."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(_("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("explanation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="periodreport_one_per_unit"),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | Q(first_submitted_at__isnull=False),
                name="periodreport_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return self.first_submitted_at.date() <= self.period.deadline


class ReportValue(models.Model):
    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reportvalue_unique")]

    def __str__(self):
        return f"{self.indicator_id}: {self.value}"


class ReportLog(models.Model):
    """Every step of a report: who did what, when, with the comment given."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=16, choices=LogAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class TargetQuerySet(UnitScopedQuerySet):
    def covering(self, year: int):
        return self.filter(year__lte=year, end_year__gte=year)


class Target(models.Model):
    """A target (chỉ tiêu) a unit set itself for a year or a term, measured on its subtree."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    span = models.CharField(_("for"), max_length=8, choices=TargetSpan.choices, default=TargetSpan.YEAR)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("For a term: its first year."))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    metric = models.CharField(_("target"), max_length=20, choices=TargetMetric.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    figure = models.CharField(_("figure"), max_length=80, blank=True, help_text=_("The key of a report figure."))
    comparison = models.CharField(
        _("comparison"), max_length=4, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2)
    wording = models.CharField(
        _("wording"), max_length=300, blank=True, help_text=_("The target as the resolution words it (optional).")
    )

    history = HistoricalRecords()
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit__path", "year", "metric"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("year")), name="target_years_in_order"),
            models.CheckConstraint(
                condition=(Q(metric=TargetMetric.INDICATOR) & Q(indicator__isnull=False))
                | (~Q(metric=TargetMetric.INDICATOR) & Q(indicator__isnull=True)),
                name="target_indicator_when_needed",
            ),
            models.CheckConstraint(
                condition=(Q(metric=TargetMetric.FIGURE) & ~Q(figure=""))
                | (~Q(metric=TargetMetric.FIGURE) & Q(figure="")),
                name="target_figure_when_needed",
            ),
        ]

    def __str__(self):
        if self.wording:
            return self.wording
        if self.indicator_id:
            label = self.indicator.name
        elif self.metric == TargetMetric.FIGURE:
            label = self.figure
        else:
            label = self.get_metric_display()
        return f"{label} {self.value_text}"

    @property
    def is_percent(self) -> bool:
        if self.metric == TargetMetric.ATTRACTION_RATE:
            return True
        if self.metric == TargetMetric.INDICATOR and self.indicator_id:
            return self.indicator.measure == Measure.PERCENT
        return self.metric == TargetMetric.FIGURE and (self.figure.endswith("_pct") or self.figure == "members.rate")

    @property
    def value_text(self) -> str:
        """ "≥ 12.000", "≥ 50%", "≤ 3,5%": as a resolution writes a target."""
        return f"{self.get_comparison_display()} {display(self.value)}{'%' if self.is_percent else ''}"

    def is_met(self, actual) -> bool:
        if actual is None:
            return False
        return actual <= self.value if self.comparison == Comparison.AT_MOST else actual >= self.value

    @property
    def years(self) -> range:
        return range(self.year, self.end_year + 1)

    def end_date(self) -> datetime.date:
        return datetime.date(self.end_year, 12, 31)


class Narrative(models.Model):
    """The office's edited text of a report for one unit and span; numbers stay tokens that link to figures."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    span = models.CharField(_("period"), max_length=40)
    text = models.TextField(_("text"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [models.UniqueConstraint(fields=["unit", "span"], name="narrative_once_per_report")]

    def __str__(self):
        return f"{self.unit} {self.span}"


class Document(models.Model):
    """A printed report (PDF or xlsx), rendered in the background and kept so a reprint is instant."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"  # member lists only
        JSON = "json", "JSON"  # member lists only

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual report")
        MEMBERS = "members", _("Member list")

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ANNUAL)
    span = models.CharField(_("period"), max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)  # a member list's filters
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)  # printed in the heading when signed
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("printed report")
        verbose_name_plural = _("printed reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_progress_percent"),
        ]

    def __str__(self):
        return f"{self.unit} {self.span} {self.format}"

    @classmethod
    def visible_to(cls, user):
        """Printed reports of the user's units; a member list only to whoever printed it, since its citizen IDs
        are masked (or not) for her."""
        return cls.objects.for_user(user).filter(~Q(kind=cls.Kind.MEMBERS) | Q(created_by=user))

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class SignedReport(models.Model):
    """A report as the office signed and sent it: its number and every figure, frozen. A correction is a new
    version with a new number; the one it replaces stays, marked as replaced. Nobody edits a signed copy."""

    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    span = models.CharField(_("period"), max_length=40)
    number = models.CharField(_("number"), max_length=60, help_text=_("The number the report was sent with."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    figures = models.JSONField(_("figures"))  # as ``report_figures --json`` prints them, on the day of signing
    note = models.TextField(_("reason for the correction"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("PDF as signed")
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed report")
        verbose_name_plural = _("signed reports")
        ordering = ["unit", "span", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "span", "version"], name="signed_report_version_once"),
            models.UniqueConstraint(fields=["unit", "number"], name="signed_report_number_once"),
        ]

    def __str__(self):
        return f"{self.number} ({self.unit}, {self.span}, v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = SignedReport.objects.filter(pk=self.pk).values("number", "figures", "span", "unit_id").first()
            if stored and (stored["figures"], stored["number"], stored["span"], stored["unit_id"]) != (
                self.figures, self.number, self.span, self.unit_id
            ):  # fmt: skip
                raise ValueError("a signed report is never edited: issue a corrected version")
        super().save(*args, **kwargs)
