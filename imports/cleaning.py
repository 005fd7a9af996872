"""Turn the raw cells of one row into member fields, the way cadres typed them into Excel.

Dates come as real date cells, Excel serial numbers, "07/04/1976", "7-4-1976",
"07.04.76" or a bare year; numbers typed into ID and phone cells have lost their
leading zero. Every problem is a (field, reason) pair so the caller can say
which cell it was.
"""

import datetime
import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.text import fold
from members.constants import ETHNIC_GROUPS, RELIGIONS
from members.models import Member
from members.services import clean_profile

EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIAL_FLOOR = 3000  # 19 March 1908
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^(\d{4,5})(?:\.0+)?$")
_TRUE_MARKS = {"x", "co", "1", "v", "nc", "true", "yes", "✓", "✔", "la nong cot", "nong cot", "+"}
_FALSE_MARKS = {"", "khong", "0", "-", "false", "no"}

BIRTH = "birth"
JOINED = "joined"


def _century(two_digits: int, kind: str, today: datetime.date) -> int:
    """A two-digit year: the century that makes her an adult (birth) or that is not in the future (joining)."""
    recent = 2000 + two_digits
    if kind == BIRTH:
        return recent if recent <= today.year - 18 else 1900 + two_digits
    return recent if recent <= today.year else 1900 + two_digits


