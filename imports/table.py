"""Find the member table in a sheet and say which column holds what.

Real lists put a title block above the table, merge header cells, split a
header over two rows ("Ngày, tháng, năm" over "Sinh" and "Vào Hội"), number
the columns under the header and end with totals and signatures. The header is
the row (or pair of rows) in which most cells name a known field; data runs
from below it to the first footer row.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from common.text import fold

from .cleaning import text

# What the importer reads, in the order the preview lists them.
FIELDS = {
    "full_name": _("Full name"),
    "last_name": _("Family and middle name"),
    "given_name": _("Given name"),
    "date_of_birth": _("Date of birth"),
    "ethnicity": _("Ethnicity"),
    "religion": _("Religion"),
    "id_number": _("ID number (CCCD/CMND)"),
    "old_id_number": _("Old ID number (CMND)"),
    "phone": _("Phone"),
    "branch": _("Branch / village"),
    "address": _("Address"),
    "education": _("Education"),
    "qualification": _("Qualification"),
    "occupation": _("Occupation"),
    "joined_on": _("Joined on"),
    "card_number": _("Member card number"),
    "is_core": _("Core member"),
    "date_of_birth__day": _("Date of birth: day"),
    "date_of_birth__month": _("Date of birth: month"),
    "date_of_birth__year": _("Date of birth: year"),
    "birth_male": _("Year of birth of a man (column 'Nam')"),
    "joined_on__day": _("Joined on: day"),
    "joined_on__month": _("Joined on: month"),
    "joined_on__year": _("Joined on: year"),
    "seq": _("No. (STT)"),
    "note": _("Notes"),
}
IGNORED_FIELDS = {"seq", "note"}

# Header texts seen in the field, folded; checked whole first, then by the rules in _guess.
SYNONYMS = {
    "full_name": ["ho va ten", "ho ten", "ho va ten hoi vien", "ho ten hoi vien", "ten hoi vien", "ho va ten hv",
                  "ho ten hv", "hoi vien", "ho va ten chi em"],
    "last_name": ["ho dem", "ho va ten dem", "ho", "ho lot", "ho va dem"],
    "given_name": ["ten"],
    "date_of_birth": ["ngay sinh", "nam sinh", "sinh ngay", "ngay thang nam sinh", "sinh", "ngay thang sinh",
                      "sinh nam", "nam sinh ngay sinh"],
    "joined_on": ["ngay vao hoi", "ket nap ngay", "ngay ket nap", "ngay thang nam vao hoi", "vao hoi",
                  "nam vao hoi", "ngay vao", "ket nap", "thoi gian vao hoi"],
    "id_number": ["so cccd", "cccd", "cmnd", "so cmnd", "so cmnd cccd", "so cccd cmnd", "cccd cmnd", "cmnd cccd",
                  "so dinh danh", "so dinh danh ca nhan", "can cuoc cong dan", "so can cuoc"],
    "phone": ["sdt", "so dien thoai", "dien thoai", "dt", "so dt", "dtdd", "di dong"],
    "branch": ["chi hoi", "thon", "thon xom", "xom", "to dan pho", "ap", "ban", "khu pho", "lang", "to", "tdp",
               "thon to dan pho", "ten chi hoi", "thuoc chi hoi", "khu"],
    "address": ["noi o", "dia chi", "noi o hien nay", "cho o hien nay", "noi thuong tru", "thuong tru", "cho o"],
    "ethnicity": ["dan toc"],
    "religion": ["ton giao"],
    "education": ["trinh do hoc van", "hoc van", "van hoa", "trinh do van hoa", "tdhv", "trinh do"],
    "qualification": ["chuyen mon", "trinh do chuyen mon", "trinh do cmkt", "chuyen mon nghiep vu"],
    "occupation": ["nghe nghiep", "nghe", "cong viec", "nghe nghiep hien nay"],
    "card_number": ["so the", "so the hoi vien", "the hoi vien", "so the hv", "ma the"],
    "is_core": ["nong cot", "hoi vien nong cot", "hv nong cot", "la nong cot"],
    "seq": ["stt", "tt", "so tt", "so thu tu"],
    "note": ["ghi chu", "gc"],
}  # fmt: skip
_BY_KEY = {key: name for name, keys in SYNONYMS.items() for key in keys}
_PUNCTUATION = re.compile(r"[^\w]+")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
# Signature blocks end a table; totals and subtotals do not (they are skipped, see ``rows``).
_FOOTER = re.compile(
    r"^(nguoi lap|xac nhan|t/?m\b|chi hoi truong|chu tich|thu truong|ban chap hanh)"
    r"|ngay\s*\d*\s*thang\s*\d*\s*nam\s*\d*"
)


@lru_cache(maxsize=16384)
def _header_key(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def header_key(text) -> str:
    """ "Số CMND/CCCD" -> "so cmnd cccd"."""
    return _header_key(str(text or ""))


def _guess(key: str) -> str | None:
    if not key:
        return None
    if key in _BY_KEY:
        return _BY_KEY[key]
    words = set(key.split())
    rules = (
        ("is_core", "nong cot" in key),
        ("card_number", "the" in words and ("so" in words or "hoi vien" in key)),
        ("old_id_number", bool(words & {"cmnd", "cmtnd"}) and "cu" in words and "cccd" not in words),
        ("id_number", bool(words & {"cccd", "cmnd", "cmtnd"}) or "can cuoc" in key or "dinh danh" in key),
        ("phone", "dien thoai" in key or bool(words & {"sdt", "dt", "dtdd"})),
        ("joined_on", "vao hoi" in key or "ket nap" in key),
        ("date_of_birth", "sinh" in words),
        ("full_name", "ho va ten" in key or "ho ten" in key),
        ("ethnicity", "dan toc" in key),
        ("religion", "ton giao" in key),
        ("occupation", "nghe" in words or "cong viec" in key),
        ("qualification", "chuyen mon" in key),
        ("education", "hoc van" in key or "van hoa" in key),
        ("address", "dia chi" in key or "noi o" in key or "cho o" in key or "thuong tru" in key),
        ("branch", key.startswith("chi hoi") or key.startswith("thon") or key.startswith("to dan pho")),
        ("note", key.startswith("ghi chu")),
    )
    return next((name for name, hit in rules if hit), None)


@dataclass
class Column:
    index: int  # 0-based column in the sheet
    header: str  # the header text as the file has it (both rows, when split)
    field: str | None  # what the column holds, or None when it is not read


@dataclass
class Table:
    header_rows: list[int]  # 0-based rows of the header
    data_start: int  # first 0-based row that may hold data
    data_end: int  # one past the last data row
    columns: list[Column]
    column_number_row: int | None = None
    footer_row: int | None = None
    warnings: list[str] = field(default_factory=list)
    lines: list = field(default_factory=list)  # what each data row is (``rows.walk``)

    @property
    def mapping(self) -> dict[str, int]:
        """Field -> column index (the first column, where two claim the same field)."""
        found: dict[str, int] = {}
        for column in self.columns:
            if column.field and column.field not in IGNORED_FIELDS:
                found.setdefault(column.field, column.index)
        return found

    def missing(self, required) -> list[str]:
        """Required fields that no column gives (a date split over day/month/year columns counts by its year)."""
        mapping = self.mapping
        return [name for name in required if name not in mapping and f"{name}__year" not in mapping]

    def signature(self) -> str:
        """Identifies files of the same shape: the folded header texts, in order."""
        keys = "|".join(header_key(column.header) for column in self.columns)
        return hashlib.sha256(keys.encode()).hexdigest()[:32]


def _score(texts: list[str]) -> tuple[int, bool]:
    fields = {_guess(header_key(text)) for text in texts if text}
    fields.discard(None)
    has_name = bool(fields & {"full_name", "given_name"})
    return len(fields - IGNORED_FIELDS), has_name


def _merged_fill(rows: list[list], merged, row: int) -> list[str]:
    """The header row's texts with each horizontally merged cell's text spread over its columns."""
    texts = [text(value) for value in rows[row]]
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c1 > c0 and c0 < len(texts):
            source = text(rows[r0][c0]) if r0 < len(rows) and c0 < len(rows[r0]) else ""
            for c in range(c0, min(c1 + 1, len(texts))):
                texts[c] = texts[c] or source
    return texts


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    """Join a two-row header; a group title spans the empty cells to its right that have a sub-header."""
    combined = []
    group = ""
    for c in range(max(len(upper), len(lower))):
        top = upper[c] if c < len(upper) else ""
        bottom = lower[c] if c < len(lower) else ""
        if top:
            group = top if bottom else ""
        elif bottom and group:
            top = group
        combined.append(" ".join(part for part in (top, bottom) if part))
    return combined


def _is_column_number_row(texts: list[str]) -> bool:
    numbers = [_COLUMN_NUMBER.match(text) for text in texts if text]
    if len(numbers) < 3 or not all(numbers):
        return False
    values = [int(match.group(1)) for match in numbers]
    return values == sorted(values) and len(set(values)) == len(values)


# Columns whose value marks a row as a member's (a name alone may be a heading or a title).
EVIDENCE_FIELDS = (
    "date_of_birth", "id_number", "joined_on", "old_id_number", "birth_male", "phone", "card_number",
    "date_of_birth__year", "joined_on__year",
)  # fmt: skip


def plausible_member(row: list, mapping: dict[str, int]) -> bool:
    for name in EVIDENCE_FIELDS:
        index = mapping.get(name)
        if index is not None and index < len(row) and text(row[index]):
            return True
    return False


def is_footer(row: list, mapping: dict[str, int]) -> bool:
    """A signature block or the place-and-date line; the words may stand in any column, even one that holds dates
    or numbers for members, but the row must hold no member's data beside them."""
    words = {
        c
        for c, value in enumerate(row)
        if isinstance(value, str) and not value.isdigit() and value.strip() and _FOOTER.search(header_key(value))
    }
    if not words:
        return False
    others = [None if c in words else value for c, value in enumerate(row)]
    return not plausible_member(others, mapping)


