"""Personal data in templates: shown in full only to those who keep the member's register."""

from django import template

from accounts.scope import mask, may_see_personal

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, member, field: str) -> str:
    """A member's citizen ID or phone: in full for those who keep her register, masked for everyone else."""
    value = getattr(member, field, "") or ""
    if not value:
        return ""
    return value if may_see_personal(context["request"].user, member.branch.path) else mask(value)
