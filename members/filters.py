"""The register list's filters (a django-filter FilterSet): every field optional, a bad value ignored rather
than failing the page. With no status in the query the list shows active members; an empty status, all."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.lists import SearchFilter

from .constants import AGE_BANDS, ETHNIC_GROUPS, RELIGIONS, SpecialGroup, Status
from .models import Member


class MemberSearch(SearchFilter):
    """A name as a cadre types it (words in order), or a whole ID or phone number: ``MemberQuerySet.search``."""

    def filter(self, qs, value):
        text = (value or "").strip()[:200]
        return qs.search(text, self.parent.user) if text else qs


class MemberFilterSet(django_filters.FilterSet):
    q = MemberSearch(label=_("Name, ID or phone"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    age = django_filters.ChoiceFilter(
        label=_("Age"), choices=[(k, k) for k in AGE_BANDS], empty_label=_("Any age"), method="_age"
    )
    ethnicity = django_filters.ChoiceFilter(
        label=_("Ethnicity"), choices=[(n, n) for n in ETHNIC_GROUPS], empty_label=_("Any ethnicity")
    )
    religion = django_filters.ChoiceFilter(
        label=_("Religion"), choices=[(n, n) for n in RELIGIONS], empty_label=_("Any religion")
    )
    group = django_filters.ChoiceFilter(
        label=_("Special group"), choices=SpecialGroup.choices, empty_label=_("Any group"), method="_group"
    )
    core = django_filters.ChoiceFilter(
        label=_("Core member"),
        choices=[("yes", _("Core members")), ("no", _("Not core"))],
        empty_label=_("Core or not"),
        method="_core",
    )
    joined_year = django_filters.NumberFilter(
        label=_("Joined in"), min_value=1930, max_value=2100, method="_joined_year"
    )

    class Meta:
        model = Member
        fields = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        self.user = user
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        if "status" not in (self.data or {}):
            queryset = queryset.filter(status=Status.ACTIVE)
        return super().filter_queryset(queryset)

    def _age(self, queryset, name, value):
        return queryset.aged(value, timezone.localdate())

    def _group(self, queryset, name, value):
        return queryset.in_group(value)

    def _core(self, queryset, name, value):
        return queryset.filter(is_core=value == "yes")

    def _joined_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(joined_on__gte=datetime.date(year, 1, 1), joined_on__lt=datetime.date(year + 1, 1, 1))
