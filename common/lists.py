"""Every list page is built one way: a django-filter FilterSet narrows a scoped queryset, a django-tables2 Table
sorts, paginates and draws it (a sortable table on a desktop, compact cards on a phone), and the same Table
writes its Excel export. The pieces here are the shared parts of those FilterSets and Tables."""

import datetime
import decimal
import tempfile

import django_filters
import django_tables2 as tables
from django.core.paginator import EmptyPage, Paginator
from django.db.models import F, Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.paginators import LazyPaginator
from django_tables2.rows import BoundRow

from branches.forms import DateInput
from common.collation import vi
from common.numbers import display
from common.params import query_page
from common.xlsx import HEADER, TITLE, XlsxStream

ALL = gettext_lazy("All")


class SearchFilter(django_filters.CharFilter):
    """Free text found in any of ``fields`` (case-insensitive)."""

    def __init__(self, *args, fields: tuple[str, ...] = (), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", gettext_lazy("Search"))
        kwargs.setdefault("method", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        text = (value or "").strip()[:200]
        if not text or not self.search_fields:
            return qs
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": text})
        return qs.filter(condition)


class ChoiceFilter(django_filters.ChoiceFilter):
    """A select whose first option is "All"; a value not among the choices is ignored, not an error page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)


class YesNoFilter(ChoiceFilter):
    """A yes/no question as a select of "All", ``yes`` and ``no`` (not the "Unknown" of a NullBooleanSelect)."""

    def __init__(self, *args, yes, no, **kwargs):
        kwargs.setdefault("method", self._yes_no)
        super().__init__(*args, choices=[("yes", yes), ("no", no)], **kwargs)

    def _yes_no(self, queryset, name, value):
        return queryset.filter(**{self.field_name: value == "yes"}) if value in ("yes", "no") else queryset


def _years() -> list:
    this_year = timezone.localdate().year
    return [("", gettext_lazy("All years"))] + [(y, str(y)) for y in range(this_year, 2018, -1)]


class PeriodFilterSet(django_filters.FilterSet):
    """The filters every list of dated records shares: a year, or a span (From/To), and a free-text search.
    The records' queryset carries ``between(start, end)``; the subtree is narrowed by the view (``?unit=``)."""

    year = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Year"), choices=_years, coerce=int, empty_value=None, method="_period"
    )
    start = django_filters.DateFilter(label=gettext_lazy("From"), widget=DateInput, method="_period")
    end = django_filters.DateFilter(label=gettext_lazy("To"), widget=DateInput, method="_period")
    q = SearchFilter()

    def _period(self, queryset, name, value):
        return queryset  # applied once, from all three fields, in filter_queryset

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        if not self.is_bound:
            return None, None
        data = self.form.cleaned_data if self.form.is_valid() else getattr(self.form, "cleaned_data", {})
        if data.get("year"):
            return datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        return data.get("start"), data.get("end")

    def filter_queryset(self, queryset):
        start, end = self.period()
        return super().filter_queryset(queryset.between(start, end))


def filtered(filterset_class, data, queryset, **kwargs):
    """A FilterSet on ``data`` (the query); unbound when the query holds no filter, so an empty form shows no
    errors. Invalid values are ignored field by field: the list shows, the chip does not."""
    names = set(filterset_class.base_filters)
    bound = data if any(key in names for key in data) else None
    return filterset_class(bound, queryset=queryset, **kwargs)


END = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


class NumberColumn(tables.Column):
    """A count or an amount: right-aligned, "160.000.000", "85,5"; exported as the number itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", END)
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return display(value)

    def value(self, value):
        return value


class TextColumn(tables.Column):
    """A name or title, sorted in Vietnamese order (ICU's collation on PostgreSQL, the same key on SQLite), with
    the row id breaking ties."""

    def order(self, queryset, is_descending):
        fields = self.order_by or (self.accessor,)
        ordering = []
        for field in [fields] if isinstance(fields, str) else fields:
            name = str(field).lstrip("-").replace(".", "__")
            expression = F(name) if name in ("id", "pk") else vi(name)
            ordering.append(expression.desc() if is_descending else expression.asc())
        return queryset.order_by(*ordering, "-id" if is_descending else "id"), True


class DateColumn(tables.DateColumn):
    """A day as dd/mm/yyyy; exported as a date."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("short", True)
        super().__init__(*args, **kwargs)

    def value(self, value):
        return value


def link(record, table) -> str:
    """``linkify=link``: a cell that leads where the row does."""
    return table.row_url(record)


class Table(tables.Table):
    """A list's table: sortable by its headings (``?sort=``, ``-`` for descending), paginated (``?page=``), drawn
    as a table on a desktop and as a column of cards on a phone. ``card_title`` names the column a card shows in
    bold and ``card_meta`` those on its second line; ``row_url(record)`` is where a row or card leads."""

    card_title: str = ""
    card_meta: tuple[str, ...] = ()

    class Meta:
        template_name = "common/table.html"
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle"}

    def row_url(self, record) -> str:
        return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""

    def cards(self):
        """(url, title, meta line) of each row of the current page, for the phone layout."""
        meta = [name for name in self.card_meta if name in self.columns]
        for row in self.paginated_rows:
            parts = [_shown(row.get_cell_value(name)) for name in meta]
            yield (
                self.row_url(row.record),
                row.get_cell_value(self.card_title) if self.card_title else str(row.record),
                " · ".join(part for part in parts if part and part != self.default),
            )

    def export_rows(self, chunk_size: int = 2000):
        """Every row of the filtered, sorted data (not only the current page), cells as the page shows them."""
        names = [column.name for column in self.columns]
        yield [str(self.columns[name].header) for name in names]
        data = self.data.data
        records = data.iterator(chunk_size=chunk_size) if hasattr(data, "iterator") else data
        for record in records:
            row = BoundRow(record, table=self)
            yield [_plain(row.get_cell_value(name)) for name in names]


def _shown(value) -> str:
    """A cell's value as a card's line shows it: dd/mm/yyyy, "1.234,5"."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | decimal.Decimal) and not isinstance(value, bool):
        return display(value)
    return str(value)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return str(value)


class NoCountPaginator(LazyPaginator):
    is_lazy = True


def _sort(request, table: Table) -> None:
    table.request = request
    order_by = [value for value in request.GET.getlist(table.prefixed_order_by_field)[:3] if value]
    if order_by:
        table.order_by = order_by


def configure(request, table: Table, *, per_page: int = 30, lazy: bool = False) -> Table:
    """Sort ``table`` by ``?sort=`` (unknown columns ignored) and show page ``?page=`` of ``per_page`` rows (a
    page past the end shows the last one). ``lazy`` pages without counting every row (a list of hundreds of
    thousands of members: one row more than a page tells whether there is a next one). The page size is ours,
    not the query's."""
    _sort(request, table)
    paginator = NoCountPaginator if lazy else Paginator
    try:
        table.paginate(paginator_class=paginator, per_page=per_page, page=query_page(request.GET))
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages or 1)
    return table


def xlsx_response(request, table: Table, *, title: str, unit=None, filename: str):
    """The table's rows, filtered and sorted as on screen (every page), as an .xlsx download (title, date,
    headings)."""
    _sort(request, table)
    # Handed to the response, which closes it once sent.
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    rows = table.export_rows()
    with XlsxStream(handle, title, freeze_rows=3) as sheet:
        sheet.row([f"{title} — {unit.name if unit else _('all your units')}"], TITLE)
        sheet.row([_("Exported on %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}])
        sheet.row(next(rows), HEADER)
        for row in rows:
            sheet.row(row)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)


class RecordTable(Table):
    """A unit's dated records: the date first, the title leading to the record, the unit last. ``url_name`` is
    the record's own page (its detail, else its form)."""

    unit = TextColumn(gettext_lazy("Unit"), accessor="unit__name", order_by=("unit__name",))
    url_name = ""

    class Meta(Table.Meta):
        sequence = ("...", "unit")

    def __init__(self, *args, url_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.url_name = url_name or self.url_name

    def row_url(self, record) -> str:
        return reverse(self.url_name, args=[record.pk])


def dated_column(field: str, label) -> DateColumn:
    """The day a record is dated by, sortable (newest first by default on record lists)."""
    return DateColumn(verbose_name=label, accessor=field, order_by=(field, "id"))


def title_column(field: str, label) -> tables.Column:
    """A record's title, leading to the record, sorted in Vietnamese order."""
    return TextColumn(verbose_name=label, accessor=field, linkify=link, order_by=(field,))
