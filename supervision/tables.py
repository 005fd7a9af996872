"""The tables of the supervision lists (django-tables2): their columns, sorting and cards."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from common.lists import NumberColumn, RecordTable, TextColumn, dated_column, link, title_column

from .models import Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision


class SupervisionTable(RecordTable):
    started_on = dated_column("started_on", _("From"))
    topic = title_column("topic", _("Topic"))
    kind = tables.Column(_("Kind"), orderable=False)
    supervised_body = tables.Column(_("Body or unit supervised"), orderable=False)
    n_recommendations = NumberColumn(_("Recommendations"))
    n_open = NumberColumn(_("Open"))
    card_title, card_meta = "topic", ("started_on", "unit")

    class Meta(RecordTable.Meta):
        model = Supervision
        fields = ()
        order_by = "-started_on"
        sequence = ("started_on", "topic", "kind", "supervised_body", "unit", "...")


class DraftReviewTable(RecordTable):
    received_on = dated_column("received_on", _("Received on"))
    document = title_column("document", _("Draft document"))
    kind = tables.Column(_("Kind"), orderable=False)
    requested_by = tables.Column(_("Requesting body"), orderable=False)
    opinions = NumberColumn(_("Opinions"))
    taken_up = tables.Column(_("Taken up"), orderable=False)
    card_title, card_meta = "document", ("received_on", "unit")

    class Meta(RecordTable.Meta):
        model = DraftReview
        fields = ()
        order_by = "-received_on"


class ContributionTable(RecordTable):
    given_on = dated_column("given_on", _("Date"))
    topic = title_column("topic", _("Topic"))
    kind = tables.Column(_("Kind"), orderable=False)
    recipient = tables.Column(_("To"), orderable=False)
    opinions = NumberColumn(_("Opinions"))
    card_title, card_meta = "topic", ("given_on", "unit")

    class Meta(RecordTable.Meta):
        model = Contribution
        fields = ()
        order_by = "-given_on"


class CaseTable(RecordTable):
    received_on = dated_column("received_on", _("Date"))
    subject = title_column("subject", _("Subject"))
    kind = tables.Column(_("Kind"), orderable=False)
    outcome = tables.Column(_("Outcome"), accessor="outcome_label", orderable=False)
    card_title, card_meta = "subject", ("received_on", "outcome", "unit")

    class Meta(RecordTable.Meta):
        model = Case
        fields = ()
        order_by = "-received_on"


class RecommendationTable(RecordTable):
    addressee = TextColumn(_("Addressee"), order_by=("addressee",))
    content = tables.Column(_("Content"), linkify=link, orderable=False)
    made_on = dated_column("made_on", _("Made on"))
    due_on = dated_column("due_on", _("Due on"))
    status = tables.Column(_("Status"), orderable=False)
    url_name = "supervision:recommendation_detail"
    card_title, card_meta = "content", ("addressee", "due_on", "status", "unit")

    class Meta(RecordTable.Meta):
        model = Recommendation
        fields = ()
        order_by = "due_on"
        sequence = ("addressee", "content", "made_on", "due_on", "status", "unit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_content(self, value):
        return Truncator(value).chars(90)

    def value_content(self, value):
        return value

    def render_status(self, record):
        record.overdue = record.is_overdue(self.today)
        return render_to_string("supervision/_status.html", {"r": record})

    def value_status(self, record):
        overdue = record.is_overdue(self.today)
        return f"{record.get_status_display()} · {_('overdue')}" if overdue else record.get_status_display()


class DialogueTable(RecordTable):
    held_on = dated_column("held_on", _("Held on"))
    topic = title_column("topic", _("Topic"))
    level = tables.Column(_("Level"), orderable=False)
    n_opinions = NumberColumn(_("Opinions"))
    n_open = NumberColumn(_("Commitments open"))
    url_name = "supervision:dialogue_detail"
    card_title, card_meta = "topic", ("held_on", "unit")

    class Meta(RecordTable.Meta):
        model = Dialogue
        fields = ()
        order_by = "-held_on"
        sequence = ("held_on", "topic", "level", "unit", "n_opinions", "n_open")
