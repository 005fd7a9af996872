from django.urls import path

from . import views

app_name = "branches"
urlpatterns = [
    path("", views.unit_browser, name="unit_browser"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("<int:pk>/move/", views.unit_move, name="unit_move"),
    path("<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:pk>/add/", views.unit_add_child, name="unit_add_child"),
    path("<int:pk>/population/", views.unit_population, name="unit_population"),
]
