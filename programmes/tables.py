"""The tables of the programme lists (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.lists import DateColumn, NumberColumn
from supervision.tables import RecordTable, _dated, _title

from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild


class GroupTable(RecordTable):
    founded_on = _dated("founded_on", _("Founded on"))
    name = _title("name", _("Name"))
    kind = tables.Column(_("Kind"), orderable=False)
    field = tables.Column(_("Field"), orderable=False)
    members = NumberColumn(_("Members"))
    dissolved_on = DateColumn(verbose_name=_("Dissolved on"), orderable=False)
    card_title, card_meta = "name", ("kind", "founded_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Group, (), "-founded_on"


class CreditTable(RecordTable):
    as_of = _dated("as_of", _("As of"))
    source = _title("source", _("Source"))
    outstanding = NumberColumn(_("Outstanding (đồng)"))
    borrowers = NumberColumn(_("Borrowers"))
    households = NumberColumn(_("Households"))
    groups = NumberColumn(_("Groups"))
    disbursed = NumberColumn(_("New loans (đồng)"))
    card_title, card_meta = "source", ("as_of", "outstanding", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = CreditStatement, (), "-as_of"


class AwardTable(RecordTable):
    awarded_on = _dated("awarded_on", _("Awarded on"))
    recipient = _title("recipient", _("Recipient"))
    kind = tables.Column(_("Kind"), orderable=False)
    level = tables.Column(_("Level"), orderable=False)
    direction = tables.Column(_("Received or given"), orderable=False)
    recipient_kind = tables.Column(_("To"), orderable=False)
    count = NumberColumn(_("Number"))
    card_title, card_meta = "recipient", ("kind", "awarded_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Award, (), "-awarded_on"


class TaskTable(RecordTable):
    registered_on = _dated("registered_on", _("Registered on"))
    title = _title("title", _("Title"))
    kind = tables.Column(_("Kind"), orderable=False)
    registered_with = tables.Column(_("Registered with"), orderable=False)
    completed_on = DateColumn(verbose_name=_("Completed on"), orderable=False)
    card_title, card_meta = "title", ("registered_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = KeyTask, (), "-registered_on"


class ContestTable(RecordTable):
    held_on = _dated("held_on", _("Held on"))
    title = _title("title", _("Title"))
    participants = NumberColumn(_("Participants"))
    entries = NumberColumn(_("Entries or ideas"))
    card_title, card_meta = "title", ("held_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Contest, (), "-held_on"


class CharityTable(RecordTable):
    given_on = _dated("given_on", _("Given on"))
    campaign = _title("campaign", _("Campaign"))
    value = NumberColumn(_("Value (đồng)"))
    gifts = NumberColumn(_("Gift packages"))
    beneficiaries = NumberColumn(_("People helped"))
    card_title, card_meta = "campaign", ("given_on", "value", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Charity, (), "-given_on"


class HouseTable(RecordTable):
    handed_over_on = _dated("handed_over_on", _("Handed over on"))
    beneficiary = _title("beneficiary", _("For"))
    kind = tables.Column(_("Built or repaired"), orderable=False)
    programme = tables.Column(_("Programme"), orderable=False)
    value = NumberColumn(_("Value (đồng)"))
    card_title, card_meta = "beneficiary", ("kind", "handed_over_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = House, (), "-handed_over_on"


class ChildTable(RecordTable):
    started_on = _dated("started_on", _("From"))
    child = _title("child", _("Child"))
    sponsor = tables.Column(_("Sponsor"), orderable=False)
    ended_on = DateColumn(verbose_name=_("To"), orderable=False)
    card_title, card_meta = "child", ("sponsor", "started_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = SponsoredChild, (), "-started_on"
