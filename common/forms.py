from django import forms
from django.core.exceptions import ValidationError

from common.params import parse_id


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


def unit_picker(field, *, empty: str | None = None) -> None:
    """Make a select of units searchable (tom-select) and grouped under each unit's parent, in the order the
    queryset gives (Vietnamese alphabetical order by parent, then name). Validation stays the queryset's.

    The grouped options are built when the select is drawn, not when the form is made: a form that is only
    validated (a POST, each row of an import) costs no query for them."""
    queryset = field.queryset
    first = [] if field.required and field.initial is None and empty is None else [("", empty or "—")]
    if field.empty_label is not None and not field.required:
        first = [("", empty or field.empty_label)]

    built: list = []  # once drawn, kept: the widget may walk its choices more than once

    def grouped():
        if built:
            return built[0]
        groups: dict[str, list] = {}
        for unit in queryset.select_related("parent"):
            groups.setdefault(unit.parent.name if unit.parent_id else "", []).append((unit.pk, unit_label(unit)))
        choices = list(first)
        for parent, options in groups.items():
            choices += options if not parent else [(parent, options)]
        built.append(choices)
        return choices

    field.choices = grouped
    field.widget.attrs.update({"data-picker": "unit"})


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
