"""What a reader gives the importer: sheets as grids of raw cell values, or a reason the file cannot be read."""

from collections.abc import Callable
from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class RawSheet:
    name: str
    rows: list[list]
    first_row: int = 0  # 0-based sheet row of rows[0]
    first_col: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), absolute
    # Font name of a text cell by absolute (row, col); only read when the sheet holds text in a legacy font.
    fonts: Callable[[], dict[tuple[int, int], str]] | None = None


@dataclass
class Workbook:
    kind: str  # xlsx, xls, ods, csv, html, xml
    sheets: list[RawSheet]
    ignored: list[str] = field(default_factory=list)  # hidden or empty sheets
    text_encoding: str = ""  # for CSV and HTML: utf-8, cp1258, cp1252