def find_table(
    rows: list[list], merged=(), overrides: dict[int, str | None] | None = None, start: int = 0
) -> Table | None:
    """Locate header and data from row ``start``; ``overrides`` (column -> field or None) are the user's corrections."""
    best = None
    for r in range(start, min(len(rows), start + 40)):
        texts = _merged_fill(rows, merged, r)
        score, has_name = _score(texts)
        if has_name and score >= 2 and (best is None or score > best[1]):
            best = (r, score, texts)
    if best is None:
        return None
    r, score, texts = best
    header_rows = [r]
    guesses = [_guess(header_key(text)) for text in texts]
    # The best row may be either half of a header split over two rows.
    for upper_row in (r - 1, r):
        lower_row = upper_row + 1
        if upper_row < 0 or lower_row >= len(rows):
            continue
        pair = _two_row_header(rows, merged, upper_row, lower_row)
        if pair is None:
            continue
        pair_texts, pair_guesses = pair
        pair_score = len(set(pair_guesses) - IGNORED_FIELDS - {None})
        if {"full_name", "given_name"} & set(pair_guesses) and pair_score > score:
            header_rows, texts, guesses, score = [upper_row, lower_row], pair_texts, pair_guesses, pair_score
    data_start = header_rows[-1] + 1
    column_number_row = None
    if data_start < len(rows) and _is_column_number_row([text(v) for v in rows[data_start]]):
        column_number_row = data_start
        data_start += 1
    width = max(len(texts), max((len(row) for row in rows[data_start : data_start + 50]), default=0))
    columns = []
    for c in range(width):
        header = texts[c] if c < len(texts) else ""
        guessed = guesses[c] if c < len(guesses) else None
        if overrides is not None and c in overrides:
            guessed = overrides[c] or None
        columns.append(Column(index=c, header=header, field=guessed))
    _resolve_conflicts(columns)
    table = Table(
        header_rows=header_rows,
        data_start=data_start,
        data_end=len(rows),
        columns=columns,
        column_number_row=column_number_row,
    )
    return table  # where it ends (a signature block, another table) is for ``rows.walk`` to find


