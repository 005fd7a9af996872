"""Writes to users and their roles. Administrators manage users of their own subtree only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import DataAccessLog, Role
from .scope import Action, can, forget_scope

User = get_user_model()


def _require_administer(actor, unit) -> None:
    if not can(actor, Action.ADMINISTER, unit):
        raise PermissionDenied(_("You do not administer %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    password: str,
    unit,
    title: str = "",
    can_enter: bool = True,
    can_approve: bool = False,
    can_administer: bool = False,
    actor,
):
    """Create a cadre's account bound to ``unit``; the administrator sets the first password."""
    _require_administer(actor, unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username cannot be used; choose another.")})
    first, _sep, last = full_name.strip().rpartition(" ")
    user = User(username=username, first_name=first, last_name=last or full_name.strip())
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    role_grant(
        user=user,
        unit=unit,
        title=title,
        can_enter=can_enter,
        can_approve=can_approve,
        can_administer=can_administer,
        actor=actor,
    )
    return user


@transaction.atomic
def role_grant(
    *, user, unit, title: str = "", can_enter=True, can_approve=False, can_administer=False, actor=None
) -> Role:
    if actor is not None:
        _require_administer(actor, unit)
    role, _created = Role.objects.get_or_create(user=user, unit=unit)
    role.title = title
    role.can_enter = can_enter
    role.can_approve = can_approve
    role.can_administer = can_administer
    role.full_clean()
    role._history_user = actor
    role.save()
    forget_scope(user)
    return role


@transaction.atomic
def role_revoke(*, role: Role, actor) -> None:
    _require_administer(actor, role.unit)
    role._history_user = actor
    role.delete()
    forget_scope(role.user)


@transaction.atomic
def user_set_password(*, user, password: str, actor) -> None:
    """An administrator resets a cadre's password (the cadre then changes it herself)."""
    if user.pk == actor.pk:
        raise ValidationError(_("Change your own password from your account menu: it asks for the current one."))
    if (user.is_staff or user.is_superuser) and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser manages accounts with access to the admin site."))
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_set_active(*, user, active: bool, actor) -> None:
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])


def log_data_access(*, user, kind: str, unit=None, member_id: int | None = None, detail: dict | None = None):
    """Record that personal data left the system or was erased: who, when, over which unit, with what filters."""
    return DataAccessLog.objects.create(user=user, kind=kind, unit=unit, member_id=member_id, detail=detail or {})
