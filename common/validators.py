"""Plausible dates: a record of the Union is not dated in year 1 or 9999.

Every date field of the Union's records carries one of these validators, so a
form, the admin and any service that calls ``full_clean`` refuse the date with
a message that says which dates are accepted.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The Union was founded on 20 October 1930; none of its records is older.
UNION_FOUNDED = datetime.date(1930, 10, 20)


@deconstructible
class PlausibleDate:
    """Between the Union's founding and ``years_ahead`` years from today (a day that happened: one year)."""

    def __init__(self, years_ahead: int = 1):
        self.years_ahead = years_ahead

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        return UNION_FOUNDED, today.replace(year=today.year + self.years_ahead, day=min(today.day, 28))

    def __call__(self, value):
        if value is None:
            return
        low, high = self.bounds()
        if not low <= value <= high:
            raise ValidationError(
                _("Enter a date from %(low)s to %(high)s."),
                code="implausible_date",
                params={"low": date_format(low, "d/m/Y"), "high": date_format(high, "d/m/Y")},
            )

    def __eq__(self, other):
        return isinstance(other, PlausibleDate) and other.years_ahead == self.years_ahead


happened = PlausibleDate(1)  # a meeting, a decision, a transfer: at most a year ahead (entered in advance)
planned = PlausibleDate(6)  # a deadline, the end of a term or a period
