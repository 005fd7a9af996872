import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Role
from accounts.scope import Action, scope_paths

User = get_user_model()


def test_scope_paths_follow_roles(world):
    assert scope_paths(world.alice, Action.VIEW) == [world.commune_a1.path]
    assert scope_paths(world.alice, Action.ADMINISTER) == []
    assert scope_paths(world.bob, Action.ADMINISTER) == [world.district_a.path]
    superuser = User.objects.create_superuser("root", password="x-very-long-pass")
    assert scope_paths(superuser, Action.ADMINISTER) is None


def test_user_list_shows_only_users_of_own_subtree(world, login):
    response = login(world.bob).get(reverse("accounts:user_list"))
    assert {u.username for u in response.context["table"].data.data} == {"alice", "bob"}
    response = login(world.charlie).get(reverse("accounts:user_list"))
    assert {u.username for u in response.context["table"].data.data} == {"charlie"}


def test_user_pages_are_404_for_non_administrators(world, login):
    assert login(world.alice).get(reverse("accounts:user_list")).status_code == 404
    assert login(world.alice).get(reverse("accounts:user_detail", args=[world.alice.pk])).status_code == 404


def test_user_detail_outside_scope_is_404(world, login):
    assert login(world.bob).get(reverse("accounts:user_detail", args=[world.alice.pk])).status_code == 200
    assert login(world.charlie).get(reverse("accounts:user_detail", args=[world.alice.pk])).status_code == 404
    response = login(world.charlie).post(
        reverse("accounts:user_password", args=[world.alice.pk]), {"password": "mot-mat-khau-moi-rat-dai"}
    )
    assert response.status_code == 404
    assert login(world.charlie).post(reverse("accounts:user_toggle_active", args=[world.alice.pk])).status_code == 404
    world.alice.refresh_from_db()
    assert world.alice.is_active
    assert world.alice.check_password("mat-khau-thu-nghiem-1")


def test_district_admin_creates_cadre_in_own_subtree(world, login):
    client = login(world.bob)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "canbo_xa",
            "full_name": "Vũ Thị Thu",
            "unit": world.commune_a2.pk,
            "title": "Chủ tịch",
            "password": "hoa-sen-no-ruc-ro",
            "can_enter": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="canbo_xa")
    assert (created.first_name, created.last_name) == ("Vũ Thị", "Thu")
    assert created.check_password("hoa-sen-no-ruc-ro")
    assert Role.objects.get(user=created).unit == world.commune_a2


def test_district_admin_cannot_place_user_outside_subtree(world, login):
    response = login(world.bob).post(
        reverse("accounts:user_create"),
        {"username": "ke_gian", "full_name": "Ai Đó", "unit": world.commune_b1.pk, "password": "hoa-sen-no-ruc-ro"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="ke_gian").exists()


def test_weak_password_is_refused_with_a_message(world, login):
    response = login(world.bob).post(
        reverse("accounts:user_create"),
        {"username": "yeu", "full_name": "Mật Khẩu Yếu", "unit": world.commune_a2.pk, "password": "1234567890"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="yeu").exists()


def test_user_changes_own_password(world, client):
    client.force_login(world.alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu-nghiem-1",
            "new_password1": "trang-sang-tren-song",
            "new_password2": "trang-sang-tren-song",
        },
    )
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.check_password("trang-sang-tren-song")


@pytest.mark.django_db
def test_repeated_failed_logins_are_locked_out(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "sai-mat-khau"})
    locked = client.post(reverse("login"), {"username": "alice", "password": "mat-khau-thu-nghiem-1"})
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()


def test_login_with_right_password(world, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "mat-khau-thu-nghiem-1"})
    assert response.status_code == 302
    assert client.get(reverse("branches:unit_browser")).status_code == 200


def test_ui_speaks_vietnamese(world, login):
    html = login(world.alice).get(reverse("branches:unit_browser")).content.decode()
    assert "Đơn vị của tôi" in html
    assert 'lang="vi"' in html
