"""Template rules that hold across the project."""

import re
from pathlib import Path

from django.template import Context, Template

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# {{ x.pk }} would print 12345 as "12.345" with the Vietnamese thousands separator on.
BARE_ID = re.compile(r"\{\{\s*[\w.]+(\.pk|_id)\s*\}\}")


def test_ids_in_templates_are_never_localised():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in BARE_ID.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_large_id_stays_whole_in_a_link(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    rendered = Template('?unit={{ unit.pk|stringformat:"d" }} {{ unit.pk }}').render(Context({"unit": {"pk": 12345}}))
    assert rendered.startswith("?unit=12345 ")
    assert rendered.endswith("12.345")  # what the rule above prevents
