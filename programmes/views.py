"""Lists, forms and deletion of the programme records: the shared record views, with these types."""

from django.utils.translation import gettext_lazy as _

from supervision.forms import PeriodFilterForm
from supervision.views.records import RecordType

from . import forms, services
from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild

TABS = "programmes/_tabs.html"


def _type(key, model, form, save, argument, title, new_title, columns, date, title_field, search, **extra):
    return RecordType(
        key=key, model=model, form=form, filter_form=extra.pop("filter_form", PeriodFilterForm), save=save,
        instance_arg=argument, title=title, new_title=new_title, columns=columns,
        sorts={"date": date, "unit": "unit__name", "title": title_field}, search=search,
        branches=True, namespace="programmes", tabs=TABS, **extra,
    )  # fmt: skip


UNIT = (_("Unit"), "unit.name")

GROUP = _type(
    "group", Group, forms.GroupForm, services.group_save, "group",
    _("Groups, clubs and models"), _("New group, club or model"),
    [(_("Founded on"), "founded_on"), (_("Name"), "name"), (_("Kind"), "get_kind_display"), (_("Field"), "field"),
     (_("Members"), "members"), (_("Dissolved on"), "dissolved_on"), UNIT],
    "founded_on", "name", ("name", "field", "note"),
    filter_form=forms.GroupFilterForm, filters={"kind": "kind"},
)  # fmt: skip
CREDIT = _type(
    "credit", CreditStatement, forms.CreditForm, services.credit_save, "statement",
    _("Credit and savings"), _("New credit statement"),
    [(_("As of"), "as_of"), (_("Source"), "get_source_display"), (_("Outstanding (đồng)"), "outstanding"),
     (_("Borrowers"), "borrowers"), (_("Households"), "households"), (_("Groups"), "groups"),
     (_("New loans (đồng)"), "disbursed"), UNIT],
    "as_of", "source", ("note",),
    filter_form=forms.CreditFilterForm, filters={"source": "source"},
)  # fmt: skip
AWARD = _type(
    "award", Award, forms.AwardForm, services.award_save, "award",
    _("Emulation and awards"), _("New award"),
    [(_("Awarded on"), "awarded_on"), (_("Recipient"), "recipient"), (_("Kind"), "get_kind_display"),
     (_("Level"), "get_level_display"), (_("Received or given"), "get_direction_display"),
     (_("To"), "get_recipient_kind_display"), (_("Number"), "count"), UNIT],
    "awarded_on", "recipient", ("recipient", "reason"),
    filter_form=forms.AwardFilterForm, filters={"direction": "direction", "kind": "kind"},
)  # fmt: skip
TASK = _type(
    "task", KeyTask, forms.TaskForm, services.task_save, "task",
    _("Key tasks and works"), _("New key task or work"),
    [(_("Registered on"), "registered_on"), (_("Title"), "title"), (_("Kind"), "get_kind_display"),
     (_("Registered with"), "registered_with"), (_("Completed on"), "completed_on"), UNIT],
    "registered_on", "title", ("title", "registered_with", "note"),
    filter_form=forms.TaskFilterForm, filters={"kind": "kind"},
)  # fmt: skip
CONTEST = _type(
    "contest", Contest, forms.ContestForm, services.contest_save, "contest",
    _("Contests"), _("New contest"),
    [(_("Held on"), "held_on"), (_("Title"), "title"), (_("Participants"), "participants"),
     (_("Entries or ideas"), "entries"), UNIT],
    "held_on", "title", ("title", "note"),
)  # fmt: skip
CHARITY = _type(
    "charity", Charity, forms.CharityForm, services.charity_save, "charity",
    _("Charity"), _("New charity record"),
    [(_("Given on"), "given_on"), (_("Campaign"), "campaign"), (_("Value (đồng)"), "value"),
     (_("Gift packages"), "gifts"), (_("People helped"), "beneficiaries"), UNIT],
    "given_on", "campaign", ("campaign", "note"),
)  # fmt: skip
HOUSE = _type(
    "house", House, forms.HouseForm, services.house_save, "house",
    _("Houses built and repaired"), _("New house"),
    [(_("Handed over on"), "handed_over_on"), (_("For"), "beneficiary"), (_("Built or repaired"), "get_kind_display"),
     (_("Programme"), "programme"), (_("Value (đồng)"), "value"), UNIT],
    "handed_over_on", "beneficiary", ("beneficiary", "programme"),
    filter_form=forms.HouseFilterForm, filters={"kind": "kind"},
)  # fmt: skip
CHILD = _type(
    "child", SponsoredChild, forms.ChildForm, services.child_save, "sponsored",
    _("Sponsored children"), _("New sponsored child"),
    [(_("From"), "started_on"), (_("Child"), "child"), (_("Sponsor"), "sponsor"), (_("To"), "ended_on"), UNIT],
    "started_on", "child", ("child", "sponsor"),
)  # fmt: skip

RECORD_TYPES = [GROUP, CREDIT, AWARD, TASK, CONTEST, CHARITY, HOUSE, CHILD]
