"""Vietnamese alphabetical order, the same in Python, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from branches.models import Unit
from branches.selectors import tree_order, unit_children
from common.collation import vi, vi_key
from tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory

ORDERED = ["An", "Ăn", "Ân", "Bình", "Cẩm", "Dương", "Đông", "Em", "Ê", "Giang", "Hà Lâm", "Hải", "Hiệp Kim",
           "Ô", "Ơn", "Thái", "Tháp", "Uyên", "Ư"]  # fmt: skip


def test_letters_follow_the_vietnamese_alphabet_and_tones_come_after():
    shuffled = ORDERED[::2] + ORDERED[1::2]
    assert sorted(shuffled, key=vi_key) == ORDERED
    assert sorted(["á", "ạ", "a", "à", "ã", "ả"], key=vi_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert vi_key("Hà Lâm") < vi_key("Hiệp Kim")  # a byte order puts "Hiệp" first


WORDS = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ",
                max_size=12)  # fmt: skip


@given(st.lists(WORDS, max_size=8))
def test_the_order_is_total_and_stable(words):
    once = sorted(words, key=vi_key)
    assert sorted(once, key=vi_key) == once
    for first, second in zip(once, once[1:], strict=False):
        assert vi_key(first) <= vi_key(second)


@pytest.mark.django_db
def test_the_database_sorts_units_as_vietnamese_read_them():
    province = ProvinceFactory(name="Tỉnh Mẫu")
    district = DistrictFactory(parent=province, name="Huyện Mẫu")
    for name in reversed(ORDERED):
        CommuneFactory(parent=district, name=name)
    in_db = list(Unit.objects.filter(parent=district).order_by(vi("name")).values_list("name", flat=True))
    assert in_db == ORDERED, connection.vendor
    assert [u.name for u in unit_children(district)] == ORDERED


@pytest.mark.django_db
def test_tree_order_keeps_each_unit_under_its_parent_with_siblings_in_order():
    province = ProvinceFactory(name="Tỉnh Mẫu")
    second = DistrictFactory(parent=province, name="Huyện Đông")
    first = DistrictFactory(parent=province, name="Huyện Ân")
    b = CommuneFactory(parent=first, name="Xã Hải")
    a = CommuneFactory(parent=first, name="Xã Hà")
    c = CommuneFactory(parent=second, name="Xã An")
    ordered = tree_order(list(Unit.objects.all()))
    assert ordered == [province, first, a, b, second, c]
