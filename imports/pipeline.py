"""The import of one member list: read, find the tables, clean, match, and (on commit) write.

``analyse`` writes nothing: it returns what the file holds and what would
happen to each row, which is the preview. ``commit`` writes an analysis in one
transaction. Both the browser (through a background task) and the
``import_members`` command go through here, so they behave the same.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Action, scope_paths
from branches.constants import Level, UnitType
from branches.models import Unit
from common.bulk import among
from common.text import fold
from common.xlsx import column_letter
from members.models import Member

from . import legacy
from .cleaning import clean_row
from .reader import RawSheet, Workbook, read_workbook
from .table import FIELDS, Table, find_table, header_key

Progress = Callable[[str, float], None]
COMPARED_FIELDS = (
    "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "address",
    "education", "qualification", "occupation", "joined_on", "card_number", "is_core",
)  # fmt: skip
REQUIRED = ("date_of_birth", "joined_on")
# Sheet names that say nothing about a branch.
_GENERIC_SHEET = ("sheet", "trang tinh", "danh sach", "ds", "tong hop", "bieu", "mau", "hoi vien", "data", "du lieu")
_BRANCH_WORDS = ("chi hoi", "thon", "xom", "to dan pho", "ap", "khu", "ban", "lang", "to ", "tdp", "khoi", "bon")


def branch_key(name: str) -> str:
    """ "Chi hội Thôn Đông" and "thôn đông" are the same branch."""
    key = header_key(name)
    for prefix in ("chi hoi phu nu ", "chi hoi "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def commune_branches(commune: Unit) -> dict[str, Unit]:
    """The commune's live branches by ``branch_key``."""
    units = Unit.objects.active().filter(parent=commune, level__in=[Level.BRANCH, Level.GROUP])
    return {branch_key(unit.name): unit for unit in units}


def branch_display_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if cleaned.islower() or cleaned.isupper():
        cleaned = " ".join(word[:1].upper() + word[1:].lower() for word in cleaned.split(" "))
    return cleaned if branch_key(cleaned) != header_key(cleaned) else f"Chi hội {cleaned}"


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
    name: str
    encoding: str
    table: Table | None
    rows: int = 0
    branch_source: str = ""
    fonts_used: bool = False
    undecodable: int = 0

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
            "column_number_row": table.column_number_row + 1 if table and table.column_number_row is not None else None,
            "footer_row": table.footer_row + 1 if table and table.footer_row is not None else None,
            "signature": table.signature() if table else "",
            "columns": [
                {"index": c.index, "letter": column_letter(c.index), "header": c.header, "field": c.field or ""}
                for c in table.columns
                if c.header or c.field
            ]
            if table
            else [],
            "missing": [name for name in REQUIRED if table and name not in table.mapping],
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
    unknown_branches: dict[str, int] = field(default_factory=dict)
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
            "rejected": [
                {"sheet": p.sheet, "row": p.row, "column": p.column, "reason": p.reason} for p in self.problems
            ],
        }


