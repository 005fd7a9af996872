from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("new/", views.cadre_edit, name="cadre_create"),
    path("<int:pk>/", views.cadre_edit, name="cadre_edit"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("classifications/", views.classification_list, name="classification_list"),
]
