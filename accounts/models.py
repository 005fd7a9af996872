from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scope import Action


class RoleQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.ADMINISTER):
        from .scope import scope_q

        return self.filter(scope_q(user, action, "unit__path"))


class Role(models.Model):
    """Binds a user to a unit (and so its whole subtree) with what she may do there.

    Viewing is always granted; entering data, approving and administering
    (managing users and the tree below) are granted one by one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    unit = models.ForeignKey("branches.Unit", on_delete=models.PROTECT, related_name="roles", verbose_name=_("unit"))
    title = models.CharField(_("position"), max_length=120, blank=True)
    can_enter = models.BooleanField(_("may enter data"), default=True)
    can_approve = models.BooleanField(_("may approve"), default=False)
    can_administer = models.BooleanField(_("may administer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["unit__path", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="role_unique_user_unit")]

    def __str__(self):
        return f"{self.user} @ {self.unit}"

    def actions(self) -> list[str]:
        granted = [Action.VIEW]
        if self.can_enter:
            granted.append(Action.ENTER)
        if self.can_approve:
            granted.append(Action.APPROVE)
        if self.can_administer:
            granted.append(Action.ADMINISTER)
        return granted


class DataAccessLog(models.Model):
    """Who took personal data out of the system, or erased it, when, and over what scope."""

    class Kind(models.TextChoices):
        LIST_EXPORT = "list_export", _("Member list exported")
        SUBJECT_EXPORT = "subject_export", _("A member's own data exported")
        ANONYMISED = "anonymised", _("A member's data erased")
        IMPORT_REJECTS = "import_rejects", _("Rejected rows of an import downloaded")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "branches.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )
    member_id = models.PositiveIntegerField(null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
