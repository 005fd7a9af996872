"""Template helpers shared by every app: Bootstrap widgets, Vietnamese numbers, query strings."""

from django import forms, template
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()


@register.filter
def widget(field):
    """Render a bound field's widget with the Bootstrap class its kind needs, and is-invalid on errors."""
    w = field.field.widget
    if isinstance(w, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field.as_widget()
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{w.attrs.get('class', '')} {css}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_multi(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def vn_number(value) -> str:
    """1234567 -> "1.234.567" whatever the active locale (used in text that is not localised by Django)."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" drops one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label) -> str:
    """A column heading that sorts by ``key``, reversing on a second click, with an arrow on the active one."""
    current = context.get("sort", "")
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    target = f"-{key}" if current == key else key
    return format_html('<a href="{}">{}{}</a>', query(context, sort=target, page=None), label, arrow)


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:name }}``: a dict entry by a key held in a variable."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def get_field(form, name):
    """A form's bound field by a name held in a variable."""
    return form[name]


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields of ``form`` that have errors, in the form's order: the summary at its top links to them,
    so a cadre on a phone sees at once what to correct."""
    return [field for field in form.visible_fields() if field.errors]
