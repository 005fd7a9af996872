from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/password/", views.user_password, name="user_password"),
    path("<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke, name="role_revoke"),
]
