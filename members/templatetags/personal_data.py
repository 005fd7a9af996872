"""Personal data in templates: shown in full only to those who keep the member's register."""

from django import template

from accounts.scope import personal_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, member, field: str) -> str:
    """A member's citizen ID or phone: in full for those who keep her register, masked for everyone else."""
    return personal_shown(context["request"].user, getattr(member, field, "") or "", member.branch.path)
