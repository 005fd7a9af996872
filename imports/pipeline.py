"""The import of one member list: read, find the tables, clean, match, and (on commit) write.

``Importer.analyse`` writes nothing: it returns what the file holds and what
would happen to each row, which is the preview. ``commit`` writes an analysis
in one transaction through the register's services. Both the browser (through
a background task) and the ``import_members`` command go through here, so they
behave the same. Each step has its module, and the arrows run one way:
reader → decoding → table/rows → cleaning → branching → matching → writer.
"""

import datetime
import itertools
from collections import Counter
from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from common.text import fold
from members import figures

from . import decoding, legacy, matching
from .analysis import Analysis, Flag, Problem, Progress, Rejected, Row, SheetReport, Skipped
from .branching import (
    BranchResolver,
    branch_display_name,
    branch_key,
    commune_branches,
    create_branch,
    folded_key,
)
from .cleaning import clean_row, text, unlisted
from .reader import RawSheet, Workbook, read_workbook
from .rows import MEMBER, SECTION, SUBTOTAL, TITLE, walk
from .sheets import ImportFileError
from .table import FIELDS, Table, find_table

__all__ = [
    "Analysis", "Importer", "analyse_and_commit", "branch_key", "commit", "commune_branches", "create_branch",
    "field_label",
]  # fmt: skip

