"""Normalisers for member fields as they come from forms and legacy lists.

Pure functions: each takes what a person typed (or a spreadsheet held) and
returns the stored form, or raises ``ValueError`` with a Vietnamese message
that says what is wrong. Forms, the importer and the services share them, so a
value is cleaned the same way wherever it enters.
"""

import datetime
import re
import unicodedata
from functools import lru_cache

from django.utils.translation import gettext as _

from common.text import fold

from .constants import (
    ADULT_AGE,
    ETHNIC_GROUPS,
    ETHNICITY_ALIASES,
    ETHNICITY_PREFIXES,
    NO_RELIGION_WORDS,
    RELIGION_ALIASES,
    RELIGIONS,
)

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")
_DIGIT_RUNS = re.compile(r"\d+")
# Letters such as "ǅ" pass str.istitle() yet are written as capitals at the start of a word.
_TITLECASE_LETTERS = re.compile(
    "[" + "".join(chr(cp) for cp in range(0x2000) if unicodedata.category(chr(cp)) == "Lt") + "]"
)

# Mobile prefixes renumbered from 11 to 10 digits in 2018 (Ministry of Information and Communications).
OLD_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039", "0120": "070", "0121": "079", "0122": "077", "0126": "076",
    "0128": "078", "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip

_ETHNICITY_BY_FOLDED = {fold(name): name for name in ETHNIC_GROUPS}
_ETHNICITY_BY_FOLDED.update(ETHNICITY_ALIASES)
# Every spelling also without its hyphens and apostrophes, and without spaces ("gia rai", "giarai").
_ETHNICITY_KEYS = {
    variant: name
    for key, name in _ETHNICITY_BY_FOLDED.items()
    for variant in (key, key.replace("-", " ").replace("'", "").replace("  ", " "), key.replace(" ", ""))
}
_RELIGION_BY_FOLDED = {fold(name): name for name in RELIGIONS}
_RELIGION_BY_FOLDED.update(RELIGION_ALIASES)
# Province codes of the CCCD (Circular 59/2021/TT-BCA): 001-096 with gaps.
CCCD_PROVINCES = frozenset(f"{code:03d}" for code in range(1, 97))


def full_name(value) -> str:
    """NFC, single spaces, every word capitalised: "  NGUYỄN thị  hà" -> "Nguyễn Thị Hà"."""
    text = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    if text.istitle() and text.replace(" ", "").isalpha() and not _TITLECASE_LETTERS.search(text):
        return text  # already written so, as most names are
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))


def _digits(value) -> str:
    """The digits of a cell that may hold text or a number (a float from a spreadsheet: 24176716918.0)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if text.isdecimal() else _NON_DIGITS.sub("", text)


def _cccd_fits(digits: str, birth_year: int | None) -> bool:
    """A 12-digit CCCD whose province code is real and whose century and year digits fit her year of birth."""
    if len(digits) != 12 or digits[:3] not in CCCD_PROVINCES:
        return False
    century = int(digits[3])  # 0/1: born 1900-1999 (man/woman), 2/3: 2000-2099, …
    if century > 5:
        return False
    year = 1900 + 100 * (century // 2) + int(digits[4:6])
    if birth_year is None:
        return year <= datetime.date.today().year - ADULT_AGE
    return year == birth_year


def id_number(value, birth_year: int | None = None) -> str:
    """A 12-digit CCCD or 9-digit CMND as text, with the leading zeros a number cell lost restored.

    A CCCD starts with its province code (001-096), so typed as a number it loses one or two zeros (up to three
    for a pathological cell); they are put back only when the result is a CCCD that fits her year of birth. A CMND
    can lose one.
    """
    digits = _digits(value)
    if not digits:
        return ""
    restored = _restored(digits)
    if len(digits) in (9, 12, 8) or (restored and _cccd_fits(restored, birth_year)):
        return restored
    raise ValueError(_("neither 9 (CMND) nor 12 (CCCD) digits"))


def _restored(digits: str) -> str:
    """The number ``digits`` can only be, if it is one: a CMND or CCCD as it was, or with the zeros it lost."""
    if len(digits) in (9, 12):
        return digits
    if len(digits) == 8:
        return "0" + digits
    if 9 < len(digits) < 12:
        return digits.rjust(12, "0")
    return ""


def likely_id_number(value) -> str:
    """What ``id_number`` gives for the cell whenever it takes it, whatever her year of birth ("" when it never
    can): enough to look a file's numbers up before its rows are cleaned."""
    return _restored(_digits(value))


def _phone_length(digits: str) -> int | None:
    """How many digits the number that starts with ``digits`` has, or None until enough of it is seen."""
    if digits.startswith("84"):
        return 11
    if not digits.startswith("0"):
        return 9  # a number cell lost the leading zero
    if len(digits) < 4:
        return None
    if digits[:4] in OLD_MOBILE_PREFIXES or digits.startswith("02"):
        return 11  # old 11-digit mobiles and landlines (02x + 8 digits)
    return 10


def phones(value) -> list[str]:
    """Every phone number in a cell, in order: "0912.345.678 - 0987 654 321" -> two numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [phone(value)] if _digits(value) else []
    numbers, current = [], ""
    for run in _DIGIT_RUNS.findall(str(value or "")):
        current += run
        need = _phone_length(current)
        while need is not None and len(current) >= need:
            numbers.append(current[:need])
            current = current[need:]
            need = _phone_length(current) if current else None
    if current:
        numbers.append(current)
    return [phone(number) for number in numbers]


def phone(value) -> str:
    """A 10-digit mobile number; old 11-digit mobiles renumbered, "+84"/"84" and lost zeros restored."""
    digits = _digits(value)
    if not digits:
        return ""
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if len(digits) not in (10, 11):
        raise ValueError(_("not a phone number (10 digits expected)"))
    return digits


def _words(value) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def _as_typed(text: str) -> str:
    return text[:1].upper() + text[1:] if text.islower() or text.isupper() else text


@lru_cache(maxsize=2048)
def ethnicity_name(value) -> tuple[str, bool]:
    """(name, known): the official name of an ethnic group, or what was typed (tidied) when it is none of them."""
    text = _words(value)
    folded = fold(text).strip(" .,;")
    for prefix in ETHNICITY_PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    if not folded:
        return "", True
    for key in (folded, folded.replace("-", " ").replace("'", "").replace("  ", " "), folded.replace(" ", "")):
        if key in _ETHNICITY_KEYS:
            return _ETHNICITY_KEYS[key], True
    return _as_typed(text), False


def ethnicity(value) -> str:
    """The official name of an ethnic group; what was typed when it is none of them (flagged by the importer)."""
    return ethnicity_name(value)[0]


@lru_cache(maxsize=2048)
def religion_name(value) -> tuple[str, bool]:
    """(name, known): a recognised religion's official name, "" for none ("Không", "Lương"), else as typed."""
    text = _words(value)
    folded = fold(text).strip(" .,;")
    if folded in NO_RELIGION_WORDS:
        return "", True
    for key in (folded, folded.replace("-", " "), folded.removeprefix("dao ")):
        if key in _RELIGION_BY_FOLDED:
            return _RELIGION_BY_FOLDED[key], True
    return _as_typed(text), False


def religion(value) -> str:
    """A religion's official name, or "" for none ("Không")."""
    return religion_name(value)[0]


def age_on(birth_year: int, date_of_birth: datetime.date | None, day: datetime.date) -> int:
    """Age in whole years on ``day``; with only the year known, the most favourable reading (born 1 January)."""
    if date_of_birth:
        return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    return day.year - birth_year
