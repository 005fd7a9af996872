from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision


class ReadOnlyAdmin(ExportMixin, SimpleHistoryAdmin):
    """For looking things up, reading their history and exporting (django-import-export); writes go through the
    app, where the rules are. Staff see and export the records of their own units only, as in the app."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "unit", "kind", "started_on"]
    list_filter = ["kind", "role"]
    search_fields = ["topic", "supervised_body"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["addressee", "unit", "source", "status", "due_on"]
    list_filter = ["status", "source"]
    search_fields = ["addressee", "content"]


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin):
    list_display = ["topic", "unit", "level", "held_on"]
    list_filter = ["level"]


@admin.register(DraftReview)
class DraftReviewAdmin(ReadOnlyAdmin):
    list_display = ["document", "unit", "kind", "received_on"]
    list_filter = ["kind", "taken_up"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "unit", "kind", "given_on"]
    list_filter = ["kind"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["subject", "unit", "kind", "status", "received_on"]
    list_filter = ["kind", "status"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "size", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
