import csv

import pytest

from imports import legacy
from tests.imports.files import UNIKEY, tcvn3, vni

DERIVED = UNIKEY.parent
pytestmark = pytest.mark.skipif(not UNIKEY.exists(), reason="../shared/data is not beside the checkout")


def test_tcvn3_table_decodes_every_byte_of_the_reference_table():
    with (DERIVED / "tcvn3_byte_to_unicode.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 74
    for row in rows:
        seen = bytes([int(row["tcvn3_byte"], 16)]).decode("cp1252")
        assert legacy.decode_tcvn3(seen) == row["unicode_char"]
        if row["uppercase_in_VnTimeH_font"]:
            assert legacy.decode_tcvn3(seen, capitals=True) == row["uppercase_in_VnTimeH_font"]


def test_vni_table_decodes_every_sequence_of_the_reference_table():
    with (DERIVED / "vniwin_sequence_to_unicode.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 130
    for row in rows:
        seen = bytes(int(b, 16) for b in row["vni_bytes"].split()).decode("cp1252")
        assert legacy.decode_vni(seen) == row["unicode_char"]


@pytest.mark.parametrize("text", ["Nguyễn Thị Hồng Nhung", "Đặng Thị Ngọc Ánh", "Lương Thị Thủy", "Phật giáo"])
def test_names_round_trip_through_both_legacy_fonts(text):
    assert legacy.decode(vni(text), legacy.VNI) == text
    assert legacy.decode(tcvn3(text.lower()), legacy.TCVN3) == text.lower()


def test_detect_tells_the_three_apart_on_a_sheet_sample():
    names = ["Nguyễn Thị Hồng", "Hoàng Văn Thụ", "Lê Thị Tuyết", "Thôn Đông", "Nùng", "Không"]
    assert legacy.detect(names) == legacy.UNICODE
    assert legacy.detect([tcvn3(n.lower()) for n in names]) == legacy.TCVN3
    assert legacy.detect([vni(n) for n in names]) == legacy.VNI
    assert legacy.detect(["Nguyen Thi Hoa", "Kinh"]) == legacy.UNICODE


def test_unicode_cells_in_a_legacy_sheet_are_left_alone():
    assert legacy.decode("Nguyễn Thị Hoa", legacy.TCVN3) == "Nguyễn Thị Hoa"


def test_what_cannot_be_decoded_is_reported():
    assert legacy.undecodable(legacy.decode("Tr\xdfn", legacy.VNI)) == "ß"
    assert legacy.undecodable("Nguyễn Thị Hoa") == ""


def test_font_names_say_which_encoding_and_capitals():
    assert legacy.encoding_of_font(".VnTime") == (legacy.TCVN3, False)
    assert legacy.encoding_of_font(".VnTimeH") == (legacy.TCVN3, True)
    assert legacy.encoding_of_font("VNI-Times") == (legacy.VNI, False)
    assert legacy.encoding_of_font("Times New Roman") == (None, False)
