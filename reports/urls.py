from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:period_id>/<int:unit_id>/", views.report_detail, name="report_detail"),
    path("decide/<int:pk>/<str:action>/", views.report_decide, name="report_decide"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:pk>/", views.indicator_list, name="indicator_edit"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
]
