"""Programme records from the Excel lists units keep today (credit statements, clubs, houses, awards …).

The first sheet with a heading row that names at least two of the record's fields is read. Each row is filled
into the same form the screen uses, so the same rules apply, and saved through the record's service. A file
with any bad row writes nothing: the message names the sheet, the row and the column of every problem.
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Unit
from common.text import fold
from common.xlsx import column_letter
from imports.cleaning import EXCEL_EPOCH
from imports.reader import read_workbook
from imports.sheets import ImportFileError

MAX_ROWS = 5000
HEADING_ROWS = 15  # a heading row is looked for among the first rows of a sheet

# Headings clerks write, beyond each field's own label (folded: lower case, no diacritics).
SYNONYMS = {
    "unit": ["don vi", "co so hoi", "ten don vi", "ma don vi", "chi hoi"],
    "name": ["ten", "ten clb", "ten cau lac bo", "ten mo hinh", "ten to", "ten to nhom"],
    "kind": ["loai", "loai hinh", "hinh thuc"],
    "members": ["so thanh vien", "thanh vien", "so hoi vien"],
    "founded_on": ["ngay thanh lap", "thanh lap"],
    "source": ["nguon von", "nguon"],
    "as_of": ["ngay", "den ngay", "thoi diem"],
    "outstanding": ["du no", "tong du no"],
    "households": ["so ho du no", "ho con du no", "so ho"],
    "borrowers": ["so nguoi vay", "nguoi vay"],
    "groups": ["so to", "to tk&vv", "so to tiet kiem"],
    "savings": ["tien tiet kiem", "tiet kiem"],
    "disbursed": ["doanh so cho vay", "cho vay moi", "giai ngan"],
    "beneficiary": ["ho ten", "nguoi duoc ho tro", "chu ho", "ho ten chu ho"],
    "handed_over_on": ["ngay ban giao", "ban giao"],
    "value": ["gia tri", "so tien", "kinh phi", "tri gia"],
    "recipient": ["ten tap the, ca nhan", "tap the, ca nhan", "ho ten"],
    "campaign": ["chuong trinh", "cuoc van dong", "dot"],
    "gifts": ["so suat qua", "suat qua"],
    "child": ["ho ten tre", "ten tre", "tre em"],
    "title": ["ten", "noi dung"],
}


@dataclass
class Problem:
    sheet: str
    row: int  # as the spreadsheet numbers it
    column: str  # a letter, or "" for the row as a whole
    message: str

    def __str__(self):
        if not self.sheet:  # the file as a whole (not a spreadsheet, empty …): no sheet or row to name
            return self.message
        where = _("Sheet “%(sheet)s”, row %(row)d") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class Outcome:
    saved: int = 0
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""


def _labels(form_class, units) -> dict[str, list[str]]:
    form = form_class(units=units)
    names = {}
    for name, formfield in form.fields.items():
        names[name] = [fold(str(formfield.label))] + SYNONYMS.get(name, [])
    return names


def _match(header: str, candidates: dict[str, list[str]], taken: set[str]) -> str | None:
    text = fold(header).strip(" :*")
    if not text:
        return None
    for exact in (True, False):
        for name, words in candidates.items():
            if name in taken:
                continue
            if any(text == w if exact else (text.startswith(w) and len(w) >= 4) for w in words):
                return name
    return None


def _heading(rows, candidates) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADING_ROWS]):
        taken: set[str] = set()
        columns = {}
        for col, value in enumerate(row):
            if isinstance(value, str) and (name := _match(value, candidates, taken)):
                columns[col] = name
                taken.add(name)
        if len(columns) >= 2:
            return index, columns
    return None


def _as_text(value, formfield) -> str:
    """A cell as the form expects it typed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(formfield, forms.DateField) and isinstance(value, int | float) and 20000 < value < 80000:
        return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).strftime("%d/%m/%Y")
    if isinstance(value, float):
        value = decimal.Decimal(str(value))
        if value == value.to_integral_value():
            value = int(value)
    text = str(value).strip()
    if isinstance(formfield, forms.ChoiceField) and not isinstance(formfield, forms.ModelChoiceField):
        folded = fold(text)
        for key, label in formfield.choices:
            if key and (folded == fold(str(label)) or folded == fold(str(key))):
                return str(key)
    return text


def _unit_lookup(units) -> dict[str, int]:
    found = {}
    for unit in units:
        for key in (unit.code, unit.name, unit.name.split(" ", 1)[-1]):
            if key:
                found.setdefault(fold(key), unit.pk)
    return found


