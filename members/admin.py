from django import forms
from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import DataAccessLog
from accounts.services import log_data_access

from . import services
from .models import Member, MemberEvent, Membership, MergeRequest, TransferRequest
from .resources import MemberResource


class MemberAdminForm(forms.ModelForm):
    """Runs the register's rules (age, ID, normalisation) so the admin can't store what a form would refuse."""

    class Meta:
        model = Member
        fields = [*services.PROFILE_FIELDS, "branch"]

    def clean(self):
        data = super().clean()
        profile = {field: data.get(field) for field in services.PROFILE_FIELDS if field in data}
        cleaned = services.clean_profile(profile)
        services.check_id_free(cleaned.get("id_number", ""), None, exclude_pk=self.instance.pk)
        data.update(cleaned)
        return data


@admin.register(Member)
class MemberAdmin(ExportMixin, SimpleHistoryAdmin):
    form = MemberAdminForm
    resource_classes = [MemberResource]
    list_display = ["full_name", "birth_year", "id_number", "branch", "status", "joined_on"]
    list_filter = ["status", "ethnicity", "is_core"]
    search_fields = ["name_folded", "id_number", "phone"]
    raw_id_fields = ["branch"]
    list_select_related = ["branch"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Staff who are not superusers see the members of their own units only, as in the app.
        return super().get_queryset(request).for_user(request.user)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_data_for_export(self, request, queryset, **kwargs):
        log_data_access(
            user=request.user, kind=DataAccessLog.Kind.LIST_EXPORT, detail={"via": "admin", "rows": queryset.count()}
        )
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Moving a member is a transfer, with its event and acceptance: not an admin field edit.
        return ["branch"] if obj else []

    def save_model(self, request, obj, form, change):
        profile = {field: form.cleaned_data[field] for field in services.PROFILE_FIELDS if field in form.cleaned_data}
        if change:
            services.member_update(member=obj, actor=request.user, **profile)
        else:
            created = services.member_create(branch=form.cleaned_data["branch"], actor=request.user, **profile)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberEvent)
class MemberEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "kind", "member", "branch", "other_branch", "actor"]
    list_filter = ["kind"]
    raw_id_fields = ["member", "branch", "other_branch"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "branch", "started_on", "ended_on"]
    raw_id_fields = ["member", "branch"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransferRequest, MergeRequest)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False
