"""The list of imports (a django-filter FilterSet and a django-tables2 Table): the files of one's communes,
newest first."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.lists import ChoiceFilter, NumberColumn, SearchFilter, Table, TextColumn, link

from .models import ImportJob

STATE_BADGES = {"done": "success", "failed": "danger", "ready": "primary", "cancelled": "secondary"}


class ImportFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("file_name", "commune__name", "branch__name"))
    state = ChoiceFilter(label=_("State"), choices=ImportJob.State.choices)

    class Meta:
        model = ImportJob
        fields = []


class ImportTable(Table):
    file_name = TextColumn(_("File"), linkify=link, order_by=("file_name",))
    commune = TextColumn(_("Commune union"), accessor="commune__name", order_by=("commune__name",))
    state = tables.Column(_("State"), order_by=("state", "id"))
    new = NumberColumn(_("New"), accessor="preview__counts__new", empty_values=())
    rejected = NumberColumn(_("Rejected"), accessor="preview__counts__rejected", empty_values=())
    created_at = tables.Column(_("Uploaded"), order_by=("created_at", "id"))
    card_title, card_meta = "file_name", ("state", "commune", "created_at")

    class Meta(Table.Meta):
        model = ImportJob
        fields = ()
        order_by = "-created_at"

    def row_url(self, record) -> str:
        return reverse("imports:import_detail", args=[record.pk])

    def render_file_name(self, value, record):
        branch = format_html('<div class="small text-muted">{}</div>', record.branch.name) if record.branch_id else ""
        return format_html("{}{}", value, branch)

    def value_file_name(self, value):
        return value

    def render_state(self, record):
        badge = STATE_BADGES.get(record.state, "warning")
        return format_html('<span class="badge text-bg-{}">{}</span>', badge, record.get_state_display())

    def value_state(self, record):
        return record.get_state_display()

    def render_created_at(self, record):
        who = record.created_by.get_full_name() or record.created_by.username if record.created_by_id else ""
        return format_html('{}<div class="text-muted small">{}</div>', self.value_created_at(record), who)

    def value_created_at(self, record):
        return timezone.localtime(record.created_at).strftime("%d/%m/%Y %H:%M")
