from django.urls import path

from supervision.views import records

from . import views
from .views import RECORD_TYPES

app_name = "programmes"

urlpatterns = []
for kind in RECORD_TYPES:
    urlpatterns += [
        path(f"{kind.key}/", records.record_list, {"kind": kind}, name=f"{kind.key}_list"),
        path(f"{kind.key}/new/", records.record_edit, {"kind": kind}, name=f"{kind.key}_create"),
        path(f"{kind.key}/<int:pk>/", records.record_edit, {"kind": kind}, name=f"{kind.key}_edit"),
        path(f"{kind.key}/<int:pk>/delete/", records.record_delete, {"kind": kind}, name=f"{kind.key}_delete"),
        path(f"{kind.key}/import/", views.record_import, {"key": kind.key}, name=f"{kind.key}_import"),
        path(f"{kind.key}/import/template/", views.import_template, {"key": kind.key}, name=f"{kind.key}_template"),
    ]
