"""The board's list of the reports of the units below (a django-tables2 Table over the selector's lines, with a
state filter: the lines are the tree as it stood in the period, not a queryset)."""

import django_tables2 as tables
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.lists import ALL, Table, link

from .constants import ReportState

STATES = [("missing", _("not started")), *ReportState.choices]


class LineFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", ALL), *STATES], required=False)
    q = forms.CharField(label=_("Unit"), required=False, max_length=100)

    def apply(self, lines: list) -> list:
        if not self.is_valid():
            return lines
        state, text = self.cleaned_data["state"], self.cleaned_data["q"].strip().casefold()
        return [
            line for line in lines if (not state or line.state == state) and (not text or text in line.name.casefold())
        ]


class ChildReportTable(Table):
    name = tables.Column(_("Unit"), linkify=link, order_by=("sort_key",))
    state = tables.Column(_("State"), order_by=("state",))
    submitted = tables.Column(_("Submitted"), accessor="report__first_submitted_at", empty_values=(), orderable=False)
    below = tables.Column("", empty_values=(), orderable=False)
    card_title, card_meta = "name", ("state", "submitted")

    class Meta(Table.Meta):
        pass  # the selector's order (Vietnamese, by name) until a heading is clicked

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def row_url(self, record) -> str:
        return reverse("reports:report_detail", args=[self.period.pk, record.unit_id])

    def render_state(self, record):
        return render_to_string("reports/_badge.html", {"state": record.state, "label": record.state_label})

    def value_state(self, record):
        return record.state_label

    def render_submitted(self, record):
        if not (record.report and record.report.first_submitted_at):
            return ""
        timing = (
            format_html('<span class="text-success">{}</span>', _("on time"))
            if record.on_time
            else format_html('<span class="text-danger">{}</span>', _("late"))
        )
        return format_html("{} {}", self.value_submitted(record), timing)

    def value_submitted(self, record):
        if not (record.report and record.report.first_submitted_at):
            return ""
        return timezone.localtime(record.report.first_submitted_at).strftime("%d/%m/%Y")

    def render_below(self, record):
        url = f"?unit={record.unit_id}&period={self.period.pk}"
        return format_html('<a class="small" href="{}">{} ›</a>', url, _("below"))

    def value_below(self, record):
        return ""
