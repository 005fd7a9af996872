"""Files that Excel opens as a table although they are not workbooks.

Web systems export "Excel" lists as an HTML table saved with an .xls
extension, and older tools write Excel 2003 XML ("SpreadsheetML"). Excel shows
both as sheets, so the importer reads them too: into the same ``RawSheet``
grids as real workbooks, with merged cells (colspan/rowspan, MergeAcross/
MergeDown) as merged ranges. Cells are collected sparsely and the grid is built
only once its size is known to be within the cell budget.
"""

import datetime
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from .limits import check_grid
from .sheets import ImportFileError, RawSheet

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"<body", b"<style")) or (
        b"<table" in head[:2048] and not head.startswith(b"<?xml")
    )


def looks_like_spreadsheetml(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    return head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head


def _grid(cells: dict[tuple[int, int], object], name: str) -> list[list]:
    if not cells:
        return []
    height = max(r for r, _c in cells) + 1
    width = max(c for _r, c in cells) + 1
    check_grid(height, width, name)
    rows = [[None] * width for _ in range(height)]
    for (r, c), value in cells.items():
        rows[r][c] = value
    return rows


def _decode_markup(data: bytes, decode_text) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="strict").lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


class _TableParser(HTMLParser):
    """The cells of every <table> of a page, stacked one table under the other as Excel shows them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: dict[tuple[int, int], object] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.taken: set[tuple[int, int]] = set()  # cells covered by a rowspan from above
        self.row = -1
        self.col = 0
        self.depth = 0
        self.text: list[str] | None = None
        self.span = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth:
            self.row += 1
            self.col = 0
        elif tag in ("td", "th") and self.depth:
            if self.row < 0:
                self.row = 0
            while (self.row, self.col) in self.taken:
                self.col += 1
            attributes = dict(attrs)
            self.span = (_span(attributes.get("rowspan")), _span(attributes.get("colspan")))
            self.text = []
        elif tag == "br" and self.text is not None:
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.text is not None:
            self._close_cell()
        elif tag == "table" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def _close_cell(self):
        value = " ".join("".join(self.text).split())
        rows, cols = self.span
        if value:
            self.cells[(self.row, self.col)] = value
        if rows > 1 or cols > 1:
            self.merged.append((self.row, self.col, self.row + rows - 1, self.col + cols - 1))
            for r in range(self.row, self.row + rows):
                for c in range(self.col, self.col + cols):
                    if r != self.row:
                        self.taken.add((r, c))
        self.col += cols
        self.text = None


def _span(value) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def read_html(data: bytes, name: str, decode_text) -> list[RawSheet]:
    parser = _TableParser()
    try:
        parser.feed(_decode_markup(data, decode_text))
        if parser.text is not None:
            parser._close_cell()
        parser.close()
    except (ValueError, AssertionError) as error:
        raise ImportFileError(_("The web page saved as a spreadsheet cannot be read.")) from error
    rows = _grid(parser.cells, name)
    if not rows:
        raise ImportFileError(_("The web page saved as a spreadsheet holds no table."))
    return [RawSheet(name=name, rows=rows, merged=parser.merged)]


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _ss_value(kind: str, text: str):
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "DateTime":
        try:
            return datetime.datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() == "1"
    return text


def read_spreadsheetml(data: bytes) -> tuple[list[RawSheet], list[str]]:
    """The visible worksheets of an Excel 2003 XML workbook; (sheets, names of hidden or empty ones)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ImportFileError(
            _("The Excel 2003 XML file is damaged. Open it in Excel and save it as .xlsx.")
        ) from error
    sheets, ignored = [], []
    for worksheet in root.iter(f"{_SS}Worksheet"):
        name = worksheet.get(f"{_SS}Name") or _("Sheet")
        options = worksheet.find("{urn:schemas-microsoft-com:office:excel}WorksheetOptions")
        visible = options.find("{urn:schemas-microsoft-com:office:excel}Visible") if options is not None else None
        if visible is not None and (visible.text or "").strip().lower().startswith("sheethidden"):
            ignored.append(name)
            continue
        cells: dict[tuple[int, int], object] = {}
        merged = []
        r = -1
        for row in worksheet.iter(f"{_SS}Row"):
            r = _index(row, r + 1)
            c = -1
            for cell in row.iter(f"{_SS}Cell"):
                c = _index(cell, c + 1)
                across, down = _count(cell.get(f"{_SS}MergeAcross")), _count(cell.get(f"{_SS}MergeDown"))
                if across or down:
                    merged.append((r, c, r + down, c + across))
                data_element = cell.find(f"{_SS}Data")
                if data_element is not None:
                    text = "".join(data_element.itertext())
                    if text.strip():
                        cells[(r, c)] = _ss_value(data_element.get(f"{_SS}Type", "String"), text)
                c += across
        rows = _grid(cells, name)
        if not rows:
            ignored.append(name)
            continue
        sheets.append(RawSheet(name=name, rows=rows, merged=merged))
    return sheets, ignored


def _index(element, default: int) -> int:
    """ss:Index is 1-based and jumps over empty rows or cells."""
    value = element.get(f"{_SS}Index")
    if value is None:
        return default
    try:
        return max(default, int(value) - 1)
    except ValueError:
        return default


def _count(value) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0
