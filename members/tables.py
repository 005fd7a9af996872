"""The register list's table (django-tables2): a numbered, sortable table of chosen columns on a desktop, a
column of compact cards (name, birth year, branch, status) on a phone."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.scope import personal_shown
from common.lists import END, DateColumn, Table, link

from .constants import Status
from .selectors import SORTS

# Optional columns of the list: key -> heading. The user's choice is kept in her session.
OPTIONAL = {
    "born": _("Born"),
    "ethnicity": _("Ethnicity"),
    "religion": _("Religion"),
    "id_number": _("ID number"),
    "phone": _("Phone"),
    "address": _("Address"),
    "branch": _("Branch"),
    "joined": _("Joined"),
    "core": _("Core"),
    "groups": _("Special groups"),
    "status": _("Status"),
}
DEFAULT_COLUMNS = ["born", "id_number", "phone", "branch", "joined"]


class PersonalColumn(tables.Column):
    """A citizen ID or phone: in full for those who keep her register, masked for everyone else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, orderable=False, attrs={"td": {"class": "figure-value"}}, **kwargs)

    def render(self, value, record, table):
        return personal_shown(table.user, value, record.branch.path)

    def value(self, value, record, table):
        return self.render(value, record, table)


class MemberTable(Table):
    number = tables.Column("#", empty_values=(), orderable=False, attrs=END)
    name = tables.Column(_("Full name"), accessor="full_name", linkify=link, order_by=SORTS["name"])
    born = tables.Column(_("Born"), accessor="birth_year", order_by=SORTS["born"])
    ethnicity = tables.Column(_("Ethnicity"), orderable=False)
    religion = tables.Column(_("Religion"), orderable=False)
    id_number = PersonalColumn(_("ID number"))
    phone = PersonalColumn(_("Phone"))
    address = tables.Column(_("Address"), orderable=False)
    branch = tables.Column(_("Branch"), accessor="branch__name", order_by=SORTS["branch"])
    joined = DateColumn(verbose_name=_("Joined"), accessor="joined_on", order_by=SORTS["joined"])
    core = tables.BooleanColumn(_("Core"), accessor="is_core", orderable=False, yesno="✓,")
    groups = tables.Column(_("Special groups"), accessor="group_labels", orderable=False, empty_values=())
    status = tables.Column(_("Status"), orderable=False)

    class Meta(Table.Meta):
        order_by = "name"

    def __init__(self, *args, user=None, columns=(), per_page: int = 50, **kwargs):
        chosen = set(columns)
        exclude = [key for key in OPTIONAL if key not in chosen]
        super().__init__(*args, exclude=exclude, **kwargs)
        self.user = user
        self.per_page = per_page

    def row_url(self, record) -> str:
        return reverse("members:member_detail", args=[record.pk])

    def render_number(self):
        # The rows' numbers across pages: the page's first number, then one more per row.
        if not hasattr(self, "_next_number"):
            self._next_number = (self.page.number - 1) * self.per_page if hasattr(self, "page") else 0
        self._next_number += 1
        return self._next_number

    def render_born(self, record):
        if record.date_of_birth:
            return record.date_of_birth.strftime("%d/%m/%Y")
        return str(record.birth_year or "")  # a year is never grouped ("1.959")

    def value_born(self, record):
        return record.birth_year or ""

    def render_branch(self, record):
        above = record.branch.parent.name if record.branch.parent_id else ""
        return format_html('{}<div class="small text-muted">{}</div>', record.branch.name, above)

    def value_branch(self, record):
        return record.branch.name

    def render_groups(self, value):
        return ", ".join(value)

    def cards(self):
        # Always her birth year and branch, whatever columns the desktop shows; the status only when not active.
        for row in self.paginated_rows:
            member = row.record
            status = "" if member.status == Status.ACTIVE else member.get_status_display()
            meta = [str(member.birth_year or ""), member.branch.name, status]
            yield self.row_url(member), member.full_name, " · ".join(part for part in meta if part)