class Importer:
    """One analysis of one file for one commune; ``overrides`` are column corrections per sheet name."""

    def __init__(
        self,
        *,
        commune: Unit,
        file_name: str,
        branch: Unit | None = None,
        create_branches: bool = False,
        overrides: dict[str, dict[int, str | None]] | None = None,
        saved_mappings: dict[str, dict[int, str | None]] | None = None,
        actor=None,
        progress: Progress | None = None,
        today: datetime.date | None = None,
    ):
        self.commune = commune
        self.branch = branch
        self.create_branches = create_branches
        self.overrides = overrides or {}
        self.saved_mappings = saved_mappings or {}
        self.actor = actor
        self.progress = progress or (lambda stage, fraction: None)
        self.today = today or timezone.localdate()
        self.analysis = Analysis(file_name=file_name, commune=commune)
        self.branches = commune_branches(commune)

    # Reading -----------------------------------------------------------------------------------------

    def analyse(self, data: bytes) -> Analysis:
        self.progress("read", 0.0)
        workbook = read_workbook(data, self.analysis.file_name)
        self.analysis.kind = workbook.kind
        self.analysis.text_encoding = workbook.text_encoding
        self.analysis.ignored_sheets = list(workbook.ignored)
        self.progress("read", 1.0)
        rows = self._collect(workbook)
        self._check_file_duplicates(rows)
        self._match(rows)
        order = {sheet.name: index for index, sheet in enumerate(self.analysis.sheets)}
        self.analysis.rejected.sort(key=lambda rejected: (order.get(rejected.sheet, 0), rejected.row))
        self.progress("match", 1.0)
        return self.analysis

    def _collect(self, workbook: Workbook) -> list[Row]:
        member_sheets = []
        for sheet in workbook.sheets:
            encoding, capitals = self._decode(sheet)
            overrides = self.overrides.get(sheet.name)
            table = find_table(sheet.rows, sheet.merged, overrides)
            if table is not None and overrides is None:
                saved = self.saved_mappings.get(table.signature())
                if saved:
                    table = find_table(sheet.rows, sheet.merged, saved)
            report = SheetReport(name=sheet.name, encoding=encoding, table=table, fonts_used=capitals)
            self.analysis.sheets.append(report)
            if table is None:
                self.analysis.warnings.append(
                    _("Sheet '%(sheet)s': no member table found (no header with a name column).")
                    % {"sheet": sheet.name}
                )
                continue
            member_sheets.append((sheet, table, report))
        rows: list[Row] = []
        total = sum(table.data_end - table.data_start for _s, table, _r in member_sheets) or 1
        done = 0
        for sheet, table, report in member_sheets:
            self.analysis.headers[sheet.name] = [c.header for c in table.columns]
            for row in self._sheet_rows(sheet, table, report, len(member_sheets)):
                rows.append(row)
            done += table.data_end - table.data_start
            self.progress("clean", done / total)
        return rows

    def _decode(self, sheet: RawSheet) -> tuple[str, bool]:
        """Convert a sheet typed in TCVN3 or VNI to Unicode in place; returns the encoding found."""
        sample = [value for row in sheet.rows[:3000] for value in row if isinstance(value, str) and value]
        encoding = legacy.detect(sample)
        if encoding == legacy.UNICODE:
            return encoding, False
        fonts = {}
        if sheet.fonts is not None:
            try:
                fonts = sheet.fonts()
            except Exception:  # noqa: BLE001 - fonts are a hint; the text itself decides without them
                fonts = {}
        capitals_used = False
        # Sheet names were typed in the same font ("Thoân Ñoâng").
        sheet.name = legacy.decode(sheet.name, encoding)
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if not isinstance(value, str) or value.isascii():
                    continue
                font_encoding, capitals = legacy.encoding_of_font(fonts.get((r, c)))
                decoded = legacy.decode(value, font_encoding or encoding, capitals)
                capitals_used = capitals_used or capitals
                row[c] = decoded
        return encoding, capitals_used

    def _sheet_branch(self, sheet: RawSheet, table: Table, member_sheets: int) -> tuple[str, str]:
        """Where the branch of the sheet's rows comes from: the chosen branch, a column, or the sheet name."""
        if self.branch is not None:
            return "target", self.branch.name
        if "branch" in table.mapping:
            return "column", ""
        key = branch_key(sheet.name)
        generic = fold(sheet.name).startswith(_GENERIC_SHEET) and key not in self.branches
        if key in self.branches or (not generic and (member_sheets > 1 or key.startswith(_BRANCH_WORDS))):
            return "sheet", sheet.name
        return "", ""

    def _sheet_rows(self, sheet: RawSheet, table: Table, report: SheetReport, member_sheets: int):
        mapping = table.mapping
        headers = {column.index: column.header for column in table.columns}
        source, sheet_branch = self._sheet_branch(sheet, table, member_sheets)
        report.branch_source = source
        branch_column = mapping.get("branch")
        read = [(name, index) for name, index in mapping.items() if name != "branch"]
        for r in range(table.data_start, table.data_end):
            raw = sheet.rows[r]
            values = {name: raw[index] if index < len(raw) else None for name, index in read}
            if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
                continue
            report.rows += 1
            spreadsheet_row = r + 1
            data, problems = clean_row(values, self.today)
            found = [
                Problem(sheet.name, spreadsheet_row, headers.get(self._column_of(name, mapping), ""), name, reason)
                for name, reason in problems
            ]
            if source == "column":
                branch_name = " ".join(str(raw[branch_column] or "").split()) if branch_column < len(raw) else ""
            else:
                branch_name = sheet_branch
            if not branch_name and not found:
                found.append(
                    Problem(
                        sheet.name,
                        spreadsheet_row,
                        headers.get(branch_column, "") if branch_column is not None else "",
                        "branch",
                        _("no branch: choose the branch the list belongs to"),
                    )
                )
            if report.encoding != legacy.UNICODE:
                found.extend(self._undecodable(sheet.name, spreadsheet_row, values, headers, mapping))
            if found:
                self.analysis.rejected.append(Rejected(sheet.name, spreadsheet_row, found, list(raw)))
                continue
            yield Row(sheet.name, spreadsheet_row, branch_name, data, list(raw))

    @staticmethod
    def _column_of(name: str, mapping: dict[str, int]) -> int | None:
        if name in mapping:
            return mapping[name]
        if name in ("full_name",):
            return mapping.get("given_name", mapping.get("last_name"))
        if name == "birth_year":
            return mapping.get("date_of_birth")
        return None

    @staticmethod
    def _undecodable(sheet, row, values, headers, mapping) -> list[Problem]:
        problems = []
        for name, value in values.items():
            if isinstance(value, str) and not value.isascii():
                leftover = legacy.undecodable(value)
                if leftover:
                    problems.append(
                        Problem(
                            sheet, row, headers.get(mapping[name], ""), name,
                            _("characters that could not be converted to Unicode: %(chars)s") % {"chars": leftover},
                        )
                    )  # fmt: skip
        return problems

    # Matching ----------------------------------------------------------------------------------------

    def _reject(self, row: Row, name: str, reason: str, mapping_header: str = "") -> None:
        self.analysis.rejected.append(
            Rejected(row.sheet, row.row, [Problem(row.sheet, row.row, mapping_header, name, reason)], row.original)
        )

    def _header(self, sheet: str, name: str) -> str:
        report = next((s for s in self.analysis.sheets if s.name == sheet), None)
        if report is None or report.table is None:
            return ""
        index = self._column_of(name, report.table.mapping)
        return next((c.header for c in report.table.columns if c.index == index), "")

    def _check_file_duplicates(self, rows: list[Row]) -> None:
        seen_ids: dict[str, Row] = {}
        seen_cards: dict[str, Row] = {}
        kept = []
        for row in rows:
            id_number = row.data.get("id_number")
            card = row.data.get("card_number")
            if id_number and id_number in seen_ids:
                first = seen_ids[id_number]
                same = _("same ID number as sheet '%(sheet)s', row %(row)s") % {"sheet": first.sheet, "row": first.row}
                reason = f"{_('duplicate in file')} ({same})"
                self._reject(row, "id_number", reason, self._header(row.sheet, "id_number"))
                continue
            if card and card in seen_cards:
                self._reject(row, "card_number", _("duplicate in file"), self._header(row.sheet, "card_number"))
                continue
            if id_number:
                seen_ids[id_number] = row
            if card:
                seen_cards[card] = row
            kept.append(row)
        rows[:] = kept

    def _resolve_branches(self, rows: list[Row]) -> list[Row]:
        kept = []
        unknown: Counter = Counter()
        names: dict[str, str] = {}  # branch key -> how the file first wrote it
        keys: dict[str, str] = {}  # a file names a few dozen branches over and over
        for row in rows:
            if self.branch is not None:
                row.branch = self.branch
                kept.append(row)
                continue
            key = keys.get(row.branch_name)
            if key is None:
                key = keys[row.branch_name] = branch_key(row.branch_name)
            unit = self.branches.get(key)
            if unit is not None:
                row.branch = unit
                kept.append(row)
                continue
            name = names.setdefault(key, branch_display_name(row.branch_name))
            unknown[name] += 1
            if self.create_branches:
                kept.append(row)
            else:
                self._reject(
                    row,
                    "branch",
                    _("branch '%(branch)s' does not exist in %(commune)s")
                    % {"branch": row.branch_name, "commune": self.commune.name},
                    self._header(row.sheet, "branch"),
                )
        self.analysis.unknown_branches = dict(unknown)
        if self.create_branches:
            self.analysis.branches_to_create = sorted(unknown)
        return kept

    def _match(self, rows: list[Row]) -> None:
        rows = self._resolve_branches(rows)
        existing = {
            m["id"]: m
            for m in Member.objects.filter(branch__path__startswith=self.commune.path).values(
                "id", "branch_id", "status", *COMPARED_FIELDS, "name_folded"
            )
        }
        by_id = {m["id_number"]: m for m in existing.values() if m["id_number"]}
        by_card = {m["card_number"]: m for m in existing.values() if m["card_number"]}
        by_name = defaultdict(list)
        for m in existing.values():
            by_name[(m["name_folded"], m["birth_year"])].append(m)
        outside = self._held_outside([r.data["id_number"] for r in rows if r.data.get("id_number")], by_id)
        for row in rows:
            data = row.data
            id_number = data.get("id_number")
            if id_number and id_number in outside:
                self._reject(row, "id_number", outside[id_number], self._header(row.sheet, "id_number"))
                continue
            member = by_id.get(id_number) if id_number else None
            if member is None and data.get("card_number"):
                member = by_card.get(data["card_number"])
            if member is None and not id_number:
                same = by_name.get((fold(data["full_name"]), data["birth_year"]), [])
                member = same[0] if len(same) == 1 else None
            if member is None:
                self.analysis.new.append(row)
                continue
            row.member_id = member["id"]
            row.changes = _changes(member, data)
            row.moved = row.branch is not None and member["status"] == "active" and member["branch_id"] != row.branch.pk
            (self.analysis.updated if row.changes or row.moved else self.analysis.unchanged).append(row)

    def _held_outside(self, ids: list[str], inside: dict) -> dict[str, str]:
        """ID numbers of the file held by members outside the commune, with the reason to give."""
        wanted = [i for i in ids if i not in inside]
        reasons: dict[str, str] = {}
        if not wanted:
            return reasons
        paths = scope_paths(self.actor, Action.VIEW) if self.actor is not None else None

        def can_see(path: str) -> bool:
            return paths is None or any(path.startswith(prefix) for prefix in paths)

        holders = Member.objects.filter(id_number__in=among(wanted)).values(
            "id_number", "full_name", "branch__name", "branch__path"
        )
        for holder in holders:
            if self.actor is None or can_see(holder["branch__path"]):
                reasons[holder["id_number"]] = _(
                    "this ID number is already recorded for %(name)s, a member of %(branch)s (another commune)"
                ) % {"name": holder["full_name"], "branch": holder["branch__name"]}
            else:
                reasons[holder["id_number"]] = _(
                    "this ID number is already recorded for a member of another unit; please contact the district union"  # noqa: E501
                )
        return reasons