def _make(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ValueError(_("no such date")) from error


def parse_date(value, kind: str, today: datetime.date) -> tuple[datetime.date | None, int | None]:
    """(date, year) from a cell; the date is None when only the year of birth is known."""
    if value is None or value == "":
        return None, None
    if type(value) is str:
        return _parse_text(value.strip(), kind, today)
    if isinstance(value, datetime.datetime):
        return value.date(), value.year
    if isinstance(value, datetime.date):
        return value, value.year
    if isinstance(value, bool):
        raise ValueError(_("not a date"))
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return _year_only(int(value), kind)
        # A day or month number is never a date: serials this small are 1900, before anyone on a list was born.
        if SERIAL_FLOOR <= value < 80000:
            day = EXCEL_EPOCH + datetime.timedelta(days=int(value))
            return day, day.year
        raise ValueError(_("not a date"))
    return _parse_text(str(value).strip(), kind, today)


@lru_cache(maxsize=65536)
def _parse_text(text: str, kind: str, today: datetime.date) -> tuple[datetime.date | None, int | None]:
    # Cached: a list of 100,000 members holds a few thousand distinct dates, each typed many times.
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year = _century(year, kind, today)
        result = _make(year, month, day)
        return result, result.year
    if match := _YMD.match(text):
        result = _make(*(int(part) for part in match.groups()))
        return result, result.year
    if match := _YEAR.match(text):
        year = int(match.group(1))
        if 1900 <= year <= 2100:
            return _year_only(year, kind)
    if match := _MY.match(text):
        month, year = int(match.group(1)), int(match.group(2))
        if kind == BIRTH:
            _make(year, month, 1)
            return None, year
        result = _make(year, month, 1)
        return result, year
    if match := _SERIAL.match(text):
        return parse_date(float(match.group(1)), kind, today)
    raise ValueError(_("not a date"))


def _year_only(year: int, kind: str) -> tuple[datetime.date | None, int]:
    # A year of joining alone is kept as 1 January of that year; a year of birth alone is the birth year.
    return (None, year) if kind == BIRTH else (datetime.date(year, 1, 1), year)


def text(value) -> str:
    if type(value) is str:  # most cells: checked first
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        # "9/12" (grade nine of twelve) that Excel turned into 9 December.
        return f"{value.day}/{value.month}"
    return " ".join(str(value).split())


@lru_cache(maxsize=512)
def _core_mark(folded: str) -> bool:
    if folded in _TRUE_MARKS:
        return True
    if folded in _FALSE_MARKS:
        return False
    raise ValueError(_("write x for a core member, or leave it empty"))


def core_mark(value) -> bool:
    return _core_mark(fold(text(value)))


PROFILE_TEXT_FIELDS = ("address", "education", "qualification", "occupation", "card_number", "notes")
# Refused rather than cut: a value is stored whole or the row goes back to the user.
MAX_LENGTHS = {
    name: Member._meta.get_field(name).max_length
    for name in ("full_name", "ethnicity", "religion", *PROFILE_TEXT_FIELDS)
}


def _date_from_parts(values: dict, name: str, kind: str, today: datetime.date):
    """A date spread over day, month and year columns; only the year is required (then the year alone counts)."""
    keys = _PART_KEYS[name]
    if keys[0] not in values and keys[1] not in values and keys[2] not in values:
        return None  # the usual table: one column for the date
    parts = [values.get(key) for key in keys]
    if all(part in (None, "") for part in parts):
        return None
    day, month, year = (_whole_number(part) for part in parts)
    if year is None:
        raise ValueError(_("no year"))
    if day is None and month is None:
        return parse_date(year, kind, today) if year >= 1900 else _two_digit_year(year, kind, today)
    if day is None or month is None:
        raise ValueError(_("no such date"))
    if year < 100:
        year = _century(year, kind, today)
    result = _make(year, month, day)
    return result, result.year


_PART_KEYS = {
    name: tuple(f"{name}__{part}" for part in ("day", "month", "year")) for name in ("date_of_birth", "joined_on")
}


def _two_digit_year(year: int, kind: str, today: datetime.date):
    if year >= 100:
        raise ValueError(_("no such year of birth"))
    return _year_only(_century(year, kind, today), kind)


def _whole_number(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(_("not a date"))
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    cleaned = str(value).strip()
    if cleaned.isdigit() and len(cleaned) <= 4:
        return int(cleaned)
    raise ValueError(_("not a date"))


def clean_row(values: dict, today: datetime.date) -> tuple[dict, list[tuple[str, str]]]:
    """Member fields from one row's raw values (keyed by field); problems as (field, reason)."""
    problems: list[tuple[str, str]] = []
    data: dict = {}
    if "full_name" in values:
        data["full_name"] = text(values["full_name"])
    else:
        data["full_name"] = " ".join(text(values.get(part)) for part in ("last_name", "given_name")).strip()
    for name, kind in (("date_of_birth", BIRTH), ("joined_on", JOINED)):
        try:
            parsed = _date_from_parts(values, name, kind, today)
            day, year = parsed if parsed is not None else parse_date(values.get(name), kind, today)
        except ValueError as error:
            problems.append((name, str(error)))
            continue
        data[name] = day
        if name == "date_of_birth":
            data["birth_year"] = year
    male = "birth_male" in values and bool(text(values["birth_male"]))
    if male:
        # "Năm sinh" split into "Nam" | "Nữ": a year under "Nam" is a man's.
        problems.append(("birth_male", _("the year of birth is in the column for men")))
        problems = [(name, reason) for name, reason in problems if name != "date_of_birth"]
    for name in ("ethnicity", "religion", "id_number", "old_id_number", "phone"):
        if name in values:
            data[name] = values[name] if isinstance(values[name], int | float) else text(values[name])
    for name in PROFILE_TEXT_FIELDS:
        if name in values:
            data[name] = text(values[name])
    if "is_core" in values:
        try:
            data["is_core"] = core_mark(values["is_core"])
        except ValueError as error:
            problems.append(("is_core", str(error)))
    failed = {name for name, _reason in problems} | ({"date_of_birth"} if male else set())
    try:
        data = clean_profile(data, today)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            # A date already refused is not also "missing".
            if name not in failed:
                problems.extend((name, message) for message in messages)
    for name, limit in MAX_LENGTHS.items():
        if len(str(data.get(name) or "")) > limit:
            problems.append((name, _("longer than %(max)s characters") % {"max": limit}))
    return data, problems


def unlisted(data: dict) -> list[tuple[str, str]]:
    """Ethnic group and religion values kept as typed because they are not on the official lists."""
    found = []
    for name, known in (("ethnicity", ETHNIC_GROUPS), ("religion", RELIGIONS)):
        value = data.get(name)
        if value and value not in known:
            found.append((name, value))
    return found
