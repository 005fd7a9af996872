"""Reading the official administrative-unit lists (statistics office) and the 2025 old→new mapping."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.text import fold

from .constants import TYPE_BY_OFFICIAL_NAME, Level

# Column names as the derived lists spell them, and as the statistics office's export does.
UNIT_COLUMNS = {
    "province_code": ["province_code", "ma tp", "ma tinh"],
    "province_name": ["province_name", "tinh thanh pho", "tinh / thanh pho", "ten tinh"],
    "province_type": ["province_type", "loai tinh"],
    "district_code": ["district_code", "ma qh", "ma huyen"],
    "district_name": ["district_name", "quan huyen", "quan / huyen", "ten huyen"],
    "district_type": ["district_type", "loai huyen"],
    "ward_code": ["ward_code", "ma px", "ma xa"],
    "ward_name": ["ward_name", "phuong xa", "phuong / xa", "ten xa"],
    "ward_type": ["ward_type", "cap", "loai xa"],
}
REQUIRED_UNIT_COLUMNS = ("province_code", "province_name", "ward_code", "ward_name")


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or xlsx file as dicts keyed by the header row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        return [dict(row) for row in csv.DictReader(io.StringIO(text), dialect=dialect)]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = workbook.active.iter_rows(values_only=True)
        header = [str(cell or "").strip() for cell in next(rows, [])]
        table = []
        for row in rows:
            if not any(cell not in (None, "") for cell in row):
                continue
            table.append(
                {header[i]: "" if cell is None else str(cell).strip() for i, cell in enumerate(row) if i < len(header)}
            )
        workbook.close()
        return table
    raise ValidationError(_("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix or "?"})


def _map_columns(header: list[str], synonyms: dict[str, list[str]]) -> dict[str, str]:
    folded = {fold(name): name for name in header}
    mapping = {}
    for key, names in synonyms.items():
        for name in names:
            if name in folded:
                mapping[key] = folded[name]
                break
    return mapping


@dataclass
class OfficialUnit:
    level: str
    code: str
    name: str
    unit_type: str
    parent_code: str | None


def unit_type_for(level: str, official_type: str, name: str) -> str:
    """The unit type from the list's type column, or from the name's first words when the column is missing."""
    types = TYPE_BY_OFFICIAL_NAME[level]
    key = fold(official_type)
    for label, unit_type in types.items():
        if fold(label) == key:
            return unit_type
    folded_name = fold(name)
    for label, unit_type in sorted(types.items(), key=lambda item: -len(item[0])):
        if folded_name.startswith(fold(label) + " "):
            return unit_type
    return next(iter(types.values()))


def with_type_prefix(name: str, official_type: str) -> str:
    """'Bắc Ninh' + 'Tỉnh' -> 'Tỉnh Bắc Ninh'; names that already carry their type stay as they are."""
    name = " ".join(name.split())
    if official_type and not fold(name).startswith(fold(official_type) + " "):
        return f"{official_type.strip()} {name}"
    return name


def parse_unit_list(rows: list[dict[str, str]]) -> list[OfficialUnit]:
    """Provinces, districts and communes of an official list, each once, parents before children."""
    if not rows:
        raise ValidationError(_("The file has no rows."))
    columns = _map_columns(list(rows[0].keys()), UNIT_COLUMNS)
    missing = [c for c in REQUIRED_UNIT_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(_("Columns not found: %(columns)s.") % {"columns": ", ".join(missing)})

    def get(row, key):
        return (row.get(columns[key]) or "").strip() if key in columns else ""

    def unit(row, level: str, prefix: str, code: str, parent_code: str | None) -> OfficialUnit:
        # Each level has its <prefix>_name and <prefix>_type columns ("ward" is the commune level).
        name = get(row, f"{prefix}_name")
        return OfficialUnit(level, code, name, unit_type_for(level, get(row, f"{prefix}_type"), name), parent_code)

    units: dict[tuple[str, str], OfficialUnit] = {}
    for number, row in enumerate(rows, start=2):
        province_code = get(row, "province_code")
        ward_code = get(row, "ward_code")
        if not province_code or not ward_code:
            raise ValidationError(_("Row %(row)s: the province or commune code is empty.") % {"row": number})
        province_code = province_code.zfill(2)
        ward_code = ward_code.zfill(5)
        district_code = get(row, "district_code")
        district_code = district_code.zfill(3) if district_code else ""
        if (Level.PROVINCE, province_code) not in units:
            units[(Level.PROVINCE, province_code)] = unit(row, Level.PROVINCE, "province", province_code, None)
        parent_code = province_code
        if district_code:
            if (Level.DISTRICT, district_code) not in units:
                units[(Level.DISTRICT, district_code)] = unit(
                    row, Level.DISTRICT, "district", district_code, province_code
                )
            parent_code = district_code
        units[(Level.COMMUNE, ward_code)] = unit(row, Level.COMMUNE, "ward", ward_code, parent_code)
    order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    return sorted(units.values(), key=lambda u: (order[u.level], u.code))


@dataclass
class ReformRow:
    old_province_code: str
    old_ward_code: str
    old_ward_name: str
    new_province_code: str
    new_province_name: str
    new_ward_code: str
    new_ward_name: str


def parse_reform_mapping(rows: list[dict[str, str]]) -> list[ReformRow]:
    needed = [
        "old_province_code",
        "old_ward_code",
        "new_province_code",
        "new_province_name",
        "new_ward_code",
        "new_ward_name",
    ]
    if not rows:
        raise ValidationError(_("The mapping file has no rows."))
    missing = [c for c in needed if c not in rows[0]]
    if missing:
        raise ValidationError(_("Columns not found: %(columns)s.") % {"columns": ", ".join(missing)})
    return [
        ReformRow(
            old_province_code=row["old_province_code"].strip().zfill(2),
            old_ward_code=row["old_ward_code"].strip().zfill(5),
            old_ward_name=(row.get("old_ward_name") or "").strip(),
            new_province_code=row["new_province_code"].strip().zfill(2),
            new_province_name=row["new_province_name"].strip(),
            new_ward_code=row["new_ward_code"].strip().zfill(5),
            new_ward_name=row["new_ward_name"].strip(),
        )
        for row in rows
        if (row.get("old_ward_code") or "").strip()
    ]


@dataclass
class Decisions:
    """Targets chosen by the province office for communes the mapping leaves open: old code -> new code."""

    targets: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def parse_decisions(rows: list[dict[str, str]]) -> Decisions:
    decisions = Decisions()
    for number, row in enumerate(rows, start=2):
        old = (row.get("old_ward_code") or "").strip()
        new = (row.get("new_ward_code") or "").strip()
        if not old:
            continue
        if not new:
            raise ValidationError(
                _("Decision file, row %(row)s: choose the new commune code for %(code)s.")
                % {"row": number, "code": old}
            )
        decisions.targets[old.zfill(5)] = new.zfill(5)
        if (row.get("new_ward_name") or "").strip():
            decisions.names[new.zfill(5)] = row["new_ward_name"].strip()
    return decisions
