"""Vietnamese text typed in the pre-Unicode fonts: TCVN3 (ABC, ".VnTime") and VNI-Windows ("VNI-Times").

In such files the cell holds the font's bytes read as Windows-1252, so "Nguyễn"
appears as "NguyÔn" (TCVN3) or "Nguyeãn" (VNI). The tables below are built from
the layout of the two standards rather than listed byte by byte: TCVN3 gives each
vowel five bytes for the five tones; VNI writes a base letter followed by a mark
byte. Text that cannot be decoded is reported by the caller, never guessed.
"""

import unicodedata
from collections.abc import Iterable

TCVN3 = "tcvn3"
VNI = "vni"
UNICODE = "unicode"

# Tone marks in the order both standards list them: grave, hook, tilde, acute, dot below.
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _build_tcvn3() -> dict[str, str]:
    table = {}
    # Each vowel and the bytes of its five toned forms, in _TONES order.
    toned = {
        "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6), "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
        "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1), "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
        "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9), "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
        "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4), "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
    }  # fmt: skip
    for vowel, codes in toned.items():
        for tone, code in zip(_TONES, codes, strict=True):
            table[chr(code)] = _nfc(vowel + tone)
    # Letters with a modifier but no tone; TCVN3 has only these seven capitals.
    for code, letter in zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True):
        table[chr(code)] = letter
    return table


TCVN3_TABLE = _build_tcvn3()

# VNI mark bytes (lower-case form, upper-case form) -> what they add to the base letter.
_VNI_TONE = {
    "\xf8": 0,
    "\xd8": 0,
    "\xfb": 1,
    "\xdb": 1,
    "\xf5": 2,
    "\xd5": 2,
    "\xf9": 3,
    "\xd9": 3,
    "\xef": 4,
    "\xcf": 4,
}
_VNI_CIRCUMFLEX = {"\xe2": None, "\xc2": None, "\xe0": 0, "\xc0": 0, "\xe5": 1, "\xc5": 1, "\xe3": 2, "\xc3": 2,
                   "\xe1": 3, "\xc1": 3, "\xe4": 4, "\xc4": 4}  # fmt: skip
_VNI_BREVE = {"\xea": None, "\xca": None, "\xe8": 0, "\xc8": 0, "\xfa": 1, "\xda": 1, "\xfc": 2, "\xdc": 2,
              "\xe9": 3, "\xc9": 3, "\xeb": 4, "\xcb": 4}  # fmt: skip
# Letters VNI writes as one byte: đ, ơ, ư and the i/y forms with a tone.
_VNI_SINGLE = {"\xf1": "đ", "\xd1": "Đ", "\xf4": "ơ", "\xd4": "Ơ", "\xf6": "ư", "\xd6": "Ư", "\xe6": "ỉ", "\xc6": "Ỉ",
               "\xf3": "ĩ", "\xd3": "Ĩ", "\xf2": "ị", "\xd2": "Ị", "\xee": "ỵ", "\xce": "Ỵ"}  # fmt: skip
_VNI_BASES = set("aeouyAEOUY") | {"\xf4", "\xd4", "\xf6", "\xd6"}


def _vni_pair(base: str, mark: str) -> str | None:
    letter = _VNI_SINGLE.get(base, base)
    lower = letter.lower()
    if mark in _VNI_TONE:
        return _nfc(letter + _TONES[_VNI_TONE[mark]])
    if mark in _VNI_CIRCUMFLEX and lower in "aeo":
        tone = _VNI_CIRCUMFLEX[mark]
        return _nfc(letter + "\u0302" + ("" if tone is None else _TONES[tone]))
    if mark in _VNI_BREVE and lower == "a":
        tone = _VNI_BREVE[mark]
        return _nfc(letter + "\u0306" + ("" if tone is None else _TONES[tone]))
    return None


VNI_PAIRS = {
    base + mark: pair
    for base in _VNI_BASES
    for mark in (*_VNI_TONE, *_VNI_CIRCUMFLEX, *_VNI_BREVE)
    if (pair := _vni_pair(base, mark)) is not None
}

# Latin-1 letters that also occur in Vietnamese written in Unicode.
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")


def is_vietnamese_only(ch: str) -> bool:
    """A letter that only Unicode Vietnamese text has (ă đ ơ ư ĩ ũ and the letters with a tone beyond Latin-1)."""
    code = ord(ch)
    return 0x1EA0 <= code <= 0x1EF9 or ch in "ĂăĐđĨĩŨũƠơƯư" or 0x300 <= code <= 0x323


def is_foreign(ch: str) -> bool:
    """A Latin-1 character that Vietnamese text in Unicode does not use: a sign of a legacy font."""
    return 0xA0 < ord(ch) <= 0xFF and ch not in _VIETNAMESE_LATIN1 and ch != "°"


def has_vietnamese_only(text: str) -> bool:
    return any(is_vietnamese_only(ch) for ch in text)


def decode_tcvn3(text: str, capitals: bool = False) -> str:
    """TCVN3 text to Unicode; ``capitals`` for the ".VnTimeH" fonts, which draw every letter as a capital."""
    decoded = "".join(TCVN3_TABLE.get(ch, ch) for ch in text)
    return decoded.upper() if capitals else decoded


def decode_vni(text: str) -> str:
    out = []
    i, n = 0, len(text)
    while i < n:
        pair = VNI_PAIRS.get(text[i : i + 2]) if i + 1 < n else None
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        out.append(_VNI_SINGLE.get(text[i], text[i]))
        i += 1
    return "".join(out)


def decode(text: str, encoding: str, capitals: bool = False) -> str:
    """Decode one cell's text; cells that already hold Unicode Vietnamese are left alone."""
    if encoding == UNICODE or text.isascii() or has_vietnamese_only(text):
        return text
    if encoding == TCVN3:
        return decode_tcvn3(text, capitals)
    return decode_vni(text)


def undecodable(text: str) -> str:
    """The characters of decoded text that still look like a legacy font ("" when none)."""
    return "".join(dict.fromkeys(ch for ch in text if is_foreign(ch)))


def encoding_of_font(font_name: str | None) -> tuple[str | None, bool]:
    """What a font name says about the bytes in a cell: (encoding or None, draws capitals)."""
    name = (font_name or "").strip().lower()
    if name.startswith(".vn"):
        return TCVN3, name.endswith("h")
    if name.startswith("vni"):
        return VNI, False
    return None, False


def detect(texts: Iterable[str]) -> str:
    """Tell from a sample of a sheet's texts whether it was typed in Unicode, TCVN3 or VNI.

    A cell with a letter only Unicode has (ư, ạ …) is Unicode; a cell with Latin-1
    signs Vietnamese never uses (µ, ¸, ø …) is legacy. Between the two legacy
    fonts, VNI writes a vowel followed by a mark byte (C0–FF) and never uses
    A1–BF, where TCVN3 keeps most of its letters.
    """
    unicode_cells = legacy_cells = 0
    vni_pairs = tcvn3_only = 0
    for text in texts:
        if text.isascii():
            continue
        if has_vietnamese_only(text):
            unicode_cells += 1
            continue
        if not any(is_foreign(ch) for ch in text):
            continue
        legacy_cells += 1
        for i, ch in enumerate(text):
            if "\xa1" <= ch <= "\xbf":
                tcvn3_only += 1  # VNI has no letter or mark in this range; TCVN3 has most of its letters there
            elif i and text[i - 1 : i + 1] in VNI_PAIRS:
                vni_pairs += 1
    if legacy_cells == 0 or legacy_cells < unicode_cells:
        return UNICODE
    return VNI if vni_pairs > tcvn3_only else TCVN3
