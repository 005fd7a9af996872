"""Parameter fuzzing: every URL, by GET and by POST, with each of its parameters set to odd values, is never a 500.

The parameters of a page are those its forms and links carry, and the ones most
pages read (``unit``, ``year``, ``page`` …). Each is sent alone with each odd
value, the other fields of a form keeping what the page filled in, so that one
refused value cannot hide another.
"""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.http import QueryDict

from tests.sweep import OWNED, arity, fill, patterns, records_in_district_a

# One of each kind that broke something once: a digit int() refuses, an overflow, a sign, a NUL (PostgreSQL
# refuses it in text), a word, the ends of the calendar, a long text.
ODD = ["²", "99999999999999999999", "-1", "\x00", "0001-01-01", "9999-12-31", "x" * 10_000]
# A form cleans each field on its own, so every field at once with an odd value tries them all; alone, each field
# also tries the values that pass a form's checks and break what comes after (a service, a constraint, date
# arithmetic). A query string is read one parameter after another, so an odd id would hide the rest: every
# parameter is tried alone with the values that break id and number parsing, and all but the ids together with
# every odd value.
GET_ALONE = ["²", "99999999999999999999"]
POST_ALONE = ["99999999999999999999", "0001-01-01"]
IDS = {"unit", "branch", "term", "period", "member"}
COMMON = ["unit", "branch", "term", "period", "year", "page", "member"]
_LINK_PARAM = re.compile(r"[?&;]([a-z_]{1,30})=")
_LATER_FORM = re.compile(r"^[\w]+-([1-9]\d*|__prefix__)-")  # the forms of a formset after the first are alike


class _Forms(HTMLParser):
    """The fields of each POST form with the values the page put in them, and the names of GET fields and links."""

    def __init__(self):
        super().__init__()
        self.post_forms: list[dict[str, str]] = []
        self.get_names: set[str] = set()
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._form = {} if (attrs.get("method") or "get").lower() == "post" else None
        elif tag == "a" and attrs.get("href"):
            self.get_names.update(_LINK_PARAM.findall(attrs["href"]))
        elif tag in ("input", "select", "textarea") and name:
            if self._form is None:
                self.get_names.add(name)
                return
            if tag == "input" and attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                self._form.setdefault(name, self._form.get(name, ""))
            elif tag == "input" and attrs.get("type") != "file":
                self._form[name] = attrs.get("value") or ""
            elif tag == "select":
                self._select = name
                self._form.setdefault(name, "")
            elif tag == "textarea":
                self._textarea = name
                self._form[name] = ""
        elif tag == "option" and self._select and self._form is not None and "selected" in attrs:
            self._form[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.post_forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data


@contextlib.contextmanager
def _query_reads(monkeypatch):
    """The names a page looks up in its query string, absent ones included (``get``, ``[]``, ``in``, ``getlist``).
    A name the plain request never looks up changes nothing when it is added alone: the page runs the same way,
    and at most copies it into its links (which every odd value at once tries). It need not be tried alone."""
    read: set = set()
    with monkeypatch.context() as patch:
        for method in ("get", "__getitem__", "__contains__", "getlist"):
            original = getattr(QueryDict, method)

            def looked_up(self, key, *args, _original=original, **kwargs):
                read.add(key)
                return _original(self, key, *args, **kwargs)

            patch.setattr(QueryDict, method, looked_up)
        yield read


def _paths(records):
    for name, route in patterns():
        kinds = arity(route)
        owned = iter([records[key].pk for key in OWNED.get(name, [])])
        values = [next(owned, records["member"].pk) if kind == "int" else "approve" for kind in kinds]
        yield name, fill(route, values)


@pytest.mark.django_db
def test_no_odd_parameter_is_a_500(world, login, settings, monkeypatch):
    settings.DEBUG = False
    records = records_in_district_a(world)
    client = login(world.province_admin)
    client.raise_request_exception = False
    # One parameter at a time is the long part of the sweep: it runs on PostgreSQL, the stricter database (it
    # refuses a NUL byte, an out-of-range integer); SQLite gets every value in every parameter at once.
    one_at_a_time = connection.vendor == "postgresql"
    errors = []
    for name, path in _paths(records):
        with _query_reads(monkeypatch) as read:
            page = client.get(path)
        forms = _Forms()
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            forms.feed(page.content.decode("utf-8", "replace"))
        params = sorted(forms.get_names | set(COMMON))
        alone = [param for param in params if param in read]  # alone, only the names the page looks up
        for value in ODD:
            response = client.get(path, dict.fromkeys([p for p in params if p not in IDS], value))
            if response.status_code >= 500:
                errors.append(("GET", name, "*", value[:20]))
        for param in alone if one_at_a_time else []:
            for value in GET_ALONE:
                response = client.get(path, {param: value})
                if response.status_code >= 500:
                    errors.append(("GET", name, param, value[:20]))
        for form in forms.post_forms:
            fields = [f for f in form if f != "csrfmiddlewaretoken" and not _LATER_FORM.match(f)]
            for value in ODD:
                response = client.post(path, {**form, **dict.fromkeys(fields, value)})
                if response.status_code >= 500:
                    errors.append(("POST", name, "*", value[:20]))
            for field in fields if one_at_a_time else []:
                for value in POST_ALONE:
                    response = client.post(path, {**form, field: value})
                    if response.status_code >= 500:
                        errors.append(("POST", name, field, value[:20]))
    assert not errors, f"{len(errors)} answers were a 500: {errors[:40]}"
