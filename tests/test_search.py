"""The top bar's search finds members, units and records, and only in the user's units."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.supervision import factories as work


@pytest.fixture
def found_things(world):
    MemberFactory(branch=world.branch_a1, full_name="Đặng Thị Anh", id_number="024123456789", phone="0912000111")
    MemberFactory(branch=world.branch_b1, full_name="Đặng Thị Anh Hòa", id_number="024999456789")
    work.supervision(world.commune_a1, world.alice, topic="Giám sát Luật Bình đẳng giới Anh")
    return world


def test_a_cadre_finds_her_member_her_records_and_nothing_of_other_districts(found_things, login):
    client = login(found_things.alice)
    body = client.get(reverse("search"), {"q": "dang anh"}).content.decode()
    assert '<div class="fw-semibold">Đặng Thị Anh</div>' in body and "Đặng Thị Anh Hòa" not in body
    body = client.get(reverse("search"), {"q": "Bình đẳng"}).content.decode()
    assert "Giám sát Luật Bình đẳng giới Anh" in body
    assert "Tân Ấn" in client.get(reverse("search"), {"q": "tan an"}).content.decode()


def test_an_id_number_is_found_whole_not_by_its_start(found_things, login):
    client = login(found_things.charlie)  # district B: only her own member
    assert "Đặng Thị Anh Hòa" in client.get(reverse("search"), {"q": "024999456789"}).content.decode()
    body = client.get(reverse("search"), {"q": "024123456789"}).content.decode()
    assert "data-group" not in body and "empty-state" in body


def test_the_top_bar_searches_everything(found_things, login):
    body = login(found_things.alice).get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in body


def test_nothing_found_says_so(found_things, login):
    body = login(found_things.alice).get(reverse("search"), {"q": "zzzz"}).content.decode()
    assert "Không có gì trong các đơn vị của bạn khớp với “zzzz”" in body
