"""Text helpers for Vietnamese: accent folding for search and matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def _ascii_letters() -> dict[int, str | None]:
    """Latin letters with diacritics -> their base letter, combining marks -> nothing, for ``str.translate``."""
    table: dict[int, str | None] = dict.fromkeys(range(0x300, 0x370))
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(ch for ch in unicodedata.normalize("NFD", chr(cp)) if not unicodedata.combining(ch))
        if base != chr(cp) and base.isascii():
            table[cp] = base
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_ASCII_LETTERS = _ascii_letters()


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics, with single spaces: "Tân  Ấn" -> "tan an".

    Stored beside names so that search ignores diacritics on SQLite and
    PostgreSQL alike without a database extension.
    """
    if not text:
        return ""
    # Vietnamese text folds by table lookup (an import folds every name); anything else by decomposition.
    stripped = text.translate(_ASCII_LETTERS)
    if not stripped.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.split()).lower()


def normalize_name(text: str | None) -> str:
    """Unicode NFC with single spaces, as names are stored."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
