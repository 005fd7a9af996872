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
