"""The tables of the programme lists (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.lists import DateColumn, NumberColumn, RecordTable, dated_column, title_column

from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild


class GroupTable(RecordTable):
    founded_on = dated_column("founded_on", _("Founded on"))
    name = title_column("name", _("Name"))
    kind = tables.Column(_("Kind"), orderable=False)
    field = tables.Column(_("Field"), orderable=False)
    members = NumberColumn(_("Members"))
    dissolved_on = DateColumn(verbose_name=_("Dissolved on"), orderable=False)
    card_title, card_meta = "name", ("kind", "founded_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Group, (), "-founded_on"


class CreditTable(RecordTable):
    as_of = dated_column("as_of", _("As of"))
    source = title_column("source", _("Source"))
    outstanding = NumberColumn(_("Outstanding (đồng)"))
    borrowers = NumberColumn(_("Borrowers"))
    households = NumberColumn(_("Households"))
    groups = NumberColumn(_("Groups"))
    disbursed = NumberColumn(_("New loans (đồng)"))
    card_title, card_meta = "source", ("as_of", "outstanding", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = CreditStatement, (), "-as_of"


class AwardTable(RecordTable):
    awarded_on = dated_column("awarded_on", _("Awarded on"))
    recipient = title_column("recipient", _("Recipient"))
    kind = tables.Column(_("Kind"), orderable=False)
    level = tables.Column(_("Level"), orderable=False)
    direction = tables.Column(_("Received or given"), orderable=False)
    recipient_kind = tables.Column(_("To"), orderable=False)
    count = NumberColumn(_("Number"))
    card_title, card_meta = "recipient", ("kind", "awarded_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Award, (), "-awarded_on"


class TaskTable(RecordTable):
    registered_on = dated_column("registered_on", _("Registered on"))
    title = title_column("title", _("Title"))
    kind = tables.Column(_("Kind"), orderable=False)
    registered_with = tables.Column(_("Registered with"), orderable=False)
    completed_on = DateColumn(verbose_name=_("Completed on"), orderable=False)
    card_title, card_meta = "title", ("registered_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = KeyTask, (), "-registered_on"


class ContestTable(RecordTable):
    held_on = dated_column("held_on", _("Held on"))
    title = title_column("title", _("Title"))
    participants = NumberColumn(_("Participants"))
    entries = NumberColumn(_("Entries or ideas"))
    card_title, card_meta = "title", ("held_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Contest, (), "-held_on"


class CharityTable(RecordTable):
    given_on = dated_column("given_on", _("Given on"))
    campaign = title_column("campaign", _("Campaign"))
    value = NumberColumn(_("Value (đồng)"))
    gifts = NumberColumn(_("Gift packages"))
    beneficiaries = NumberColumn(_("People helped"))
    card_title, card_meta = "campaign", ("given_on", "value", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = Charity, (), "-given_on"


class HouseTable(RecordTable):
    handed_over_on = dated_column("handed_over_on", _("Handed over on"))
    beneficiary = title_column("beneficiary", _("For"))
    kind = tables.Column(_("Built or repaired"), orderable=False)
    programme = tables.Column(_("Programme"), orderable=False)
    value = NumberColumn(_("Value (đồng)"))
    card_title, card_meta = "beneficiary", ("kind", "handed_over_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = House, (), "-handed_over_on"


class ChildTable(RecordTable):
    started_on = dated_column("started_on", _("From"))
    child = title_column("child", _("Child"))
    sponsor = tables.Column(_("Sponsor"), orderable=False)
    ended_on = DateColumn(verbose_name=_("To"), orderable=False)
    card_title, card_meta = "child", ("sponsor", "started_on", "unit")

    class Meta(RecordTable.Meta):
        model, fields, order_by = SponsoredChild, (), "-started_on"
