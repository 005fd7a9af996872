def scope(request):
    """Expose whether the user administers any unit, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .scope import Action, scope_paths

    paths = scope_paths(user, Action.ADMINISTER)
    return {"can_administer": paths is None or bool(paths)}
