"""What an analysis of a file found: the preview's content, and what a commit writes.

Every data row of a member table ends up in exactly one list: ``new``,
``updated`` or ``unchanged`` (it will be written), ``rejected`` (with the
problems that say why), or ``skipped`` (a section heading, a subtotal, a title:
not a member).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branches.models import Unit
from common.xlsx import column_letter

from .table import Table

Progress = Callable[[str, float], None]
REQUIRED = ("date_of_birth", "joined_on")


@dataclass
class Problem:
    sheet: str
    row: int  # 1-based spreadsheet row
    column: str  # the column's header as in the file ("" when the problem is not about one cell)
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "field": self.field, "reason": self.reason}

    def __str__(self):
        where = _("Sheet '%(sheet)s', row %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += ", " + _("column '%(column)s'") % {"column": self.column}
        return f"{where}: {self.reason}"


@dataclass
class SheetReport:
    """One member table found in a sheet (a sheet may hold several, one under the other)."""

    name: str
    encoding: str
    table: Table | None
    rows: int = 0
    branch_source: str = ""
    fonts_used: bool = False
    sections: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        table = self.table
        return {
            "name": self.name,
            "encoding": self.encoding,
            "rows": self.rows,
            "branch_source": self.branch_source,
            "found": table is not None,
            "header_row": table.header_rows[0] + 1 if table else None,
            "header_rows": len(table.header_rows) if table else 0,
            "last_row": table.data_end if table else None,
            "column_number_row": table.column_number_row + 1 if table and table.column_number_row is not None else None,
            "footer_row": table.footer_row + 1 if table and table.footer_row is not None else None,
            "signature": table.signature() if table else "",
            "sections": self.sections,
            "columns": [
                {"index": c.index, "letter": column_letter(c.index), "header": c.header, "field": c.field or ""}
                for c in table.columns
                if c.header or c.field
            ]
            if table
            else [],
            "missing": table.missing(REQUIRED) if table else [],
        }


@dataclass
class Row:
    sheet: str
    row: int
    branch_name: str
    data: dict
    original: list
    branch: Unit | None = None
    member_id: int | None = None
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    moved: bool = False


@dataclass
class Rejected:
    sheet: str
    row: int
    problems: list[Problem]
    original: list


@dataclass
class Skipped:
    """A row inside a member table that is not a member: a section heading, a subtotal or total, a title."""

    sheet: str
    row: int
    reason: str
    text: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "reason": self.reason, "text": self.text}


@dataclass
class Flag:
    """A value kept as typed that the user should look at (an ethnic group or religion not on the official list)."""

    sheet: str
    row: int
    field: str
    value: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "value": self.value}


@dataclass
class Analysis:
    file_name: str
    commune: Unit
    kind: str = ""
    text_encoding: str = ""
    sheets: list[SheetReport] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    new: list[Row] = field(default_factory=list)
    updated: list[Row] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    unknown_branches: dict[str, int] = field(default_factory=dict)
    ambiguous_branches: dict[str, list[str]] = field(default_factory=dict)  # as written -> the branches it could be
    branches_to_create: list[str] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)  # sheet -> header texts, for the rejects file
    warnings: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [problem for rejected in self.rejected for problem in rejected.problems]

    def summary(self) -> dict:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": [skipped.as_dict() for skipped in self.skipped],
            "rejected": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "field": p.field, "reason": p.reason}
                for p in self.problems
            ],
        }

    def reject(self, row: Row, name: str, reason: str, header: str = "") -> None:
        self.rejected.append(
            Rejected(row.sheet, row.row, [Problem(row.sheet, row.row, header, name, reason)], row.original)
        )
