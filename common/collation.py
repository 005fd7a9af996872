"""Vietnamese alphabetical order, the same on PostgreSQL and SQLite.

PostgreSQL has ICU's Vietnamese collation ("vi-VN-x-icu"): a ă â b c d đ e ê g … with the tones after the bare
letter (a à ả ã á ạ). SQLite has no such thing, so a collation of the same name is registered on each SQLite
connection, comparing by ``vi_key``; ``order_by(vi("name"))`` then sorts alike on both.
"""

import functools
import unicodedata

from django.db.models.functions import Collate

VI_COLLATION = "vi-VN-x-icu"

# The Vietnamese alphabet, then the letters only foreign names use, in their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Marks that make a letter of its own (ă â ê ô ơ ư) and the five tones, in dictionary order.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=65536)
def vi_key(text: str) -> tuple:
    """A key that sorts ``text`` in Vietnamese dictionary order: letters first (ă after a, đ after d), then
    tones (a à ả ã á ạ), then case; digits before letters, spaces and punctuation before both."""
    letters, tones, cases = [], [], []
    for char in unicodedata.normalize("NFC", text or ""):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        lower = base.lower()
        tone = 0
        for mark in marks:
            if mark in _LETTER_MARKS:
                lower = unicodedata.normalize("NFC", lower + mark)
            elif mark in _TONES:
                tone = _TONES[mark]
        if char.lower() == "đ":
            lower = "đ"
        if lower in _RANK:
            letters.append(200 + _RANK[lower])
        elif lower.isdigit():
            letters.append(100 + int(lower) if lower.isascii() else 150)
        elif lower.isspace():
            letters.append(0)
        else:
            letters.append(50 + min(ord(lower), 40))
        tones.append(tone)
        cases.append(0 if base == lower or not base.isalpha() else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def vi_compare(first: str | None, second: str | None) -> int:
    a, b = vi_key(first or ""), vi_key(second or "")
    return (a > b) - (a < b)


def vi(field: str) -> Collate:
    """``field`` in Vietnamese order, for ``order_by``."""
    return Collate(field, VI_COLLATION)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, vi_compare)
