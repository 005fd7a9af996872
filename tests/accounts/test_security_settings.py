"""Sessions expire, weak passwords are refused, and a POST without its CSRF token is rejected."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse


def test_sessions_end_with_the_browser_and_after_eight_hours(world):
    client = Client()
    response = client.post(reverse("login"), {"username": "alice", "password": "mat-khau-thu-nghiem-1"})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert 0 < client.session.get_expiry_age() <= 8 * 3600
    assert cookie["httponly"]


@pytest.mark.parametrize("password", ["12345678", "password", "hoilhpn", "abc"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_post_without_its_csrf_token_is_rejected(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post(reverse("supervision:dialogue_create"), {"topic": "x"})
    assert response.status_code == 403
