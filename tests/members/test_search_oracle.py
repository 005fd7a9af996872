"""Search cannot spell out a number the page masks: prefixes match only where the user sees numbers in full."""

import random

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import MemberFactory, UserFactory

CCCD, PHONE, CMND = "024123456742", "0912345678", "121345678"


@pytest.fixture
def member(world):
    return MemberFactory(
        branch=world.branch_a1, full_name="Hoàng Thị Kín", id_number=CCCD, phone=PHONE, old_id_number=CMND
    )


@pytest.fixture
def reader(world):
    user = UserFactory(username="doc")
    Role.objects.create(user=user, unit=world.district_a, can_enter=False)
    return user


def _found(client, text: str) -> tuple[int, int]:
    """How many members the list page and the lookup endpoint give for ``text``."""
    listing = client.get(reverse("members:member_list"), {"q": text}).content.decode()
    lookup = client.get(reverse("members:member_lookup"), {"q": text}).json()["results"]
    return listing.count("Hoàng Thị Kín"), len(lookup)


def _random_digits(rng: random.Random, length: int, avoid: tuple[str, ...]) -> str:
    while True:
        digits = "".join(rng.choice("0123456789") for _ in range(length))
        if not any(number.startswith(digits) for number in avoid):
            return digits


@pytest.mark.django_db
def test_prefixes_of_a_masked_number_answer_like_random_digits(world, member, reader, login):
    client = login(reader)
    rng = random.Random(19)
    numbers = (CCCD, PHONE, CMND)
    for number in numbers:
        for length in range(1, len(number)):
            baseline = _found(client, _random_digits(rng, length, numbers))
            assert _found(client, number[:length]) == baseline, (number, length)
    # The whole number reveals nothing she did not type: it finds her.
    for number in numbers:
        assert _found(client, number)[1] == 1


@pytest.mark.django_db
def test_those_who_keep_the_register_search_by_the_start_of_a_number(world, member, login):
    client = login(world.alice)
    assert _found(client, CCCD[:6])[1] == 1 and _found(client, PHONE[:5])[1] == 1
    # ...but not in the part of the tree they may only read.
    reader_in_a1 = UserFactory(username="mixed")
    Role.objects.create(user=reader_in_a1, unit=world.district_a, can_enter=False)
    Role.objects.create(user=reader_in_a1, unit=world.commune_a2, can_enter=True)
    assert _found(login(reader_in_a1), CCCD[:6]) == (0, 0)
    assert _found(login(reader_in_a1), CCCD)[1] == 1
