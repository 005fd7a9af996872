"""Open a member list as the field keeps it: .xlsx, .xls, .ods or .csv, whatever its extension says.

The file is recognised by its first bytes, read with python-calamine (the
fastest reader for all three spreadsheet formats), the csv module, or our own
readers of the files Excel opens as tables (an HTML table or Excel 2003 XML saved
as .xls), and every visible sheet comes back as a grid of raw values. Before a
reader builds a grid, its size is checked against the cell budget
(``limits``). Anything that is not a usable spreadsheet raises
``ImportFileError`` with a message for the user.
"""

import codecs
import csv
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import PurePath

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from . import formats, legacy, limits
from .sheets import ImportFileError, RawSheet, Workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


_WORKBOOK_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"')
_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_RELATIONSHIP_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')


def _check_dimensions(height: int, width: int, sheet: str) -> None:
    limits.check_grid(height, width, sheet)


def _xlsx_sheet_parts(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """Worksheet part -> the sheet's name as the user sees it (the part's own name when the links are missing)."""
    parts = {name: PurePath(name).stem for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")}
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return parts
    targets = dict(_RELATIONSHIP.findall(rels))
    targets.update({rid: target for target, rid in _RELATIONSHIP_REVERSED.findall(rels)})
    for name, rid in _WORKBOOK_SHEET.findall(workbook):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        if part in parts:
            parts[part] = html.unescape(name.decode("utf-8", "replace"))
    return parts


BOMB_RATIO = 200
BOMB_MIN_BYTES = 20_000_000


def _check_zip(data: bytes) -> str:
    """Refuse zip bombs and absurd sheets before the reader allocates them; tell xlsx from ods."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        infos = archive.infolist()
        # Sheet XML compresses 10–30×; hundreds of times over is padding made to exhaust the server.
        inflated = any(
            info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(info.compress_size, 1)
            for info in infos
        )
        if inflated or sum(info.file_size for info in infos) > 40 * settings.IMPORT_MAX_BYTES:
            raise ImportFileError(_("The file unpacks to an unreasonable size; it cannot be a member list."))
        if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
            limits.check_ods(archive)
            return "ods"
        if not any(name.startswith("xl/") for name in names):
            raise ImportFileError(_("The file is a zip archive but not an Excel workbook."))
        limits.check_xlsx_sheets(archive, _xlsx_sheet_parts(archive, names))
        return "xlsx"
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The file is damaged. Open it in Excel and save it again.")) from error


def sniff(data: bytes, filename: str) -> str:
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data[:65536] or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data:
            raise ImportFileError(
                _(
                    "The file is protected with a password. Remove the password in Excel "
                    "(File › Info › Protect Workbook) and upload it again."
                )
            )
        limits.check_xls(data)
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return _check_zip(data)
    head = _markup_head(data)
    if formats.looks_like_spreadsheetml(head):
        return "xml"
    if formats.looks_like_html(head):
        return "html"
    if head.lstrip().startswith(b"<?xml"):
        raise ImportFileError(
            _("The file is an XML document, not a spreadsheet. Open it in Excel and save it as .xlsx.")
        )
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("The file is not a spreadsheet (.xlsx, .xls, .ods or .csv)."))
    return "csv"


def read_workbook(data: bytes, filename: str = "") -> Workbook:
    max_bytes = settings.IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(max)s MB can be imported. Split it into several files.")
            % {"size": round(len(data) / 1_048_576, 1), "max": round(max_bytes / 1_048_576)}
        )
    kind = sniff(data, filename)
    if kind == "csv":
        return _read_csv(data, filename)
    if kind == "html":
        name = PurePath(filename).stem or "HTML"
        return Workbook(kind=kind, sheets=formats.read_html(data, name, _decode_text))
    if kind == "xml":
        sheets, ignored = formats.read_spreadsheetml(data)
        if not sheets:
            raise ImportFileError(_("The file is empty."))
        return Workbook(kind=kind, sheets=sheets, ignored=ignored)
    return _read_spreadsheet(data, kind)


def _markup_head(data: bytes) -> bytes:
    """The start of a text file as ASCII bytes, whatever its encoding (a web page may be saved as UTF-16)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data[:4096].decode("utf-16", "replace").encode("ascii", "replace")
    return data[:4096].lstrip(b"\xef\xbb\xbf")


def _read_spreadsheet(data: bytes, kind: str) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise ImportFileError(
            _("The file is protected with a password. Remove the password in Excel and upload it again.")
        ) from error
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise ImportFileError(
            _("The file cannot be read as a spreadsheet. Open it in Excel and save it again as .xlsx.")
        ) from error
    sheets, ignored = [], []
    font_reader = _font_reader(data, kind)
    for meta in book.sheets_metadata:
        if (
            meta.visible != python_calamine.SheetVisibleEnum.Visible
            or meta.typ != python_calamine.SheetTypeEnum.WorkSheet
        ):
            ignored.append(meta.name)
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            _check_dimensions(sheet.height, sheet.width, meta.name)
            rows = sheet.to_python(skip_empty_area=False)
        except ImportFileError:
            raise
        except (python_calamine.CalamineError, ValueError, OSError) as error:
            raise ImportFileError(
                _("Sheet '%(sheet)s' cannot be read; it may be damaged.") % {"sheet": meta.name}
            ) from error
        if not any(any(value not in ("", None) for value in row) for row in rows):
            ignored.append(meta.name)
            continue
        try:
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        except (python_calamine.CalamineError, ValueError):
            merged = []
        name = meta.name
        sheets.append(
            RawSheet(
                name=name,
                rows=rows,
                merged=merged,
                fonts=(lambda name=name: font_reader(name)) if font_reader else None,
            )
        )
    return Workbook(kind=kind, sheets=sheets, ignored=ignored)


def _font_reader(data: bytes, kind: str) -> Callable[[str], dict] | None:
    """Font names of text cells, read only for sheets typed in a legacy font (slow readers, small files)."""
    if kind == "xls":

        def xls_fonts(sheet_name: str) -> dict:
            import xlrd

            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
            sheet = book.sheet_by_name(sheet_name)
            fonts = {}
            for r in range(sheet.nrows):
                for c in range(sheet.ncols):
                    if sheet.cell_type(r, c) == xlrd.XL_CELL_TEXT:
                        fonts[(r, c)] = book.font_list[book.xf_list[sheet.cell_xf_index(r, c)].font_index].name
            return fonts

        return xls_fonts
    if kind == "xlsx":

        def xlsx_fonts(sheet_name: str) -> dict:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            fonts = {}
            for row in book[sheet_name].iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and getattr(cell, "font", None) is not None:
                        fonts[(cell.row - 1, cell.column - 1)] = cell.font.name
            book.close()
            return fonts

        return xlsx_fonts
    return None


def _decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM, or UTF-16 as Excel's "Unicode text") else the Vietnamese or Western code page."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A cut-off file (an odd number of bytes) is replaced, then refused with a message, never a crash.
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = data.decode("cp1252", errors="replace")
    # Windows-1258 writes tones as combining marks after the vowel; composed, they leave no trace.
    try:
        vietnamese = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return western, "cp1252"
    foreign_1258 = sum(1 for ch in vietnamese if legacy.is_foreign(ch) or unicodedata.combining(ch))
    if foreign_1258 == 0 and legacy.has_vietnamese_only(vietnamese):
        return vietnamese, "cp1258"
    return western, "cp1252"


def _read_csv(data: bytes, filename: str) -> Workbook:
    text, encoding = _decode_text(data)
    if "\ufffd" in text:
        raise ImportFileError(_("The file is not a spreadsheet (.xlsx, .xls, .ods or .csv)."))
    lines = text.splitlines()[:50]
    counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise ImportFileError(_("The file is not a spreadsheet (.xlsx, .xls, .ods or .csv)."))
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed. Open it in Excel and save it again.")) from error
    width = max((len(row) for row in rows), default=0)
    _check_dimensions(len(rows), width, PurePath(filename).stem or "CSV")
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise ImportFileError(_("The file is empty."))
    return Workbook(
        kind="csv", sheets=[RawSheet(name=PurePath(filename).stem or "CSV", rows=rows)], text_encoding=encoding
    )
