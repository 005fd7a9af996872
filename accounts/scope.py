"""Which part of the tree a user may see or change.

A role binds a user to a unit and so to its whole subtree. Every queryset that
serves a view is filtered through ``scope_q`` (via ``Model.objects.for_user``),
so an object outside the user's units is simply not found: a 404.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.params import query_id


class Action(models.TextChoices):
    VIEW = "view", _("View")
    ENTER = "enter", _("Enter data")
    APPROVE = "approve", _("Approve")
    ADMINISTER = "administer", _("Administer")


_CACHE_ATTR = "_hoilhpn_scope_paths"


def scope_paths(user, action: str = Action.VIEW) -> list[str] | None:
    """Unit paths under which ``user`` may do ``action``; None means everywhere (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        for role in user.roles.select_related("unit").only(
            "user", "can_enter", "can_approve", "can_administer", "unit__path"
        ):
            for granted in role.actions():
                cache.setdefault(granted, []).append(role.unit.path)
        setattr(user, _CACHE_ATTR, cache)
    return _outermost(cache.get(action, []))


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _outermost(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


def scope_q(user, action: str, path_field: str) -> Q:
    """A filter on ``path_field`` (a unit path lookup such as "branch__path") that keeps what ``user`` may see."""
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def can(user, action: str, unit) -> bool:
    """Whether ``user`` may do ``action`` on ``unit`` (and so on anything attached to it)."""
    paths = scope_paths(user, action)
    return paths is None or any(unit.path.startswith(path) for path in paths)


class UnitScopedQuerySet(models.QuerySet):
    """``for_user`` and ``in_subtree`` for records that belong to a unit through ``path_field``."""

    path_field = "unit__path"

    def for_user(self, user, action: str = Action.VIEW):
        return self.filter(scope_q(user, action, self.path_field))

    def in_subtree(self, unit):
        return self.filter(**{f"{self.path_field}__startswith": unit.path})


def is_province_office(user) -> bool:
    """Administers the root of the tree (or is a superuser): keeps catalogues shared by every unit."""
    return user.is_superuser or user.roles.filter(unit__parent__isnull=True, can_administer=True).exists()


def scope_unit(request, key: str = "unit"):
    """The unit named by ``?unit=`` when it is in the user's scope (404 otherwise); None when none is named."""
    from branches.models import Unit  # branches.models imports this module

    unit_id = query_id(request.GET, key)
    if unit_id is None:
        return None
    return get_object_or_404(Unit.objects.for_user(request.user).select_related("parent"), pk=unit_id)


def require(actor, action: str, *units) -> None:
    """Refuse a write on a unit outside ``actor``'s scope; ``actor=None`` is the system itself."""
    for unit in units:
        if actor is not None and not can(actor, action, unit):
            raise ValidationError(gettext("%(unit)s is outside your units.") % {"unit": unit})


def may_see_personal(user, path: str) -> bool:
    """Citizen IDs and phones are for those who keep the register: users who may enter data for the unit."""
    paths = scope_paths(user, Action.ENTER)
    return paths is None or any(path.startswith(prefix) for prefix in paths)


def personal_shown(user, value: str, path: str) -> str:
    """A citizen ID or phone as ``user`` may see it: in full when she keeps the register of the unit at
    ``path`` (the member's branch), masked otherwise."""
    if not value:
        return ""
    return value if may_see_personal(user, path) else mask(value)


def mask(value: str) -> str:
    """ "024123456742" -> "0241******42": enough to tell two records apart, not enough to use."""
    value = value or ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]
