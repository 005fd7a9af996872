from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch

from .models import Role
from .scope import Action, scope_q

User = get_user_model()


def users_for_admin(actor):
    """Users an administrator may manage: every role of theirs lies inside her subtree, and none is a superuser.

    A cadre who also holds a role elsewhere is managed by whoever administers both.
    """
    inside = Role.objects.filter(scope_q(actor, Action.ADMINISTER, "unit__path"))
    outside = Role.objects.filter(user=OuterRef("pk")).exclude(pk__in=inside.values("pk"))
    return (
        User.objects.filter(is_superuser=False, roles__in=inside)
        .exclude(Exists(outside))
        .distinct()
        .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("unit")))
        .order_by("username")
    )
