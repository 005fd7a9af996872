"""Accounts that reach the admin site are managed by superusers only; no administrator resets her own password."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_in_district_a(world):
    user = UserFactory(username="quantri", is_staff=True)
    Role.objects.create(user=user, unit=world.commune_a1, can_enter=True)
    return user


def test_a_district_administrator_cannot_reach_a_staff_account(world, staff_in_district_a, login):
    bob = login(world.bob)
    assert bob.get(reverse("accounts:user_detail", args=[staff_in_district_a.pk])).status_code == 404
    before = staff_in_district_a.password
    response = bob.post(
        reverse("accounts:user_password", args=[staff_in_district_a.pk]), {"password": "Mat-khau-2026!"}
    )
    assert response.status_code == 404
    staff_in_district_a.refresh_from_db()
    assert staff_in_district_a.password == before
    assert staff_in_district_a not in bob.get(reverse("accounts:user_list")).context["table"].data.data


def test_a_superuser_still_manages_staff_accounts(world, staff_in_district_a, login):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert login(root).get(reverse("accounts:user_detail", args=[staff_in_district_a.pk])).status_code == 200
    services.user_set_password(user=staff_in_district_a, password="Mat-khau-2026!", actor=root)
    assert staff_in_district_a.check_password("Mat-khau-2026!")


def test_an_administrator_does_not_reset_her_own_password_without_the_old_one(world):
    with pytest.raises(services.ValidationError):
        services.user_set_password(user=world.bob, password="Mat-khau-2026!", actor=world.bob)


def test_a_taken_username_is_refused_without_saying_whose(world):
    with pytest.raises(services.ValidationError) as error:
        services.user_create(
            username="CHARLIE", full_name="Lê Thị Mới", password="Mat-khau-2026!", unit=world.commune_a1,
            actor=world.bob,
        )  # fmt: skip
    message = " ".join(error.value.messages)
    assert "charlie" not in message.lower() and "đã có" not in message and "taken" not in message


@pytest.mark.parametrize(
    ("env", "starts"),
    [({"DEBUG": "false"}, False), ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, True), ({"DEBUG": "true"}, True)],
)
def test_the_served_application_refuses_the_built_in_key(env, starts):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", "import hoilhpn.wsgi"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )
    assert (result.returncode == 0) == starts, result.stderr[-500:]
    if not starts:
        assert "SECRET_KEY is not set" in result.stderr


def test_the_served_application_loads_its_views_and_leaves_them_out_of_the_collector_s_sweeps():
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    code = "import gc, sys, hoilhpn.wsgi; print(gc.get_freeze_count(), 'reports.annual_views' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, "DEBUG": "true"}, capture_output=True, text=True
    )
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 10_000 and views_loaded == "True", result.stderr[-500:]
