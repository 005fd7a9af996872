"""Text helpers for Vietnamese: accent folding for search and matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics, with single spaces: "Tân  Ấn" -> "tan an".

    Stored beside names so that search ignores diacritics on SQLite and
    PostgreSQL alike without a database extension.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def normalize_name(text: str | None) -> str:
    """Unicode NFC with single spaces, as names are stored."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
