"""Deciding legacy cells sheet by sheet: the quick pass that clears a Unicode sheet decides as the full one."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import decoding
from imports.sheets import RawSheet
from tests.imports.files import UNIKEY, tcvn3, vni

pytestmark = pytest.mark.skipif(not UNIKEY.exists(), reason="../shared/data is not beside the checkout")

WORDS = ["Nguyễn Thị Hồng", "Đặng Thị Ánh", "Thôn Đông", "Phật giáo", "Kinh", "Tày", "Thò", "Hà Nội", "Lan"]
unicode_text = st.sampled_from(WORDS)
legacy_text = st.sampled_from(WORDS).flatmap(lambda w: st.sampled_from([vni(w), tcvn3(w), tcvn3(w.lower())]))
cell = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False), unicode_text, legacy_text, st.text(max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x1EF9), max_size=6),
)  # fmt: skip
sheets = st.builds(
    lambda rows, name: RawSheet(name=name, rows=rows),
    st.lists(st.lists(cell, max_size=5), max_size=8),
    st.one_of(st.sampled_from(["DS", "Thôn Đông", tcvn3("Thôn Đông"), vni("Thôn Đông")]), st.text(max_size=8)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets)
def test_the_quick_pass_decides_every_sheet_as_the_cell_by_cell_pass(sheet):
    quick, full = copy.deepcopy(sheet), copy.deepcopy(sheet)
    assert decoding.decode_sheet(quick) == decoding._decode_cells(full, decoding.is_legacy(full.name))
    assert quick.rows == full.rows
    assert quick.name == full.name


def test_a_unicode_sheet_with_one_pasted_legacy_cell_is_still_decoded():
    sheet = RawSheet(name="DS", rows=[["Nguyễn Thị Lan", "Kinh"]] * 50 + [[tcvn3("Nguyễn Thị Hồng"), "Kinh"]])
    decoding.decode_sheet(sheet)
    assert sheet.rows[-1][0] == "Nguyễn Thị Hồng"
