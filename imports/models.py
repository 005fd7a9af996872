from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import Action, scope_q


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        return self.filter(scope_q(user, action, "commune__path"))


class ImportJob(models.Model):
    """One member list uploaded for one commune: its preview, then the import of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        ANALYSING = "analysing", _("Reading the file")
        READY = "ready", _("Preview ready")
        FAILED = "failed", _("Could not be read")
        COMMIT_QUEUED = "commit_queued", _("Waiting to import")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (State.QUEUED, State.ANALYSING, State.COMMIT_QUEUED, State.COMMITTING)

    commune = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune union")
    )
    branch = models.ForeignKey(
        "branches.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("branch"),
        help_text=_("Leave empty when the file names the branch in a column or in the sheet names."),
    )
    create_branches = models.BooleanField(_("create branches the commune does not have yet"), default=False)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    # Corrections of the column mapping, per sheet: {"Sheet 1": {"3": "phone", "5": ""}}.
    overrides = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("member list import")
        verbose_name_plural = _("member list imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two imports writing into one commune at once could both add the same woman.
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(state__in=["commit_queued", "committing"]),
                name="import_one_commit_per_commune",
            )
        ]

    def __str__(self):
        return f"{self.file_name} → {self.commune_id}"

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING


class SavedMapping(models.Model):
    """A user's correction of the column mapping, reused for files whose header reads the same."""

    signature = models.CharField(max_length=32)
    unit = models.ForeignKey("branches.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    headers = models.JSONField(default=list)
    columns = models.JSONField(default=dict)  # {"3": "phone", "5": ""}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        constraints = [models.UniqueConstraint(fields=["signature", "unit"], name="mapping_unique_per_unit")]

    def __str__(self):
        return self.signature
