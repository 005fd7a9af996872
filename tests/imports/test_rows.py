"""The row walker's quick tests of a cell agree with what the cell's text says."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from imports.cleaning import text
from imports.rows import _filled, _has_id

CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**14), max_value=10**14),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=0, max_value=10**13).map(float),
    st.text(),
    st.text(alphabet="0123456789 .-²٣", max_size=16),
    st.dates(min_value=datetime.date(1900, 1, 1)),
)


@given(CELLS)
def test_an_id_cell_is_eight_digits_or_more_of_its_text(value):
    assert _has_id([None, value], {"id_number": 1}) == (sum(ch.isdigit() for ch in text(value)) >= 8)


@given(CELLS)
def test_a_filled_cell_is_one_with_text(value):
    assert _filled(value) == (text(value) != "")


def test_no_id_column_or_a_short_row_has_no_id():
    assert not _has_id([123456789], {})
    assert not _has_id([123456789], {"id_number": 3})
