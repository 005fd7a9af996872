"""The tables of the cadre, training and classification lists (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.lists import DateColumn, NumberColumn, Table, TextColumn, link

from .models import Cadre, Classification, Training


class CadreTable(Table):
    full_name = TextColumn(_("Full name"), linkify=link, order_by=("full_name",))
    position = tables.Column(_("Position"), order_by=("position", "full_name", "id"))
    unit = tables.Column(_("Unit"), accessor="unit__name", order_by=("unit__path", "position", "full_name"))
    full_time = tables.BooleanColumn(_("Full-time"), yesno="✓,", orderable=False)
    meets_standard = tables.BooleanColumn(_("Meets the standard"), yesno="✓,", orderable=False)
    degree = tables.Column(_("Degree"), orderable=False)
    political_theory = tables.Column(_("Political theory"), orderable=False)
    card_title, card_meta = "full_name", ("position", "unit")

    class Meta(Table.Meta):
        model = Cadre
        fields = ()
        order_by = "unit"

    def row_url(self, record) -> str:
        return reverse("cadres:cadre_edit", args=[record.pk])


class TrainingTable(Table):
    started_on = DateColumn(verbose_name=_("From"), order_by=("started_on", "id"))
    topic = TextColumn(_("Topic"), order_by=("topic",))
    unit = TextColumn(_("Organiser"), accessor="unit__name", order_by=("unit__name",))
    participants = NumberColumn(_("Participants"))
    n_cadres = NumberColumn(_("Cadres trained"))
    card_title, card_meta = "topic", ("started_on", "unit")

    class Meta(Table.Meta):
        model = Training
        fields = ()
        order_by = "-started_on"

    def row_url(self, record) -> str:
        return ""


class ClassificationTable(Table):
    unit = tables.Column(_("Unit"), accessor="unit__name", order_by=("unit__path",))
    above = tables.Column(_("Under"), accessor="unit__parent__name", orderable=False)
    grade = tables.Column(_("Grade"), order_by=("grade", "unit__path"))
    card_title, card_meta = "unit", ("grade", "above")

    class Meta(Table.Meta):
        model = Classification
        fields = ()
        order_by = "unit"

    def row_url(self, record) -> str:
        return ""
