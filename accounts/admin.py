from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DataAccessLog, Role


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "title", "can_enter", "can_approve", "can_administer"]
    raw_id_fields = ["user", "unit"]
    search_fields = ["user__username", "unit__name"]


@admin.register(DataAccessLog)
class DataAccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, not a record to correct."""

    list_display = ["at", "user", "kind", "unit", "member_id"]
    list_filter = ["kind"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
