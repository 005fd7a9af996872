from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("export/", views.member_export, name="member_export"),
    path("print/", views.member_print, name="member_print"),
    path("lookup/", views.member_lookup, name="member_lookup"),
    path("new/", views.member_create, name="member_create"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("<int:pk>/transfer-out/", views.member_transfer_out, name="member_transfer_out"),
    path("<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("<int:pk>/rejoin/", views.member_rejoin, name="member_rejoin"),
    path("<int:pk>/data/", views.member_data, name="member_data"),
    path("<int:pk>/erase/", views.member_anonymise, name="member_anonymise"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/<str:decision>/", views.transfer_decide, name="transfer_decide"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("merges/<int:pk>/<str:decision>/", views.merge_decide, name="merge_decide"),
]
