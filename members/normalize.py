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

from .constants import ETHNIC_GROUPS, ETHNICITY_ALIASES, NO_RELIGION_WORDS, RELIGIONS

_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")
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
_RELIGION_BY_FOLDED = {fold(name): name for name in RELIGIONS}
_RELIGION_BY_FOLDED.update({"thien chua": "Công giáo", "thien chua giao": "Công giáo", "dao phat": "Phật giáo"})


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


def id_number(value) -> str:
    """A 12-digit CCCD or 9-digit CMND as text; a leading zero lost by a number cell is restored."""
    digits = _digits(value)
    if not digits:
        return ""
    if len(digits) in (11, 8):
        # Typed as a number, "024176716918" becomes 24176716918: one zero lost.
        digits = "0" + digits
    if len(digits) not in (9, 12):
        raise ValueError(_("neither 9 (CMND) nor 12 (CCCD) digits"))
    return digits


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


@lru_cache(maxsize=2048)
def ethnicity(value) -> str:
    """The official name of an ethnic group; blank means Kinh is not assumed (the caller decides)."""
    folded = fold(str(value or "")).replace("dan toc ", "")
    if not folded:
        return ""
    if folded in _ETHNICITY_BY_FOLDED:
        return _ETHNICITY_BY_FOLDED[folded]
    compact = folded.replace("-", " ").replace("'", "")
    for key, name in _ETHNICITY_BY_FOLDED.items():
        if key.replace("-", " ").replace("'", "") == compact:
            return name
    raise ValueError(_("not one of the 54 ethnic groups"))


@lru_cache(maxsize=2048)
def religion(value) -> str:
    """A religion's usual name, or "" for none ("Không")."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value or ""))).strip()
    if fold(text) in NO_RELIGION_WORDS:
        return ""
    return _RELIGION_BY_FOLDED.get(fold(text), text[:1].upper() + text[1:])


def age_on(birth_year: int, date_of_birth: datetime.date | None, day: datetime.date) -> int:
    """Age in whole years on ``day``; with only the year known, the most favourable reading (born 1 January)."""
    if date_of_birth:
        return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    return day.year - birth_year
