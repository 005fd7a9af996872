import datetime

import pytest
from django.utils import translation

from imports.cleaning import BIRTH, JOINED, clean_row, core_mark, parse_date

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (datetime.datetime(1976, 4, 7), BIRTH, (datetime.date(1976, 4, 7), 1976)),
        (datetime.date(1976, 4, 7), BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("07/04/1976", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("7/4/1976", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("07.04.1976", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("7-4-1976", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("1976-04-07", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("07/04/76", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        ("07/04/05", BIRTH, (datetime.date(2005, 4, 7), 2005)),  # 21 in 2026: an adult
        ("07/04/10", BIRTH, (datetime.date(1910, 4, 7), 1910)),  # 2010 would make her 16
        ("07/04/10", JOINED, (datetime.date(2010, 4, 7), 2010)),
        ("07/04/30", JOINED, (datetime.date(1930, 4, 7), 1930)),  # 2030 is in the future
        (27857.0, BIRTH, (datetime.date(1976, 4, 7), 1976)),  # Excel serial number
        ("27857", BIRTH, (datetime.date(1976, 4, 7), 1976)),
        (1976.0, BIRTH, (None, 1976)),
        ("1976", BIRTH, (None, 1976)),
        ("1995", JOINED, (datetime.date(1995, 1, 1), 1995)),
        ("", BIRTH, (None, None)),
        (None, JOINED, (None, None)),
    ],
)
def test_parse_date_reads_what_cadres_type(value, kind, expected):
    assert parse_date(value, kind, TODAY) == expected


@pytest.mark.parametrize("value", ["31/02/1980", "00/01/1980", "12/13/1980"])
def test_impossible_dates_are_refused(value):
    with translation.override("en"), pytest.raises(ValueError, match="no such date"):
        parse_date(value, BIRTH, TODAY)


@pytest.mark.parametrize("value", ["abc", "tháng 3", True, -5])
def test_unreadable_dates_are_refused(value):
    with translation.override("en"), pytest.raises(ValueError, match="not a date"):
        parse_date(value, BIRTH, TODAY)


def test_core_marks():
    assert core_mark("x") is True
    assert core_mark("Có") is True
    assert core_mark("") is False
    assert core_mark(None) is False
    with pytest.raises(ValueError):
        core_mark("maybe")


def test_clean_row_normalises_a_messy_row():
    data, problems = clean_row(
        {
            "full_name": "  NGUYỄN   thị  hoa ",
            "date_of_birth": "07/04/1976",
            "id_number": 24176716918.0,
            "phone": "01688585255",
            "ethnicity": "dân tộc nùng",
            "religion": "Không",
            "joined_on": "08/03/1997",
            "card_number": 6557396.0,
        },
        TODAY,
    )
    assert problems == []
    assert data["full_name"] == "Nguyễn Thị Hoa"
    assert data["id_number"] == "024176716918"
    assert data["phone"] == "0388585255"
    assert data["ethnicity"] == "Nùng"
    assert data["religion"] == ""
    assert data["card_number"] == "6557396"


def test_split_name_columns_are_joined():
    data, problems = clean_row(
        {"last_name": "Nguyễn Thị", "given_name": "Hoa", "date_of_birth": "1976", "joined_on": "1997"}, TODAY
    )
    assert problems == []
    assert (data["full_name"], data["date_of_birth"], data["birth_year"]) == ("Nguyễn Thị Hoa", None, 1976)


def test_clean_row_reports_each_problem_by_field():
    with translation.override("en"):
        _, problems = clean_row(
            {"full_name": "", "date_of_birth": "31/02/1980", "id_number": "0241234", "joined_on": "01/01/2000"},
            TODAY,
        )
    assert sorted(problems) == [
        ("date_of_birth", "no such date"),
        ("full_name", "missing"),
        ("id_number", "neither 9 (CMND) nor 12 (CCCD) digits"),
    ]


def test_under_18_on_joining_is_refused():
    with translation.override("en"):
        _, problems = clean_row(
            {"full_name": "Lê Thị A", "date_of_birth": "04/05/2010", "joined_on": "26/06/2024"}, TODAY
        )
    assert problems == [("date_of_birth", "under 18")]


def test_values_too_long_for_the_register_are_refused_not_cut():
    with translation.override("en"):
        data, problems = clean_row(
            {"full_name": "Lê Thị A", "date_of_birth": "1970", "joined_on": "1995", "education": "x" * 21}, TODAY
        )
    assert problems == [("education", "longer than 20 characters")]
