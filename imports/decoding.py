"""Legacy Vietnamese text (TCVN3, VNI) to Unicode, decided cell by cell.

A commune list typed in Unicode often holds a block pasted from an older file
typed in TCVN3 or VNI: deciding per sheet would leave that block garbled, or
garble the Unicode around it. Each cell is decided on its own: the cell's font
where the file records it (".VnTime" is TCVN3, "VNI-Times" is VNI), else its
text (letters only Unicode has, or bytes only a legacy font uses), and when the
text alone cannot tell the two legacy fonts apart, the sheet's majority.
"""

import re

from . import legacy
from .sheets import RawSheet

# A cell worth a look: a Latin-1 sign that Unicode Vietnamese does not use, and no letter only Unicode has.
_FOREIGN = re.compile("[" + re.escape("".join(chr(c) for c in range(0xA1, 0x100) if legacy.is_foreign(chr(c)))) + "]")
_UNICODE_ONLY = re.compile(
    "[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u0300-\u0323]"
)


def is_legacy(value: str) -> bool:
    """Text with a sign of a legacy font and no letter only Unicode has."""
    return bool(_FOREIGN.search(value)) and not _UNICODE_ONLY.search(value)


def is_candidate(value: str) -> bool:
    """Text that may be in a legacy font: not plain ASCII, no letter only Unicode has."""
    return not value.isascii() and not _UNICODE_ONLY.search(value)


def decode_sheet(sheet: RawSheet) -> tuple[str, bool]:
    """Decode the legacy cells of ``sheet`` in place; returns (the sheet's main encoding, whether a capitals-only
    font was used).

    In a sheet typed mostly in a legacy font every cell without a Unicode-only letter is legacy text (some VNI
    words use only Latin-1 letters: "Thò"); in a Unicode sheet only the cells with a legacy sign are, or those
    whose font says so.
    """
    legacy_name = is_legacy(sheet.name)
    if not legacy_name and not _FOREIGN.search("\n".join([v for row in sheet.rows for v in row if type(v) is str])):
        # No legacy sign in any cell (most files): one search over the sheet's text, not one per cell.
        return legacy.UNICODE, False
    return _decode_cells(sheet, legacy_name)


def _decode_cells(sheet: RawSheet, legacy_name: bool) -> tuple[str, bool]:
    unicode_cells = 0
    candidates, signed = [], 0
    signed_rows = set()  # rows of a pasted legacy block: their other cells are legacy too
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if type(value) is not str or value.isascii():
                continue
            if _UNICODE_ONLY.search(value):
                unicode_cells += 1
                continue
            foreign = bool(_FOREIGN.search(value))
            signed += foreign
            if foreign:
                signed_rows.add(r)
            candidates.append((r, c, value, foreign))
    if not signed and not legacy_name:
        return legacy.UNICODE, False
    fonts = {}
    if sheet.fonts is not None and candidates:
        try:
            fonts = sheet.fonts()
        except Exception:  # noqa: BLE001 - fonts are a hint; the text itself decides without them
            fonts = {}
    legacy_sheet = signed > unicode_cells
    majority = legacy.detect([value for _r, _c, value, foreign in candidates if foreign] or [sheet.name])
    if majority == legacy.UNICODE:
        majority = legacy.TCVN3
    capitals_used = False
    counts = {legacy.TCVN3: 0, legacy.VNI: 0}
    for r, c, value, foreign in candidates:
        encoding, capitals = legacy.encoding_of_font(fonts.get((r, c)))
        if encoding is None:
            if not (foreign or legacy_sheet or r in signed_rows):
                continue
            encoding = _cell_encoding(value) or majority
        sheet.rows[r][c] = legacy.decode(value, encoding, capitals)
        counts[encoding] += 1
        capitals_used = capitals_used or capitals
    if legacy_name or (legacy_sheet and is_candidate(sheet.name)):
        # Sheet names were typed in the same font ("Thoân Ñoâng").
        sheet.name = legacy.decode(sheet.name, _cell_encoding(sheet.name) or majority)
    if not any(counts.values()):
        return legacy.UNICODE, False
    return max(counts, key=counts.get), capitals_used


def _cell_encoding(value: str) -> str | None:
    """TCVN3 or VNI when the text alone says which, else None."""
    tcvn3_only = vni_pairs = 0
    for i, ch in enumerate(value):
        if "\xa1" <= ch <= "\xbf":
            tcvn3_only += 1
        elif i and value[i - 1 : i + 1] in legacy.VNI_PAIRS:
            vni_pairs += 1
    if tcvn3_only and not vni_pairs:
        return legacy.TCVN3
    if vni_pairs and not tcvn3_only:
        return legacy.VNI
    return None
