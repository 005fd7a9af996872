"""A NUL in any parameter is refused before a view sees it; pages of a signed-in user are never stored."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_a_parameter_is_a_bad_request(world, login, method):
    response = getattr(login(world.alice), method)(reverse("members:member_list"), {"q": "Hà\x00"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_member_pages_exports_and_her_data_are_not_stored(world, login):
    member = MemberFactory(branch=world.branch_a1)
    client = login(world.alice)
    for url in (
        reverse("members:member_detail", args=[member.pk]),
        reverse("members:member_list"),
        reverse("members:member_export") + "?format=csv",
        reverse("members:member_data", args=[member.pk]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url
