import pytest
from django.contrib.auth import get_user_model


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/branches/unit/",
        "/admin/accounts/role/",
        "/admin/branches/reorgevent/",
        "/admin/supervision/recommendation/",
    ],
)
def test_django_admin_pages_open_for_superuser(world, client, url):
    admin = get_user_model().objects.create_superuser("quantri", password="mot-mat-khau-dai-du")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 200


def test_django_admin_closed_to_cadres(world, login):
    response = login(world.bob).get("/admin/branches/unit/")
    assert response.status_code == 302


FIELDS = ["id", "full_name", "birth_year", "id_number", "phone", "branch", "commune"]


def _export(client) -> list[dict]:
    import csv
    import io

    data = {"format": "0", "resource": "0", **{f"memberresource_{name}": "on" for name in FIELDS}}
    response = client.post("/admin/members/member/export/", data)
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def staff(world):
    from accounts.models import Role
    from tests.factories import MemberFactory, UserFactory

    MemberFactory(branch=world.branch_a1, full_name="Lê Thị Một", id_number="024123456789", phone="0912345678")
    MemberFactory(branch=world.branch_b1, full_name="Lê Thị Hai", id_number="024987654321", phone="0987654321")
    user = UserFactory(username="nhanvien", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_member"))
    Role.objects.create(user=user, unit=world.district_a, can_enter=False)  # reads district A, keeps no register
    return user


def test_the_admin_exports_only_ones_units_with_numbers_masked_and_logged(world, staff, client):
    from accounts.models import DataAccessLog

    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    rows = _export(client)
    assert [row["full_name"] for row in rows] == ["Lê Thị Một"]  # not district B's member
    assert rows[0]["id_number"] == "0241******89" and rows[0]["phone"] != "0912345678"
    assert DataAccessLog.objects.filter(user=staff, kind="list_export").exists()


def test_the_admin_export_shows_numbers_to_those_who_keep_the_register(world, staff, client):
    staff.roles.update(can_enter=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert _export(client)[0]["id_number"] == "024123456789"