# Sheet names that say nothing about a branch.
_GENERIC_SHEET = ("sheet", "trang tinh", "danh sach", "ds", "tong hop", "bieu", "mau", "hoi vien", "data", "du lieu")
_BRANCH_WORDS = ("chi hoi", "thon", "xom", "to dan pho", "ap", "khu", "ban", "lang", "to ", "tdp", "khoi", "bon")
# Rows cleaned and matched at a time: small enough for the writing of one batch to overlap the cleaning of the
# next, big enough that the queries per batch do not count.
BATCH = 10_000
NewRows = Callable[[list[Row]], None]
_SKIP_REASONS = {
    SECTION: _("section heading"),
    SUBTOTAL: _("subtotal or total row"),
    TITLE: _("title or note, not a member"),
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
        self.known = {fold(key) for key in self.branches}
        self._new_names: dict[str, str] = {}  # exact key of a branch to create -> how the file first wrote it

    def analyse(self, data: bytes, *, on_new: NewRows | None = None, lookup: matching.Lookup | None = None) -> Analysis:
        """What the file holds and what would happen to each row. Rows are cleaned and matched in batches, in
        file order; ``on_new`` is handed each batch's new members whose branch exists, as soon as they are known
        (the commit writes them while the next batch is cleaned), and ``lookup`` runs the reads the matching can
        make ahead (who holds the file's ID numbers). A row's fate never depends on the batches."""
        holders = matching.Holders(lookup)
        self.progress("read", 0.0)
        workbook = read_workbook(data, self.analysis.file_name)
        self.analysis.kind = workbook.kind
        self.analysis.text_encoding = workbook.text_encoding
        self.analysis.ignored_sheets = list(workbook.ignored)
        self.progress("read", 1.0)
        found = self._member_tables(workbook, holders)
        resolver = BranchResolver(self.branches)
        resolver.prepare(dict.fromkeys(name for *_rest, names in found for name in names))
        duplicates = matching.FileDuplicates(self.analysis, self._header)
        matcher = matching.Matcher(self.analysis, self.commune, self.actor, self._header, holders)
        unknown: Counter = Counter()
        for batch in _batches(self._collect(found), BATCH):
            rows = self._resolve_branches(resolver, duplicates.keep(batch), unknown)
            first_new = len(self.analysis.new)
            matcher.match(rows)
            if on_new is not None:
                on_new([row for row in self.analysis.new[first_new:] if row.branch is not None])
        self.analysis.unknown_branches = dict(unknown)
        if self.create_branches:
            self.analysis.branches_to_create = sorted(unknown)
        order = {sheet.name: index for index, sheet in enumerate(self.analysis.sheets)}
        self.analysis.rejected.sort(key=lambda rejected: (order.get(rejected.sheet, 0), rejected.row))
        self.progress("match", 1.0)
        return self.analysis

    # Tables ------------------------------------------------------------------------------------------

    def _tables(self, sheet: RawSheet, holders: matching.Holders) -> list[Table]:
        """Every member table of the sheet, one under the other; ``holders`` look up its ID numbers ahead."""
        overrides = self.overrides.get(sheet.name)
        tables, start = [], 0
        while start < len(sheet.rows):
            table = find_table(sheet.rows, sheet.merged, overrides, start)
            if table is not None and overrides is None:
                saved = self.saved_mappings.get(table.signature())
                if saved:
                    table = find_table(sheet.rows, sheet.merged, saved, start)
            if table is None:
                break
            if "id_number" in table.mapping:
                column = table.mapping["id_number"]
                holders.expect(row[column] for row in sheet.rows[table.data_start :] if column < len(row))
            _fill_merged_down(sheet, table.data_start)
            lines, end = walk(sheet.rows, table, self.known)
            table.data_end = end
            table.lines = lines
            tables.append(table)
            start = max(end, table.data_start) + 1 if end < len(sheet.rows) else len(sheet.rows)
            if table.footer_row is not None and end >= table.footer_row:
                start = table.footer_row + 1
        return tables

    def _member_tables(self, workbook: Workbook, holders: matching.Holders) -> list[tuple]:
        """(sheet, table, report, branch names of its member lines) for every member table of the workbook."""
        found = []
        for sheet in workbook.sheets:
            encoding, capitals = decoding.decode_sheet(sheet)
            tables = self._tables(sheet, holders)
            if not tables:
                self.analysis.sheets.append(SheetReport(name=sheet.name, encoding=encoding, table=None))
                self.analysis.warnings.append(
                    _("Sheet '%(sheet)s': no member table found (no header with a name column).")
                    % {"sheet": sheet.name}
                )
                continue
            for table in tables:
                report = SheetReport(name=sheet.name, encoding=encoding, table=table, fonts_used=capitals)
                self.analysis.sheets.append(report)
                found.append([sheet, table, report])
        if not found:
            raise ImportFileError(
                _(
                    "No member list was found in the file: no sheet has a header row with a name column "
                    "(“Họ và tên”). Check that the file is the member list."
                )
            )
        for entry in found:
            sheet, table, report = entry
            report.branch_source, sheet_branch = self._sheet_branch(sheet, table, len(found))
            entry.append(list(self._branch_names(sheet, table, report.branch_source, sheet_branch)))
        return found

    def _collect(self, found: list[tuple]) -> Iterator[Row]:
        total = sum(len(table.lines) for _s, table, _r, _n in found) or 1
        done = 0
        for sheet, table, report, names in found:
            self.analysis.headers.setdefault(sheet.name, [c.header for c in table.columns])
            yield from self._sheet_rows(sheet, table, report, names)
            done += len(table.lines)
            self.progress("clean", done / total)

    def _branch_names(self, sheet: RawSheet, table: Table, source: str, sheet_branch: str) -> Iterator[str]:
        """The branch each member line of the table names: the chosen one, its column, its section's heading or
        the sheet's name, in that order."""
        branch_column = table.mapping.get("branch")
        section = ""
        for line in table.lines:
            if line.kind == SECTION:
                section = line.text
            elif line.kind == SUBTOTAL:
                section = ""  # a subtotal closes its section
            if line.kind != MEMBER:
                continue
            raw = sheet.rows[line.index]
            name = ""
            if source == "target":
                name = sheet_branch
            elif branch_column is not None and branch_column < len(raw):
                name = " ".join(text(raw[branch_column]).split())
            yield name or section or (sheet_branch if source == "sheet" else "")

    def _sheet_branch(self, sheet: RawSheet, table: Table, member_tables: int) -> tuple[str, str]:
        """Where the branch of the table's rows comes from: the chosen branch, a column, the sheet name."""
        if self.branch is not None:
            return "target", self.branch.name
        if "branch" in table.mapping:
            return "column", ""
        key = folded_key(sheet.name)
        generic = fold(sheet.name).startswith(_GENERIC_SHEET) and key not in self.known
        if key in self.known or (not generic and (member_tables > 1 or fold(sheet.name).startswith(_BRANCH_WORDS))):
            return "sheet", sheet.name
        return "", ""

    def _sheet_rows(self, sheet: RawSheet, table: Table, report: SheetReport, names: list[str]):
        mapping = table.mapping
        headers = {column.index: column.header for column in table.columns}
        branch_column = mapping.get("branch")
        read = [(name, index) for name, index in mapping.items() if name != "branch"]
        names = iter(names)
        for line in table.lines:
            raw = sheet.rows[line.index]
            spreadsheet_row = line.index + 1
            if line.kind != MEMBER:
                self.analysis.skipped.append(
                    Skipped(sheet.name, spreadsheet_row, str(_SKIP_REASONS[line.kind]), line.text)
                )
                if line.kind == SECTION:
                    report.sections.append(line.text)
                continue
            branch_name = next(names)
            values = {name: raw[index] if index < len(raw) else None for name, index in read}
            report.rows += 1
            data, problems = clean_row(values, self.today)
            found = [
                _problem(sheet.name, spreadsheet_row, headers.get(self._column_of(name, mapping), ""), name, reason)
                for name, reason in problems
            ]
            if not branch_name and not found:
                found.append(
                    _problem(
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
            for name, value in unlisted(data):
                self.analysis.flags.append(Flag(sheet.name, spreadsheet_row, name, value))
            yield Row(sheet.name, spreadsheet_row, branch_name, data, list(raw))

    @staticmethod
    def _column_of(name: str, mapping: dict[str, int]) -> int | None:
        if name in mapping:
            return mapping[name]
        if name in ("full_name",):
            return mapping.get("given_name", mapping.get("last_name"))
        if name in ("date_of_birth", "birth_year"):
            return mapping.get("date_of_birth", mapping.get("date_of_birth__year"))
        if name == "joined_on":
            return mapping.get("joined_on__year")
        return None

    @staticmethod
    def _undecodable(sheet, row, values, headers, mapping) -> list:
        problems = []
        for name, value in values.items():
            if isinstance(value, str) and not value.isascii():
                leftover = legacy.undecodable(value)
                if leftover:
                    problems.append(
                        _problem(
                            sheet, row, headers.get(mapping[name], ""), name,
                            _("characters that could not be converted to Unicode: %(chars)s") % {"chars": leftover},
                        )
                    )  # fmt: skip
        return problems

    def _header(self, sheet: str, name: str) -> str:
        report = next((s for s in self.analysis.sheets if s.name == sheet and s.table is not None), None)
        if report is None:
            return ""
        index = self._column_of(name, report.table.mapping)
        return next((c.header for c in report.table.columns if c.index == index), "")

    # Branches ----------------------------------------------------------------------------------------

    def _resolve_branches(self, resolver: BranchResolver, rows: list[Row], unknown: Counter) -> list[Row]:
        """Place each row in its branch; ``unknown`` counts the rows of each branch the commune lacks."""
        if self.branch is not None:
            for row in rows:
                row.branch = self.branch
            return rows
        kept = []
        for row in rows:
            found = resolver.resolve(row.branch_name)
            if found.unit is not None:
                row.branch = found.unit
                kept.append(row)
                continue
            if found.candidates:
                self.analysis.ambiguous_branches.setdefault(row.branch_name, found.candidates)
                self.analysis.reject(
                    row,
                    "branch",
                    _("'%(branch)s' could be %(options)s: write the branch's name with its accents, or choose it")
                    % {"branch": row.branch_name, "options": " / ".join(f"“{name}”" for name in found.candidates)},
                    self._header(row.sheet, "branch"),
                )
                continue
            name = self._new_names.setdefault(
                found.new_key, branch_display_name(resolver.new_names.get(found.new_key, row.branch_name))
            )
            unknown[name] += 1
            if self.create_branches:
                row.branch_name = name
                kept.append(row)
            else:
                self.analysis.reject(
                    row,
                    "branch",
                    _("branch '%(branch)s' does not exist in %(commune)s")
                    % {"branch": row.branch_name, "commune": self.commune.name},
                    self._header(row.sheet, "branch"),
                )
        return kept


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """Batches of ``size`` rows, the first ones smaller: the writing starts as soon as possible, and each early
    batch is ready about when the one before it is stored (cleaning is about twice as quick as storing)."""
    next_size = max(1, size // 5)
    while batch := list(itertools.islice(rows, next_size)):
        yield batch
        next_size = min(size, next_size * 2)


def _problem(sheet, row, column, name, reason) -> Problem:
    return Problem(sheet, row, column, name, reason)


def _fill_merged_down(sheet: RawSheet, data_start: int) -> None:
    """A cell merged down over a block of rows ("Thôn" beside its members) belongs to every row of the block."""
    rows = sheet.rows
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 <= r0 or r0 < data_start or r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        if top in (None, ""):
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if c0 >= len(row):
                row.extend([None] * (c0 + 1 - len(row)))
            if row[c0] in (None, ""):
                row[c0] = top


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
    """Write an analysis made earlier."""
    from .writer import write

    ensure_branches(analysis, actor)
    with figures.deferred():  # the kept member figures are counted again once, at the end
        return write(analysis, actor=actor, note=note, progress=progress)


def analyse_and_commit(
    importer: Importer, data: bytes, *, actor=None, note: str = "", progress: Progress | None = None
) -> tuple[Analysis, dict]:
    """Analyse the file and write it in one pass, inside the caller's transaction: new members are written batch
    by batch while the next batch is cleaned; rows waiting for a branch to be created, moves and corrections
    follow at the end. What is written is what ``analyse`` alone would preview."""
    from .writer import NewMembers, write

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("analyse_and_commit writes inside the caller's transaction")
    with figures.deferred():  # the kept member figures are counted again once, at the end
        with NewMembers(actor=actor, note=note) as sink:
            analysis = importer.analyse(data, on_new=sink, lookup=sink.lookup)
        waiting = [row for row in analysis.new if row.branch is None]
        ensure_branches(analysis, actor)
        written = write(analysis, actor=actor, note=note, progress=progress, new=waiting, written=sink.count)
    return analysis, written


def field_label(name: str) -> str:
    return str(FIELDS.get(name, name))
