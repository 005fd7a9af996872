"""The official lists of Bắc Giang (2024) and the 2025 old→new mapping, from ../shared/data."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from branches.constants import Level
from branches.models import ReorgEvent, Unit, UnitPeriod
from branches.selectors import level_counts_as_of, tree_as_of
from tests.factories import BranchFactory

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
UNITS_2024 = DATA / "admin_units_2024" / "derived" / "bac_giang_units_20241201.csv"
UNITS_2025_03 = DATA / "admin_units_2024" / "derived" / "bac_giang_units_20250301.csv"
MAPPING = DATA / "admin_units_2025" / "derived" / "old_to_new_bac_giang.csv"

pytestmark = pytest.mark.skipif(not UNITS_2024.exists(), reason="../shared/data is not beside the checkout")


def load(path, *args):
    call_command("load_admin_units", str(path), *args, stdout=io.StringIO())


@pytest.fixture
def bac_giang(db):
    load(UNITS_2024)
    return Unit.objects.get(level=Level.PROVINCE, code="24")


def decisions_for_unmapped(tmp_path) -> Path:
    """The 17 communes of the 2024 list that the mapping leaves out go to a neighbour's new commune."""
    old = list(csv.DictReader(UNITS_2024.open(encoding="utf-8")))
    mapped = {row["old_ward_code"]: row["new_ward_code"] for row in csv.DictReader(MAPPING.open(encoding="utf-8"))}
    path = tmp_path / "decisions.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["old_ward_code", "new_ward_code"])
        for row in old:
            if row["ward_code"] in mapped:
                continue
            siblings = [o for o in old if o["district_code"] == row["district_code"] and o["ward_code"] in mapped]
            nearest = min(siblings, key=lambda o: abs(int(o["ward_code"]) - int(row["ward_code"])))
            writer.writerow([row["ward_code"], mapped[nearest["ward_code"]]])
    return path


def test_load_builds_province_districts_and_communes(bac_giang):
    assert bac_giang.name == "Tỉnh Bắc Giang"
    assert Unit.objects.filter(level=Level.DISTRICT).count() == 10
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 209
    commune = Unit.objects.get(code="07201")
    assert (commune.name, commune.unit_type, commune.parent.code) == ("Phường Thọ Xương", "phuong", "213")


def test_load_twice_changes_nothing(bac_giang):
    before = (Unit.objects.count(), UnitPeriod.objects.count(), ReorgEvent.objects.count(), Unit.history.count())
    load(UNITS_2024)
    assert (
        Unit.objects.count(),
        UnitPeriod.objects.count(),
        ReorgEvent.objects.count(),
        Unit.history.count(),
    ) == before


def test_changed_file_renames_and_adds(bac_giang, tmp_path):
    rows = list(csv.DictReader(UNITS_2024.open(encoding="utf-8")))
    rows[0]["ward_name"] = "Phường Thọ Xương Mới"
    rows.append({**rows[1], "ward_code": "99999", "ward_name": "Xã Thêm Mới", "ward_type": "Xã"})
    changed = tmp_path / "changed.csv"
    with changed.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    load(changed, "--date=2025-01-01")
    assert Unit.objects.get(code="07201").name == "Phường Thọ Xương Mới"
    added = Unit.objects.get(code="99999")
    assert added.valid_from == datetime.date(2025, 1, 1)
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 210
    # The old name still stands for 2024.
    assert tree_as_of(datetime.date(2024, 6, 1)).get(unit__code="07201").name == "Phường Thọ Xương"


def test_reform_without_decisions_lists_open_communes_and_writes_nothing(bac_giang, tmp_path):
    template = tmp_path / "template.csv"
    with pytest.raises(CommandError, match="decision"):
        call_command(
            "apply_admin_reform", str(MAPPING), "--date=2025-07-01", "--template", str(template), stdout=io.StringIO()
        )
    assert len(list(csv.DictReader(template.open(encoding="utf-8")))) == 17
    assert Unit.objects.active().filter(level=Level.DISTRICT).count() == 10


def test_reform_asks_for_decision_when_one_commune_maps_to_several(bac_giang, tmp_path):
    rows = list(csv.DictReader(MAPPING.open(encoding="utf-8")))
    rows.append({**rows[0], "new_ward_code": "07216", "new_ward_name": "Phường Khác"})
    mapping = tmp_path / "ambiguous.csv"
    with mapping.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    template = tmp_path / "template.csv"
    with pytest.raises(CommandError):
        call_command(
            "apply_admin_reform",
            str(mapping),
            "--date=2025-07-01",
            "--decisions",
            str(decisions_for_unmapped(tmp_path)),
            "--template",
            str(template),
            stdout=io.StringIO(),
        )
    open_rows = list(csv.DictReader(template.open(encoding="utf-8")))
    assert [row["old_ward_code"] for row in open_rows] == [rows[0]["old_ward_code"]]
    assert Unit.objects.active().filter(level=Level.DISTRICT).count() == 10


def test_reform_merges_into_bac_ninh_and_keeps_2024_tree(bac_giang, tmp_path):
    branch = BranchFactory(parent=Unit.objects.get(code="07201"), name="Chi hội Tổ 1")
    call_command(
        "apply_admin_reform",
        str(MAPPING),
        "--date=2025-07-01",
        "--decisions",
        str(decisions_for_unmapped(tmp_path)),
        "--reference",
        "Nghị quyết 1658/NQ-UBTVQH15",
        stdout=io.StringIO(),
    )
    bac_giang.refresh_from_db()
    assert (bac_giang.name, bac_giang.code) == ("Tỉnh Bắc Ninh", "24")
    new_codes = {row["new_ward_code"] for row in csv.DictReader(MAPPING.open(encoding="utf-8"))}
    assert level_counts_as_of(datetime.date(2024, 12, 31), bac_giang) == {"district": 10, "commune": 209, "branch": 1}
    assert level_counts_as_of(datetime.date(2025, 7, 1), bac_giang) == {"commune": len(new_codes), "branch": 1}
    # Codes are reused: 07210 was Phường Hoàng Văn Thụ, and is now Phường Bắc Giang.
    assert Unit.objects.alive_on(datetime.date(2024, 12, 31)).get(code="07210").name == "Phường Hoàng Văn Thụ"
    assert Unit.objects.alive_on(datetime.date(2025, 7, 1)).get(code="07210").name == "Phường Bắc Giang"
    # The branch followed its commune into the new one.
    branch.refresh_from_db()
    assert branch.parent.name == "Phường Bắc Giang"
    assert tree_as_of(datetime.date(2024, 12, 31)).get(unit=branch).parent.name == "Phường Thọ Xương"
    assert all(unit.parent == bac_giang for unit in Unit.objects.active().filter(level=Level.COMMUNE))


def test_load_reads_xlsx_with_statistics_office_headers(db, tmp_path):
    from openpyxl import Workbook

    rows = list(csv.DictReader(UNITS_2024.open(encoding="utf-8")))[:12]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"])
    for row in rows:
        # The office's export drops leading zeros when opened in Excel.
        sheet.append(
            [
                row["province_name"],
                int(row["province_code"]),
                row["district_name"],
                int(row["district_code"]),
                row["ward_name"],
                int(row["ward_code"]),
                row["ward_type"],
            ]
        )
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    load(path)
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 12
    assert Unit.objects.get(code="07201").parent.code == "213"
