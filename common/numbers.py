"""Numbers as Vietnamese write them: "160.000.000", "1.234,5", "85,5" in, the same out.

A dot groups thousands and a comma marks the decimals, in what a cadre types
and in what the system prints; a plain "85.5" (one dot, not three digits after
it) is still read as a decimal point, since a phone's number pad offers one.
"""

import decimal
import re

from django import forms
from django.utils.translation import gettext_lazy as _

_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")  # 160.000.000 or 1.234,5
_COMMA = re.compile(r"^[0-9]+(,[0-9]+)?$")  # 85,5 or 1234
_POINT = re.compile(r"^[0-9]*\.[0-9]+$")  # 85.5 (a dot that cannot be a thousands group)


def parse(text: str) -> decimal.Decimal | None:
    """The number in ``text`` written the Vietnamese way (or plainly); None when it is not one."""
    value = "".join(text.split())  # "160 000 000" and non-breaking spaces
    if value.startswith("-") and not value.startswith("--"):
        number = parse(value[1:])
        return -number if number is not None else None
    if _GROUPED.match(value):  # "1.234" is one thousand two hundred and thirty-four, as Vietnamese write it
        value = value.replace(".", "").replace(",", ".")
    elif _COMMA.match(value):
        value = value.replace(",", ".")
    elif not _POINT.match(value):
        return None
    try:
        return decimal.Decimal(value)
    except decimal.InvalidOperation:
        return None


def display(value) -> str:
    """ "160.000.000", "85,5", "1.234,5": grouped, with no meaningless decimals."""
    if value in (None, ""):
        return ""
    number = decimal.Decimal(value)
    whole_number = number == number.to_integral_value()
    number = number.quantize(decimal.Decimal(1)) if whole_number else number.normalize()
    sign = "-" if number < 0 else ""
    whole, _dot, decimals = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"


class VietNumberInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "text-end", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int | float | decimal.Decimal):
            return display(value)
        return super().format_value(value)


class VietDecimalField(forms.DecimalField):
    """A DecimalField that reads and shows numbers the Vietnamese way."""

    widget = VietNumberInput
    default_error_messages = {"invalid": _("Enter a number, e.g. 160.000.000 or 85,5.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = parse(value)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = str(number)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No "step"/"min" for a text input: the browser would apply them to "1.234,5" as to a plain number.
        return {}


def _grouped(number: decimal.Decimal, places: int) -> str:
    """``number`` with dots between thousands and at most ``places`` decimals after a comma, zeros dropped."""
    rounded = number.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    whole, _dot, decimals = f"{rounded:f}".partition(".")
    decimals = decimals.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{decimals}" if decimals else grouped


BILLION = decimal.Decimal(10**9)
MILLION = decimal.Decimal(10**6)


def money(value) -> str:
    """An amount in đồng as reports write it: "3.152 tỷ đồng", "1,78 tỷ đồng", "107,2 triệu đồng", "850.000 đồng"."""
    if value in (None, ""):
        return ""
    amount = decimal.Decimal(value)
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount >= BILLION:
        billions = amount / BILLION
        places = 3 if billions < 10 else 2 if billions < 100 else 1 if billions < 1000 else 0
        return f"{sign}{_grouped(billions, places)} tỷ đồng"
    if amount >= MILLION:
        return f"{sign}{_grouped(amount / MILLION, 1)} triệu đồng"
    return f"{sign}{_grouped(amount, 0)} đồng"
