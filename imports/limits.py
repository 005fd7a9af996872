"""Bounds on what one file may make the server hold, checked before any grid is built.

A spreadsheet declares where its cells are: one cell at A1 and one at GR300000
make a 1.6 KB file whose grid has 60 million cells. Readers build the dense
grid, so its size is found first, from the file's own cell references (not its
``<dimension>`` tag, which may lie), and a sheet past the budget is refused.
"""

import re
import struct
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from common.xlsx import column_letter

from .sheets import ImportFileError

# Cell references of an xlsx sheet: rows are written in order, so the last <row r> is the height; only columns
# past Z need looking at, which a member list rarely has.
# Searched from their literal part ("row", 'r="'), several times faster than from every "<" or every space. A
# stray match (in a text, or another attribute ending in "r") only makes the number larger, and a sheet that
# seems too large is measured again precisely.
_ROW_REF = re.compile(rb'row\b[^>]*?\br="(\d+)"')
_WIDE_CELL = re.compile(rb'r="([A-Z]{2,3})\d')
# A cell that holds something (not a self-closing formatted empty cell).
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>/]*>(?!\s*</(?:\w+:)?c>)')
_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_grid(height: int, width: int, sheet: str) -> None:
    """Refuse a sheet whose grid is past the row, column or cell budget, saying where its far cell is."""
    max_rows, max_cols, max_cells = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELLS
    if height > max_rows or width > max_cols:
        raise ImportFileError(
            _(
                "Sheet '%(sheet)s' has %(rows)s rows and %(cols)s columns; at most %(max_rows)s rows and "
                "%(max_cols)s columns can be imported. Split the file or delete the empty rows and columns."
            )
            % {"sheet": sheet, "rows": height, "cols": width, "max_rows": max_rows, "max_cols": max_cols}
        )
    if height * width > max_cells:
        raise ImportFileError(
            _(
                "Sheet '%(sheet)s' reaches cell %(cell)s: a table of %(rows)s rows by %(cols)s columns is too large "
                "to import. Delete the rows and columns past the member list (there may be a stray value far "
                "below or to the right) and upload the file again."
            )
            % {"sheet": sheet, "cell": f"{column_letter(width - 1)}{height}", "rows": height, "cols": width}
        )


def _xlsx_extent(archive: zipfile.ZipFile, part: str, precise: bool) -> tuple[int, int]:
    """(height, width) of a worksheet part. The quick pass reads row tags (an upper bound: formatted empty rows
    count); the precise one reads only cells that hold a value, for the sheets the quick pass finds too large."""
    height = width = 0
    tail = b""
    rows_pattern = _VALUE_CELL if precise else _ROW_REF
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            block = tail + chunk
            if precise:
                for letters, row in _VALUE_CELL.findall(block):
                    height = max(height, int(row))
                    width = max(width, _column_number(letters))
            else:
                rows = rows_pattern.findall(block)
                if rows:
                    height = max(height, max(map(int, rows)))
                for letters in set(_WIDE_CELL.findall(block)):
                    width = max(width, _column_number(letters))
            tail = block[-256:]
    if not precise:
        width = max(width, 26 if height else 0)
    return height, width


def _fits(height: int, width: int) -> bool:
    return (
        height <= settings.IMPORT_MAX_ROWS
        and width <= settings.IMPORT_MAX_COLUMNS
        and height * width <= settings.IMPORT_MAX_CELLS
    )


def check_xlsx_sheets(archive: zipfile.ZipFile, names: dict[str, str]) -> None:
    """Find each worksheet part's real extent (``names``: part -> sheet name), streaming, with C regexes."""
    total = 0
    for part, sheet in names.items():
        height, width = _xlsx_extent(archive, part, precise=False)
        if not _fits(height, width):
            height, width = _xlsx_extent(archive, part, precise=True)
        check_grid(height, width, sheet)
        total += height * width
    if total > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(
            _("The workbook's sheets hold more than %(cells)s cells in all; split it into several files.")
            % {"cells": settings.IMPORT_MAX_CELLS}
        )


# BIFF8 records that carry a cell: (row, first column) lead their data; MULRK/MULBLANK span columns.
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}
_MULTI_RECORDS = {0x00BD, 0x00BE}


def check_xls(data: bytes) -> None:
    """The extent of each sheet of an Excel 97 file from its cell records (the DIMENSIONS record may lie)."""
    import xlrd.compdoc

    try:
        document = xlrd.compdoc.CompDoc(data, logfile=open("/dev/null", "w"))  # noqa: SIM115
        stream = document.get_named_stream("Workbook") or document.get_named_stream("Book")
    except Exception:  # noqa: BLE001 - the reader itself reports a damaged file
        return
    if not stream:
        return
    unpack = struct.unpack_from
    position, size = 0, len(stream)
    height = width = total = 0
    sheet = 0
    while position + 4 <= size:
        code, length = unpack("<HH", stream, position)
        body = position + 4
        if code in _CELL_RECORDS and length >= 4:
            row, col = unpack("<HH", stream, body)
            height, width = max(height, row + 1), max(width, col + 1)
        elif code in _MULTI_RECORDS and length >= 6:
            row, first = unpack("<HH", stream, body)
            (last,) = unpack("<H", stream, body + length - 2)
            height, width = max(height, row + 1), max(width, last + 1, first + 1)
        elif code == 0x000A and height:  # EOF of a sheet (the globals' EOF comes first, with no cells)
            sheet += 1
            check_grid(height, width, str(sheet))
            total += height * width
            height = width = 0
        position = body + length
    if total > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(
            _("The workbook's sheets hold more than %(cells)s cells in all; split it into several files.")
            % {"cells": settings.IMPORT_MAX_CELLS}
        )


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def check_ods(archive: zipfile.ZipFile) -> None:
    """The extent of each table of an OpenDocument spreadsheet, counting repeated rows and cells up to the last
    one that holds something (trailing repeats of empty cells are formatting, not data)."""
    import xml.etree.ElementTree as ElementTree

    total = 0
    try:
        stream = archive.open("content.xml")
    except KeyError:
        return
    with stream:
        height = width = row = 0
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start" and tag == f"{_ODS_TABLE}table":
                height = width = row = 0
            elif event == "end" and tag == f"{_ODS_TABLE}table-row":
                repeat = _repeat(element, "number-rows-repeated")
                col = last = 0
                for cell in element:
                    span = _repeat(cell, "number-columns-repeated")
                    if len(cell) or cell.get(f"{_ODS_OFFICE}value-type"):
                        last = col + span
                    col += span
                row += repeat
                if last:
                    height, width = row, max(width, last)
                element.clear()
            elif event == "end" and tag == f"{_ODS_TABLE}table":
                name = element.get(f"{_ODS_TABLE}name") or "?"
                check_grid(height, width, name)
                total += height * width
                element.clear()
    if total > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(
            _("The workbook's sheets hold more than %(cells)s cells in all; split it into several files.")
            % {"cells": settings.IMPORT_MAX_CELLS}
        )


def _repeat(element, name: str) -> int:
    try:
        return max(1, int(element.get(f"{_ODS_TABLE}{name}") or 1))
    except ValueError:
        return 1
