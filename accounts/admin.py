from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Role


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "title", "can_enter", "can_approve", "can_administer"]
    raw_id_fields = ["user", "unit"]
    search_fields = ["user__username", "unit__name"]
