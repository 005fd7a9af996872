"""Numbers as Vietnamese type and read them: "160.000.000", "1.234,5", "85,5"."""

import decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.numbers import VietDecimalField, display, money, parse


@pytest.mark.parametrize(
    ("typed", "number"),
    [("160.000.000", "160000000"), ("12.500.000.000", "12500000000"), ("85,5", "85.5"), ("1.234,5", "1234.5"),
     ("1234", "1234"), ("85.5", "85.5"), ("1.234", "1234"), (" 1 000 ", "1000"), ("0,25", "0.25"), ("-5", "-5")],
)  # fmt: skip
def test_typed_numbers(typed, number):
    assert parse(typed) == decimal.Decimal(number)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.23.4", "12.34.567", ",5", "1.234.5", "--1", ""])
def test_what_is_not_a_number(typed):
    assert parse(typed) is None


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False))
def test_what_is_shown_reads_back_as_the_same_number(number):
    assert parse(display(number)) == number


def test_shown_without_meaningless_decimals():
    assert [display(decimal.Decimal(v)) for v in ("160000000.00", "85.50", "2151", "1234.5")] == [
        "160.000.000", "85,5", "2.151", "1.234,5",
    ]  # fmt: skip


def test_the_form_field_reads_and_redisplays_vietnamese_numbers():
    field = VietDecimalField(max_digits=18, decimal_places=2, min_value=0)
    assert field.clean("12.500.000.000") == decimal.Decimal("12500000000")
    assert field.widget.format_value(decimal.Decimal("160000000.00")) == "160.000.000"
    with pytest.raises(Exception, match="160.000.000"):
        field.clean("một trăm")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (3_152_000_000_000, "3.152 tỷ đồng"),
        (1_780_000_000, "1,78 tỷ đồng"),
        (1_345_000_000, "1,345 tỷ đồng"),
        (107_200_000, "107,2 triệu đồng"),
        (7_000_000_000, "7 tỷ đồng"),
        (850_000, "850.000 đồng"),
        (0, "0 đồng"),
        (-5_000_000, "-5 triệu đồng"),
    ],
)
def test_money_is_written_as_reports_write_it(amount, text):
    assert money(amount) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_money_never_strays_far_from_the_amount(amount):
    text = money(amount)
    number, _space, unit = text.partition(" ")
    scale = {"tỷ đồng": 10**9, "triệu đồng": 10**6, "đồng": 1}[unit]
    read = parse(number) * scale
    assert abs(read - amount) <= max(amount * decimal.Decimal("0.001"), scale / 10 if scale > 1 else 0)
