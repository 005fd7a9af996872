"""While PostgreSQL restarts a user gets a "try again in a moment" page (503), never a 500."""

from unittest import mock

from django.db import OperationalError
from django.test import Client
from django.urls import reverse


def test_a_lost_database_connection_is_a_503_with_retry_after(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    with mock.patch(
        "members.views.selectors.member_list", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get(reverse("members:member_list"))
    assert response.status_code == 503 and response["Retry-After"] == "15"
    assert "khởi động lại" in response.content.decode()


def test_other_errors_stay_a_plain_error_page(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    with mock.patch("members.views.selectors.member_list", side_effect=RuntimeError("bug")):
        response = client.get(reverse("members:member_list"))
    assert response.status_code == 500 and "sự cố" in response.content.decode()