def _two_row_header(rows, merged, upper_row: int, lower_row: int):
    """Texts and guesses of a header split over two rows, or None when the lower row holds data."""
    if any(isinstance(v, int | float | datetime.date) for v in rows[lower_row] if v not in (None, "")):
        return None
    upper = _merged_fill(rows, merged, upper_row)
    lower = [text(value) for value in rows[lower_row]]
    if not any(lower) or not any(upper):
        return None
    combined = _combine(upper, lower)
    # A sub-header that names a field on its own ("Sinh", "Tên") says more than its group title.
    guesses = [
        _guess(header_key(lower[c] if c < len(lower) else "")) or _guess(header_key(text))
        for c, text in enumerate(combined)
    ]
    _split_dates(combined, lower, guesses)
    return combined, guesses


# Sub-headers under a date's group title: its parts, or the two sexes of "Năm sinh" | "Nam" | "Nữ".
_DATE_PARTS = {"ngay": "day", "thang": "month", "nam": "year"}


def _split_dates(combined: list[str], lower: list[str], guesses: list[str | None]) -> None:
    """A date spread over sub-columns: "Ngày sinh" over "Ngày" | "Tháng" | "Năm", or "Năm sinh" over "Nam" | "Nữ"
    (women's years under "Nữ"). "Năm" (year) and "Nam" (man) fold alike, so the sexes are told apart by "Nữ"."""
    groups: dict[str, list[int]] = {}
    for c, guess in enumerate(guesses):
        if guess in ("date_of_birth", "joined_on") and c < len(lower) and lower[c]:
            sub = header_key(lower[c])
            if sub in _DATE_PARTS or sub in ("nu", "nam nu"):
                groups.setdefault(guess, []).append(c)
    for name, columns in groups.items():
        subs = {c: header_key(lower[c]) for c in columns}
        if name == "date_of_birth" and "nu" in subs.values():
            for c, sub in subs.items():
                if sub == "nu":
                    guesses[c] = "date_of_birth"
                elif sub == "nam" and str(lower[c]).strip().lower() != "năm":
                    guesses[c] = "birth_male"
            continue
        if len(columns) >= 2 or "nam" in subs.values():
            for c, sub in subs.items():
                if sub in _DATE_PARTS:
                    guesses[c] = f"{name}__{_DATE_PARTS[sub]}"


_NEW_ID_WORDS = {"cccd", "can cuoc", "dinh danh"}


def _resolve_conflicts(columns: list[Column]) -> None:
    """Two columns guessed as the same field: keep the first, and let a full name beat split name columns."""
    ids = [column for column in columns if column.field == "id_number"]
    if len(ids) > 1 and any(any(word in header_key(c.header) for word in _NEW_ID_WORDS) for c in ids):
        # "Số CMND (cũ)" beside "Số CCCD": the CCCD is her ID, the CMND is kept as her old number.
        for column in ids:
            if not any(word in header_key(column.header) for word in _NEW_ID_WORDS):
                column.field = "old_id_number"
    for left, right in zip(columns, columns[1:], strict=False):
        # "Họ và tên" merged over two columns: family and middle name, then given name.
        if left.field == right.field == "full_name" and left.header == right.header:
            left.field, right.field = "last_name", "given_name"
    seen = set()
    for column in columns:
        if column.field and column.field not in IGNORED_FIELDS:
            if column.field in seen:
                column.field = None
            else:
                seen.add(column.field)
    if "full_name" in seen and ("last_name" in seen or "given_name" in seen):
        for column in columns:
            if column.field in ("last_name", "given_name"):
                column.field = None
