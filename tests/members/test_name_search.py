"""A name is found by any of its words typed in order, the last one the start of her given name."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.text import fold
from members.models import Member
from tests.factories import MemberFactory

NAMES = ["Đặng Thị Anh", "Nguyễn Thị Hà", "Nguyễn Hà", "Lê Thị Ánh Tuyết", "Trần Anh Thư", "Hà Thị Lan"]


@pytest.fixture
def people(world):
    return {name: MemberFactory(branch=world.branch_a1, full_name=name) for name in NAMES}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dang anh", {"Đặng Thị Anh"}),
        ("thi anh", {"Đặng Thị Anh"}),
        ("Đặng", set()),  # one word is the start of a given name: no one is called Đặng
        ("anh", {"Đặng Thị Anh"}),
        ("nguyen ha", {"Nguyễn Thị Hà", "Nguyễn Hà"}),
        ("ha", {"Nguyễn Thị Hà", "Nguyễn Hà"}),
        ("ha lan", {"Hà Thị Lan"}),
        ("thi ha", {"Nguyễn Thị Hà"}),
        ("anh tuyet", {"Lê Thị Ánh Tuyết"}),
        ("anh thu", {"Trần Anh Thư"}),
        ("thu anh", set()),  # out of order
    ],
)
def test_words_in_order(people, typed, expected):
    assert {m.full_name for m in Member.objects.search(typed)} == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_words_of_a_name_in_order_find_it(people, data):
    name = data.draw(st.sampled_from(NAMES))
    words = fold(name).split()
    # Keep the given name, and any of the others in their order; each may be cut short (but the given name
    # only from its end: it is what one types last).
    kept = [w for w in words[:-1] if data.draw(st.booleans())]
    typed = [w[: data.draw(st.integers(1, len(w)))] for w in kept] + [
        words[-1][: data.draw(st.integers(1, len(words[-1])))]
    ]
    assert name in {m.full_name for m in Member.objects.search(" ".join(typed))}