def import_records(*, actor, kind, data: bytes, filename: str, units, default_unit: Unit | None) -> Outcome:
    """Read ``data`` and save every row as a record of ``kind`` (a RecordType), or nothing at all."""
    try:
        book = read_workbook(data, filename)
    except ImportFileError as error:
        return Outcome(problems=[Problem("", 0, "", str(error))])
    candidates = _labels(kind.form, units)
    found = None
    for sheet in book.sheets:
        if heading := _heading(sheet.rows, candidates):
            found = sheet, heading
            break
    if found is None:
        wanted = ", ".join(str(f.label) for f in kind.form(units=units).fields.values())
        return Outcome(problems=[Problem(book.sheets[0].name if book.sheets else "", 1, "",
                                         _("No heading row names the columns. Expected headings such as: %(names)s.")
                                         % {"names": wanted})])  # fmt: skip
    sheet, (head, columns) = found
    outcome = Outcome(sheet=sheet.name)
    empty = kind.form(units=units)
    missing = [
        str(formfield.label) for name, formfield in empty.fields.items()
        if formfield.required and name not in columns.values() and not (name == "unit" and default_unit)
        and formfield.initial is None
    ]  # fmt: skip
    if missing:
        outcome.problems.append(Problem(sheet.name, sheet.first_row + head + 1, "",
                                        _("Columns missing: %(names)s.") % {"names": ", ".join(missing)}))  # fmt: skip
        return outcome
    rows = [
        (sheet.first_row + index + 1, row)
        for index, row in enumerate(sheet.rows[head + 1 :], start=head + 1)
        if any(value not in (None, "") for value in row)
    ]
    if len(rows) > MAX_ROWS:
        outcome.problems.append(Problem(sheet.name, 1, "", _("At most %(n)d rows at a time.") % {"n": MAX_ROWS}))
        return outcome
    letters = {name: column_letter(sheet.first_col + col) for col, name in columns.items()}
    reading = _Rows(kind, units, columns, letters, sheet.name, _unit_lookup(units), default_unit)
    forms_ok = []
    for number, row in rows:
        form = reading.form(number, row, outcome.problems)
        if form is not None:
            forms_ok.append((number, form))
    if outcome.problems:
        return outcome
    try:
        with transaction.atomic():
            for number, form in forms_ok:
                try:
                    kind.save(actor=actor, **{kind.instance_arg: None}, **form.cleaned_data)
                except ValidationError as error:
                    messages = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                    for name, texts in messages:
                        for text in texts:
                            outcome.problems.append(Problem(sheet.name, number, letters.get(name, ""), str(text)))
            if outcome.problems:
                raise _Rollback
    except _Rollback:
        return outcome
    outcome.saved = len(forms_ok)
    return outcome


@dataclass
class _Rows:
    """How the rows of one sheet are read into the record's form."""

    kind: object
    units: object
    columns: dict[int, str]
    letters: dict[str, str]
    sheet: str
    lookup: dict[str, int]
    default_unit: Unit | None

    def __post_init__(self):
        self.fields = self.kind.form(units=self.units).fields  # how each column's cell is to be typed

    def form(self, number: int, row: list, problems: list[Problem]):
        """The row's form, valid; or None, with what is wrong added to ``problems``."""
        fields = self.fields
        values = {
            name: _as_text(row[col] if col < len(row) else None, fields[name]) for col, name in self.columns.items()
        }
        typed = values.get("unit", "")
        if typed:
            values["unit"] = str(self.lookup.get(fold(typed), ""))
            if not values["unit"]:
                message = _("“%(unit)s” is not one of your units.") % {"unit": typed}
                problems.append(Problem(self.sheet, number, self.letters["unit"], message))
                return None
        elif self.default_unit is not None:
            values["unit"] = str(self.default_unit.pk)
        form = self.kind.form(values, units=self.units)
        if form.is_valid():
            return form
        for name, errors in form.errors.items():
            for message in errors:
                problems.append(
                    Problem(self.sheet, number, self.letters.get(name, ""), _field_message(form, name, message))
                )
        return None


class _Rollback(Exception):
    """Undo every row when one could not be saved."""


def _field_message(form, name: str, message: str) -> str:
    if name in form.fields and name != "__all__":
        return f"{form.fields[name].label}: {message}"
    return message


def headings(kind, units) -> list[str]:
    """The headings of an empty list to fill in: each field's label as the form shows it."""
    return [str(formfield.label) for formfield in kind.form(units=units).fields.values()]
