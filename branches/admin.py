from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Lineage, ReorgEvent, Unit, UnitPeriod, UnitPopulation


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type"]
    search_fields = ["name", "name_folded", "code"]
    raw_id_fields = ["parent"]
    # Reorganisations go through the services so that periods and lineage stay right.
    readonly_fields = ["parent", "level", "valid_from", "valid_to"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitPeriod)
class UnitPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["unit", "parent"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReorgEvent)
class ReorgEventAdmin(admin.ModelAdmin):
    list_display = ["effective_on", "kind", "summary", "actor"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Lineage)


@admin.register(UnitPopulation)
class UnitPopulationAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "women_18_plus"]
    raw_id_fields = ["unit"]
