from dataclasses import dataclass

import pytest

from accounts.models import Role
from branches.models import Unit
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    """A province with two districts: alice works in commune A1 of district A, bob runs district A,
    charlie works in district B. ``province_admin`` administers the whole province."""

    province: Unit
    district_a: Unit
    district_b: Unit
    commune_a1: Unit
    commune_a2: Unit
    commune_b1: Unit
    branch_a1: Unit
    branch_a2: Unit
    branch_b1: Unit
    alice: object
    bob: object
    charlie: object
    province_admin: object


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Tỉnh Thử Nghiệm", code="91")
    district_a = DistrictFactory(parent=province, name="Huyện Tân An", code="911")
    district_b = DistrictFactory(parent=province, name="Huyện Hòa Bình", code="912")
    commune_a1 = CommuneFactory(parent=district_a, name="Xã Tân Ấn", code="91101")
    commune_a2 = CommuneFactory(parent=district_a, name="Xã Đông Hưng", code="91102")
    commune_b1 = CommuneFactory(parent=district_b, name="Xã Hòa Lạc", code="91201")
    branch_a1 = BranchFactory(parent=commune_a1, name="Chi hội Thôn Đông")
    branch_a2 = BranchFactory(parent=commune_a2, name="Chi hội Thôn Tây")
    branch_b1 = BranchFactory(parent=commune_b1, name="Chi hội Thôn Nam")
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    charlie = UserFactory(username="charlie")
    province_admin = UserFactory(username="tinh")
    Role.objects.create(user=alice, unit=commune_a1, can_enter=True)
    Role.objects.create(user=bob, unit=district_a, can_enter=True, can_approve=True, can_administer=True)
    Role.objects.create(user=charlie, unit=district_b, can_enter=True, can_administer=True)
    Role.objects.create(user=province_admin, unit=province, can_enter=True, can_approve=True, can_administer=True)
    return World(
        province,
        district_a,
        district_b,
        commune_a1,
        commune_a2,
        commune_b1,
        branch_a1,
        branch_a2,
        branch_b1,
        alice,
        bob,
        charlie,
        province_admin,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
