from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch

from .models import Role
from .scope import Action, scope_q

User = get_user_model()


def users_for_admin(actor):
    """Users an administrator may manage: every role of theirs lies inside her subtree, and none is a superuser.

    A cadre who also holds a role elsewhere is managed by whoever administers both. Accounts that reach the
    admin site (staff) are managed by superusers only: resetting one's password would hand over the admin.
    """
    inside = Role.objects.filter(scope_q(actor, Action.ADMINISTER, "unit__path"))
    outside = Role.objects.filter(user=OuterRef("pk")).exclude(pk__in=inside.values("pk"))
    users = User.objects.filter(is_superuser=False, roles__in=inside)
    if not actor.is_superuser:
        users = users.filter(is_staff=False)
    return (
        users.exclude(Exists(outside))
        .distinct()
        .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("unit")))
        .order_by("username")
    )