def _changes(member: dict, data: dict) -> dict:
    changes = {}
    for name in COMPARED_FIELDS:
        if name not in data:
            continue
        new, old = data[name], member[name]
        if name == "date_of_birth" and new is None and old is not None and data.get("birth_year") == old.year:
            continue  # the file knows only the year; keep the full date the register has
        if name == "is_core" and new is None:
            continue
        # "" and None are both "not given"; for core membership, False ("no") and None (unknown) differ.
        same = new == old if name == "is_core" else (new or None) == (old or None)
        if not same:
            changes[name] = (old, new)
    return changes


def create_branch(commune: Unit, name: str, actor=None) -> Unit:
    from branches.services import unit_create

    return unit_create(
        name=branch_display_name(name), level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=commune, actor=actor
    )


def ensure_branches(analysis: Analysis, actor=None) -> None:
    """Create the branches the user agreed to create and place the rows that wait for them."""
    created = {}
    for name in analysis.branches_to_create:
        created[branch_key(name)] = create_branch(analysis.commune, name, actor)
    for row in analysis.new + analysis.updated + analysis.unchanged:
        if row.branch is None:
            row.branch = created[branch_key(row.branch_name)]


@transaction.atomic
def commit(analysis: Analysis, *, actor=None, note: str = "", progress: Progress | None = None) -> dict:
    from .writer import write

    ensure_branches(analysis, actor)
    return write(analysis, actor=actor, note=note, progress=progress)


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))
