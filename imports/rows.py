"""Walk a member table row by row and say what each row is.

Commune lists are not clean tables: a heading row opens each branch's section
("I / CHI HỘI THÔN ĐÔNG", "Chi hội Thôn Đông: 45 hội viên", or a village name
alone in the name column), subtotal rows close it ("Cộng", "Cộng chi hội …",
"Tổng số: 3.059"), titles and notes sit between, and a statistics table may
follow the list after a blank row. Each row is a member, a section heading, a
subtotal or a title; the table ends at a signature block or where, after a
blank row, something that is not a member follows.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from common.text import fold

from .cleaning import text
from .table import Table, header_key, is_footer, plausible_member

MEMBER, SECTION, SUBTOTAL, TITLE = "member", "section", "subtotal", "title"

_NUMBERING = re.compile(r"^\(?(?:[ivxlc]{1,6}|\d{1,3}|[a-z])\s*[./):\-–]+\s*(.+)$")
_COUNT_SUFFIX = re.compile(r"\s*[:\-–(]\s*\d[\d.,]*\s*(hoi vien|hv|nguoi|chi em|thanh vien)?\s*\)?\s*$")
_TOKEN = re.compile(r"^\(?([IVXLC]{1,5}|\d{1,3}|[A-Z])\s*[./)]?$")
_SUBTOTAL = re.compile(
    r"^(tong cong|tong so|tong|cong lai|cong chung|luy ke|cong)(\s*$|\s*[:\d(]|\s+(chi hoi|thon|xom|to|ap|ban|khu|"
    r"lang|doi|toan|ca|so|hoi vien|hv)\b)"
)
_BRANCH_WORDS = re.compile(r"^(chi hoi|thon|xom|to dan pho|tdp|ap|ban|khu pho|khu|lang|doi|khoi|bon|buon|to)\b")
_NOT_BRANCH = re.compile(r"^(danh sach|thong ke|bang|tong hop|bieu|mau|ghi chu|luu y|kem theo)\b")


@dataclass
class Line:
    index: int  # 0-based row in the sheet
    kind: str
    text: str = ""  # a heading's branch name, a subtotal's or title's text


def _texts(row: list) -> list[tuple[int, str]]:
    cells = []
    for c, value in enumerate(row):
        if value is not None and value != "":
            value = text(value)
            if value:
                cells.append((c, value))
    return cells


def subtotal_text(cells: list[tuple[int, str]]) -> str | None:
    """The text of a subtotal or total row ("Cộng", "Tổng số: 3.059"), wherever it stands, or None."""
    for _c, value in cells:
        if any(ch.isalpha() for ch in value):
            return value if _SUBTOTAL.match(header_key(value)) else None
    return None


def heading_branch(cells: list[tuple[int, str]], name_column: int | None, known: set[str]) -> str | None:
    """The branch a section heading opens, or None when the row is not one.

    A heading is the only text of its row: numbered ("I / CHI HỘI THÔN ĐÔNG"), with a member count ("Chi hội Thôn
    Đông: 45 hội viên"), starting with a word for a village or branch, or the name of one of the commune's
    branches standing alone in the name column.
    """
    words = [value for _c, value in cells if not value.isdigit() and any(ch.isalpha() for ch in value)]
    if len(words) > 2:
        return None  # a member's row: her name, ethnic group, village…
    # A numbering token in its own cell ("I", "2.", "B") belongs to the heading beside it.
    cells = [(c, v) for c, v in cells if not _TOKEN.match(v)] if len(cells) > 1 else cells
    words = [value for _c, value in cells if any(ch.isalpha() for ch in value)]
    if len(words) != 1 or len(cells) > 2:
        return None
    value = words[0]
    column = next(c for c, v in cells if v == value)
    folded = header_key(value)
    numbered = _NUMBERING.match(fold(value))
    name = value
    if numbered:
        name = value[len(value) - len(numbered.group(1)) :]
    counted = _COUNT_SUFFIX.search(fold(name))
    if counted:
        name = name[: counted.start()]
    name = " ".join(name.strip(" .:-–").split())
    key = header_key(name)
    if not key or _NOT_BRANCH.match(key) or _SUBTOTAL.match(folded):
        return None
    if _BRANCH_WORDS.match(key) or (numbered and len(key.split()) <= 6) or counted:
        return name
    if column == name_column and (key in known or key.removeprefix("chi hoi ") in known):
        return name
    return None


def walk(rows: list[list], table: Table, known: set[str]) -> tuple[list[Line], int]:
    """The lines of the table and the row where it ends (exclusive); ``known``: the commune's folded branch names.

    The table ends at a signature block (then ``table.footer_row`` is set) or at what follows the list.
    """
    mapping = table.mapping
    name_column = mapping.get("full_name", mapping.get("given_name", mapping.get("last_name")))
    lines: list[Line] = []
    end = table.data_end
    blank_before = False
    for r in range(table.data_start, table.data_end):
        row = rows[r]
        # A count may stand in any column, even one that holds dates for members; an ID number may not.
        has_id = _has_id(row, mapping)
        if has_id and name_column is not None and name_column < len(row) and _filled(row[name_column]):
            # A name and an ID number: a member, whatever else the row says (most rows of most lists).
            lines.append(Line(r, MEMBER))
            blank_before = False
            continue
        cells = _texts(row)
        if not cells:
            blank_before = True
            continue
        if is_footer(row, mapping):
            end = table.footer_row = r
            break
        subtotal = subtotal_text(cells)
        if subtotal is not None and not has_id:
            lines.append(Line(r, SUBTOTAL, subtotal))
            continue
        heading = heading_branch(cells, name_column, known)
        if heading is not None and not has_id:
            lines.append(Line(r, SECTION, heading))
            blank_before = False
            continue
        evidence = plausible_member(row, mapping)
        if blank_before and not evidence:
            end = r  # something else follows the list: a statistics table, notes
            break
        if not evidence and _is_title(cells, name_column):
            lines.append(Line(r, TITLE, " ".join(value for _c, value in cells)))
            continue
        lines.append(Line(r, MEMBER))
        blank_before = False
    while lines and lines[-1].kind == TITLE:
        lines.pop()  # a title after the last member belongs to what follows, not to the list
    return lines, end


def _has_id(row: list, mapping: dict[str, int]) -> bool:
    """An ID number (8 digits or more) in the ID column: a count standing there is no ID."""
    index = mapping.get("id_number")
    if index is None or index >= len(row):
        return False
    value = row[index]
    # The usual cells first (every row of a list passes here): a number, or digits typed as text.
    if type(value) is float and value.is_integer() or type(value) is int:
        return abs(value) >= 10_000_000
    if type(value) is str and value.isdigit():
        return len(value) >= 8
    return sum(ch.isdigit() for ch in text(value)) >= 8


def _filled(value) -> bool:
    """``text(value) != ""``, without building the text."""
    return bool(value.strip()) if type(value) is str else value is not None


def _is_title(cells: list[tuple[int, str]], name_column: int | None) -> bool:
    """One text outside the name column, or a name-column text in capitals with nothing beside it."""
    if len(cells) != 1:
        return False
    column, value = cells[0]
    return column != name_column or (value.isupper() and len(value.split()) > 1) or len(value.split()) > 8


def sections_in(lines: list[Line]) -> Iterator[str]:
    for line in lines:
        if line.kind == SECTION:
            yield line.text
