from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.follow_up_board, name="board"),
    path("figures/", views.figures, name="figures"),
    path("supervisions/", views.record_list, {"kind": "supervision"}, name="supervision_list"),
    path("supervisions/new/", views.record_edit, {"kind": "supervision"}, name="supervision_create"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervisions/<int:pk>/edit/", views.record_edit, {"kind": "supervision"}, name="supervision_edit"),
    path("supervisions/<int:pk>/delete/", views.record_delete, {"kind": "supervision"}, name="supervision_delete"),
    path("supervisions/<int:pk>/recommendations/", views.recommendation_create, name="recommendation_create"),
    path("supervisions/<int:pk>/files/", views.attachment_add, {"owner": "supervision"}, name="supervision_attach"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("dialogues/", views.dialogue_list, name="dialogue_list"),
    path("dialogues/new/", views.dialogue_edit, name="dialogue_create"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("dialogues/<int:pk>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:pk>/delete/", views.record_delete, {"kind": "dialogue"}, name="dialogue_delete"),
    path("dialogues/<int:pk>/files/", views.attachment_add, {"owner": "dialogue"}, name="dialogue_attach"),
    path("reviews/", views.record_list, {"kind": "review"}, name="review_list"),
    path("reviews/new/", views.record_edit, {"kind": "review"}, name="review_create"),
    path("reviews/<int:pk>/", views.record_edit, {"kind": "review"}, name="review_edit"),
    path("reviews/<int:pk>/delete/", views.record_delete, {"kind": "review"}, name="review_delete"),
    path("contributions/", views.record_list, {"kind": "contribution"}, name="contribution_list"),
    path("contributions/new/", views.record_edit, {"kind": "contribution"}, name="contribution_create"),
    path("contributions/<int:pk>/", views.record_edit, {"kind": "contribution"}, name="contribution_edit"),
    path("contributions/<int:pk>/delete/", views.record_delete, {"kind": "contribution"}, name="contribution_delete"),
    path("cases/", views.record_list, {"kind": "case"}, name="case_list"),
    path("cases/new/", views.record_edit, {"kind": "case"}, name="case_create"),
    path("cases/<int:pk>/", views.record_edit, {"kind": "case"}, name="case_edit"),
    path("cases/<int:pk>/delete/", views.record_delete, {"kind": "case"}, name="case_delete"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
