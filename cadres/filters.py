"""The filters of the cadre, training and classification lists (django-filter FilterSets)."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.lists import ChoiceFilter, SearchFilter, YesNoFilter

from .models import Cadre, Classification, Grade, Position, Term, Training
from .selectors import current_term


class CadreFilterSet(django_filters.FilterSet):
    """Cadres of one term (the current one unless another is chosen), by name and position."""

    q = SearchFilter(fields=("full_name",))
    term = django_filters.ModelChoiceFilter(label=_("Term"), queryset=Term.objects.all(), empty_label=None)
    position = ChoiceFilter(label=_("Position"), choices=Position.choices)
    full_time = YesNoFilter(label=_("Full-time"), field_name="full_time", yes=_("Full-time"), no=_("Part-time"))

    class Meta:
        model = Cadre
        fields = []

    def _chosen(self):
        if not self.is_bound:
            return None
        self.form.is_valid()  # fills cleaned_data with the fields that are valid, whatever the others hold
        return self.form.cleaned_data.get("term")

    @cached_property
    def listed_term(self):
        """The term listed: the one chosen, else the current one."""
        return self._chosen() or current_term()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        term = self.listed_term
        return queryset if self._chosen() or term is None else queryset.filter(term=term)


class TrainingFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("topic",))
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="started_on", lookup_expr="year", min_value=1930, max_value=2100
    )

    class Meta:
        model = Training
        fields = []


class ClassificationFilterSet(django_filters.FilterSet):
    q = SearchFilter(fields=("unit__name",))
    grade = ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    level = ChoiceFilter(
        label=_("Level"), field_name="unit__level", choices=[("commune", _("Communes")), ("branch", _("Branches"))]
    )

    class Meta:
        model = Classification
        fields = []
