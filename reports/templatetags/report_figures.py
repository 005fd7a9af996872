"""Report figures in templates: Vietnamese numbers, signed changes, the anchors the narrative links to."""

import decimal

from django import template

from common.numbers import money
from reports.narrative import anchor, number

register = template.Library()


@register.filter
def vn_figure(value, measure: str = "") -> str:
    """A report figure in Vietnamese: "1.234", "66,35", money as "1,78 tỷ đồng"; a missing one as "–"; text as
    it is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return value
    if measure == "vnd":
        return money(value)
    return number(decimal.Decimal(str(value)) if isinstance(value, float) else value)


@register.filter
def vn_change(value, measure: str = "") -> str:
    """A change with its sign: "+1.234", "−56", "0"."""
    if value is None:
        return "–"
    text = vn_figure(abs(value), measure)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"


@register.filter
def figure_anchor(key: str) -> str:
    """The id a report figure's row carries, which the narrative's numbers link to."""
    return anchor(key)


@register.filter
def split(text: str) -> list[str]:
    return text.split()
