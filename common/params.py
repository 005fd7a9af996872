"""One reading of ids, years and page numbers from query strings and forms.

``str.isdigit()`` accepts "²" and "١٢", which ``int()`` refuses or reads as
another number, and an id of twenty digits overflows the database's integer.
Every view reads such values through these functions: a malformed id is a
record that does not exist (404), a malformed year or page is the default.
"""

import re

from django.http import Http404

from common import validators as dates

# Django's AutoField/BigAutoField and PostgreSQL's bigint stop here.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id written in ``value`` (ASCII digits only, within the database's range), or None."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def query_id(data, key: str) -> int | None:
    """The id under ``key`` in ``data`` (request.GET or POST); None when absent or empty, 404 when malformed."""
    value = data.get(key, "")
    if value == "":
        return None
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def year_range() -> tuple[int, int]:
    """The years a record or a report of the Union can be about: the same bounds as its dates."""
    low, high = dates.planned.bounds()
    return low.year, high.year


def parse_year(value) -> int | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}", value):
        return None
    low, high = year_range()
    year = int(value)
    return year if low <= year <= high else None


def query_year(data, key: str, default: int) -> int:
    """The year under ``key``, or ``default`` when it is absent or not a plausible year."""
    year = parse_year(data.get(key, ""))
    return default if year is None else year


def query_year_noted(request, key: str, default: int) -> int:
    """As ``query_year``, and a year that was given but is not one the Union's records can be about is said, not
    silently replaced ("Năm 1800 không hợp lệ: đang hiển thị năm 2025")."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    given = request.GET.get(key, "")
    year = query_year(request.GET, key, default)
    if given and parse_year(given) is None:
        low, high = year_range()
        messages.warning(
            request,
            _("“%(given)s” is not a year from %(low)d to %(high)d: showing %(year)d.")
            % {"given": given[:20], "low": low, "high": high, "year": year},
        )
    return year


def query_page(data, key: str = "page", last: int = 1_000_000) -> int:
    """A page number from 1 to ``last``; anything else is the first page."""
    value = data.get(key, "")
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,7}", value):
        return 1
    return min(max(1, int(value)), last)
