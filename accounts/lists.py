"""The list of user accounts (a django-filter FilterSet and a django-tables2 Table)."""

import django_filters
import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.lists import SearchFilter, Table, TextColumn, YesNoFilter, link

User = get_user_model()


class UserFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("username", "first_name", "last_name", "roles__unit__name"))
    is_active = YesNoFilter(label=_("Status"), field_name="is_active", yes=_("active"), no=_("deactivated"))

    class Meta:
        model = User
        fields = []

    def filter_queryset(self, queryset):
        # A search through roles joins them: one row per account still.
        return super().filter_queryset(queryset).distinct()


class UserTable(Table):
    username = tables.Column(_("Username"), linkify=link, order_by=("username",))
    full_name = TextColumn(_("Full name"), accessor="get_full_name", order_by=("first_name", "last_name"))
    roles = tables.Column(_("Roles"), empty_values=(), orderable=False)
    is_active = tables.Column(_("Status"), orderable=False)
    card_title, card_meta = "username", ("full_name", "roles", "is_active")

    class Meta(Table.Meta):
        model = User
        fields = ()
        order_by = "username"

    def row_url(self, record) -> str:
        return reverse("accounts:user_detail", args=[record.pk])

    def _roles(self, record):
        return [(role.unit.name, f" · {role.title}" if role.title else "") for role in record.roles.all()]

    def render_roles(self, record):
        return format_html_join("", "<div>{}{}</div>", self._roles(record))

    def value_roles(self, record):
        return "; ".join(f"{unit}{title}" for unit, title in self._roles(record))

    def render_is_active(self, value):
        if value:
            return _("active")
        return format_html('<span class="text-danger">{}</span>', _("deactivated"))

    def value_is_active(self, value):
        return _("active") if value else _("deactivated")
