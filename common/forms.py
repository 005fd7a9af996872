from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from common.params import parse_id, query_id
from common.text import fold


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with ids checked before they reach the database (SQLite overflows on 20-digit ids)."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:30]}
                )
        return super()._check_values(value)


def unit_label(unit) -> str:
    """A unit as a picker shows it: its name and, where it has one, its official code."""
    return f"{unit.name} ({unit.code})" if unit.code else unit.name


# A unit select draws every unit it offers while there are up to this many (a district's, or a province's
# communes); beyond (a province's branches, the country's units) it draws the chosen one and asks the page for
# the units matching what is typed: a national user's form held 10,000 options (650 KB) at four provinces.
PICKER_INLINE_MAX = 500
PICKER_RESULTS = 50


class UnitPickerSelect(forms.Select):
    """The select ``unit_picker`` makes (``static/js/pickers.js`` turns it into a searchable picker)."""

    def __init__(self, field, first, attrs=None):
        super().__init__(attrs)
        self.field = field  # its queryset as it is when the select is drawn
        self.first = first
        self._units: list | None = None

    def units(self) -> list:
        """Up to ``PICKER_INLINE_MAX`` + 1 of the field's units, read once: all of them, or a sign of too many."""
        if self._units is None:
            self._units = list(self.field.queryset.select_related("parent")[: PICKER_INLINE_MAX + 1])
        return self._units

    @property
    def remote(self) -> bool:
        return len(self.units()) > PICKER_INLINE_MAX

    def optgroups(self, name, value, attrs=None):
        if not self.remote:
            return super().optgroups(name, value, attrs)
        chosen = [pk for pk in (parse_id(str(v)) for v in value) if pk]
        units = self.field.queryset.filter(pk__in=chosen).select_related("parent") if chosen else []
        drawn = self.choices
        self.choices = [*self.first, *((unit.pk, unit_label(unit)) for unit in units)]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = drawn

    def use_required_attribute(self, initial):
        if not self.remote:
            return super().use_required_attribute(initial)
        # Django looks at the first of all the choices, which would read every unit.
        return self.is_required and not (self.first and self._choice_has_empty_value(self.first[0]))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.remote:
            context["widget"]["attrs"]["data-picker-remote"] = "1"
            context["widget"]["attrs"]["data-type-hint"] = _("Type a few letters of the unit's name, or its code.")
        return context


def unit_picker(field, *, empty: str | None = None) -> None:
    """Make a select of units searchable (tom-select) and grouped under each unit's parent, in the order the
    queryset gives (Vietnamese alphabetical order by parent, then name). Validation stays the queryset's.

    The grouped options are built when the select is drawn, not when the form is made: a form that is only
    validated (a POST, each row of an import) costs no query for them. More than ``PICKER_INLINE_MAX`` units
    are not drawn: the picker asks the page (``picker_options``) for those matching what is typed."""
    first = [] if field.required and field.initial is None and empty is None else [("", empty or "—")]
    if field.empty_label is not None and not field.required:
        first = [("", empty or field.empty_label)]

    built: list = []  # once drawn, kept: the widget may walk its choices more than once

    def grouped():
        if built:
            return built[0]
        groups: dict[str, list] = {}
        for unit in widget.units():
            groups.setdefault(unit.parent.name if unit.parent_id else "", []).append((unit.pk, unit_label(unit)))
        choices = list(first)
        for parent, options in groups.items():
            choices += options if not parent else [(parent, options)]
        built.append(choices)
        return choices

    widget = UnitPickerSelect(field, first, attrs={**field.widget.attrs, "data-picker": "unit"})
    widget.is_required = field.required
    field.widget = widget
    field.choices = grouped


def picker_options(request, *forms_) -> JsonResponse | None:
    """The units of a form's unit picker that match what is typed (``?picker=<field>&q=<text>``, and
    ``&parent=<id>`` for a branch picker that follows a commune picker), as the picker reads them; None when the
    request does not ask for them. The units are the field's own queryset: what the form would accept."""
    name = request.GET.get("picker")
    if request.method != "GET" or not name:
        return None
    field = next((f.fields[n] for f in forms_ for n in f.fields if f.add_prefix(n) == name), None)
    if field is None or not isinstance(field.widget, UnitPickerSelect):
        raise Http404
    units = field.queryset
    if parent := query_id(request.GET, "parent"):
        units = units.filter(parent_id=parent)
    for word in fold(request.GET.get("q", "")[:80]).split():
        units = units.filter(Q(name_folded__contains=word) | Q(parent__name_folded__contains=word) | Q(code=word))
    found = units.select_related("parent")[:PICKER_RESULTS]
    return JsonResponse(
        {
            "results": [
                {
                    "value": str(unit.pk),
                    "text": unit_label(unit),
                    "optgroup": unit.parent.name if unit.parent_id else "",
                }
                for unit in found
            ]
        }
    )


def active_filters(form, query, keep=("unit", "sort", "cols")) -> list[tuple[str, str, str]]:
    """(label, value as shown, the query without it) for each filter of a bound, valid ``form`` in use: the
    removable chips above a list."""
    from django.http import QueryDict

    if not form.is_bound or not form.is_valid():
        return []
    chips = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False) or name in keep:
            continue
        shown = dict(getattr(field, "choices", [])).get(value, value) if hasattr(field, "choices") else value
        if hasattr(value, "strftime"):
            shown = value.strftime("%d/%m/%Y")
        rest = QueryDict(mutable=True)
        for key, values in query.lists():
            if key not in (name, "page"):
                rest.setlist(key, values)
        chips.append((str(field.label), str(shown), rest.urlencode()))
    return chips
