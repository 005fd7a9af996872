import pytest
from hypothesis import given
from hypothesis import strategies as st

from members import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  NGUYỄN   thị  hà ", "Nguyễn Thị Hà"),
        ("nguye\u0302\u0303n thi\u0323 ha\u0300", "Nguyễn Thị Hà"),  # decomposed Unicode
        ("", ""),
        (None, ""),
        ("Nguyễn Thị Hà", "Nguyễn Thị Hà"),  # already so: kept as it is
        ("Nguyễn\u00a0Thị\tHà", "Nguyễn Thị Hà"),
        ("H'Hen Niê", "H'hen Niê"),  # a word is capitalised once, whatever its punctuation
        ("Lê-Thị Mai", "Lê-thị Mai"),
        ("ǅemal", "Ǆemal"),  # a title-case letter passes str.istitle() but is still written as a capital
    ],
)
def test_full_name_is_nfc_capitalised_single_spaced(raw, expected):
    assert normalize.full_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("024176716918", "024176716918"),
        (24176716918, "024176716918"),  # a number cell lost the leading zero
        (24176716918.0, "024176716918"),
        ("12345678", "012345678"),
        ("121 456 789", "121456789"),
        ("", ""),
    ],
)
def test_id_number_restores_leading_zero(raw, expected):
    assert normalize.id_number(raw) == expected


id_cells = st.one_of(
    st.integers(min_value=0, max_value=10**13),
    st.integers(min_value=0, max_value=10**13).map(float),
    st.text(alphabet="0123456789 .-", max_size=16),
    st.text(max_size=14),
)


@given(id_cells, st.one_of(st.none(), st.integers(min_value=1900, max_value=2030)))
def test_likely_id_number_is_what_id_number_gives_whenever_it_takes_the_cell(raw, birth_year):
    try:
        taken = normalize.id_number(raw, birth_year)
    except ValueError:
        return
    assert taken == "" or taken == normalize.likely_id_number(raw)


@pytest.mark.parametrize("raw", ["12345", "1234567890", "0241767169181"])
def test_id_number_of_wrong_length_is_refused(raw):
    with pytest.raises(ValueError, match="CMND"):
        normalize.id_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01683456789", "0383456789"),  # Viettel 0168 -> 038
        ("01234567890", "0834567890"),  # Vinaphone 0123 -> 083
        (912345678, "0912345678"),  # lost zero
        ("+84 912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
    ],
)
def test_phone_renumbers_old_mobiles_and_restores_zero(raw, expected):
    assert normalize.phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("kinh", "Kinh"), ("H'Mông", "Mông"), ("san chay", "Sán Chay"), ("", "")]
)
def test_ethnicity_maps_spellings_to_official_names(raw, expected):
    assert normalize.ethnicity(raw) == expected


def test_unknown_ethnicity_is_kept_as_typed_and_marked_unknown():
    assert normalize.ethnicity_name("klingon") == ("Klingon", False)
    assert normalize.ethnicity_name("Dân tộc Mèo") == ("Mông", True)


@pytest.mark.parametrize(("raw", "expected"), [("Không", ""), ("thiên chúa", "Công giáo"), ("phật giáo", "Phật giáo")])
def test_religion(raw, expected):
    assert normalize.religion(raw) == expected
