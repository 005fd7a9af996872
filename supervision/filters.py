"""The filters of the supervision lists (django-filter FilterSets)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.lists import ChoiceFilter, PeriodFilterSet, SearchFilter

from .constants import (
    CaseKind,
    CaseStatus,
    ContributionKind,
    OpinionField,
    OpinionOutcome,
    RecommendationStatus,
    ReviewKind,
    Source,
    SupervisionKind,
)
from .models import Case, Contribution, Dialogue, DraftReview, Recommendation, Supervision


class PeriodOnlyFilterSet(PeriodFilterSet):
    """The period alone, for pages that count rather than list (the figures)."""

    class Meta:
        model = Supervision
        fields = []


class SupervisionFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("topic", "legal_basis", "supervised_body"))
    kind = ChoiceFilter(label=_("Kind"), choices=SupervisionKind.choices)

    class Meta:
        model = Supervision
        fields = []


class DraftReviewFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("document", "requested_by", "content"))
    kind = ChoiceFilter(label=_("Kind"), choices=ReviewKind.choices)

    class Meta:
        model = DraftReview
        fields = []


class ContributionFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("topic", "recipient", "note"))
    kind = ChoiceFilter(label=_("Kind"), choices=ContributionKind.choices)

    class Meta:
        model = Contribution
        fields = []


class CaseFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("subject", "detail"))
    kind = ChoiceFilter(label=_("Kind"), choices=CaseKind.choices)
    status = ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)

    class Meta:
        model = Case
        fields = []


class RecommendationFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("addressee", "content"))
    status = ChoiceFilter(
        label=_("Status"),
        choices=[*RecommendationStatus.choices, ("open", _("Open")), ("overdue", _("Overdue"))],
        method="_status",
    )
    source = ChoiceFilter(label=_("Source"), choices=Source.choices)

    class Meta:
        model = Recommendation
        fields = []

    def _status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue_on(timezone.localdate())
        return queryset.filter(status=value)


class DialogueFilterSet(PeriodFilterSet):
    q = SearchFilter(fields=("topic", "leaders", "place"))
    field = ChoiceFilter(label=_("Field"), choices=OpinionField.choices, method="_opinions")
    outcome = ChoiceFilter(label=_("Outcome"), choices=OpinionOutcome.choices, method="_opinions")

    class Meta:
        model = Dialogue
        fields = []

    def _opinions(self, queryset, name, value):
        # One opinion must have both the field and the outcome asked for: one subquery, made by the first of them.
        data = self.form.cleaned_data
        if name == "outcome" and data.get("field"):
            return queryset
        wanted = Q(**{f"opinions__{key}": data[key] for key in ("field", "outcome") if data.get(key)})
        return queryset.filter(pk__in=Dialogue.objects.filter(wanted).values("pk"))
