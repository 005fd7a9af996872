from django.urls import path

from . import annual_views, signing_views, views

app_name = "reports"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:period_id>/<int:unit_id>/", views.report_detail, name="report_detail"),
    path("decide/<int:pk>/<str:action>/", views.report_decide, name="report_decide"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<int:pk>/", views.indicator_list, name="indicator_edit"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("annual/", annual_views.annual_report, name="annual"),
    path("annual/text/", annual_views.narrative_edit, name="narrative_edit"),
    path("annual/print/", annual_views.document_create, name="document_create"),
    path("documents/<int:pk>/", annual_views.document_detail, name="document_detail"),
    path("documents/<int:pk>/progress/", annual_views.document_progress, name="document_progress"),
    path("documents/<int:pk>/download/", annual_views.document_download, name="document_download"),
    path("dashboard/", annual_views.dashboard, name="dashboard"),
    path("annual/sign/", signing_views.report_sign, name="sign"),
    path("signed/<int:pk>/", signing_views.signed_detail, name="signed_detail"),
]
