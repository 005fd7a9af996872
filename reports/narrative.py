"""The report's narrative: a Vietnamese draft generated from the figures, in which every number is a token.

A token ``[[members.total]]`` prints a figure, ``[[members.total|prev]]`` its
previous value and ``[[members.total|trend]]`` "tăng 9.732" / "giảm 120".
The office edits the text freely; the numbers stay tokens, so they always show
the report's figures and link back to them on screen.
"""

import decimal
import re

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .selectors.annual import Report

TOKEN = re.compile(r"\[\[([A-Za-z0-9_.:+\-]+)(?:\|(prev|trend))?\]\]")


def number(value, percent: bool = False) -> str:
    """Vietnamese number format: "1.234.567", "66,35"."""
    if value is None:
        return "…"
    if isinstance(value, decimal.Decimal) and value != value.to_integral_value():
        whole, _dot, fraction = f"{value.quantize(decimal.Decimal('0.01')):,}".partition(".")
        return f"{whole.replace(',', '.')},{fraction.rstrip('0')}"
    return f"{int(value):,}".replace(",", ".")


def trend(change) -> str:
    if change is None:
        return "…"
    if change > 0:
        return f"tăng {number(change)}"
    if change < 0:
        return f"giảm {number(-change)}"
    return "không thay đổi"


def anchor(key: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", key)


def _text(report: Report, key: str, mode: str | None) -> str | None:
    figure = report.figures.get(key)
    if figure is None:
        return None
    if mode == "prev":
        return number(figure.previous, figure.percent)
    if mode == "trend":
        return trend(figure.change)
    return number(figure.value, figure.percent)


def unknown_tokens(text: str, report: Report) -> list[tuple[int, str]]:
    """(line number, token) of every token that names no figure of the report."""
    known = report.figures
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(0))
        for match in TOKEN.finditer(text)
        if match.group(1) not in known
    ]


def draft(report: Report) -> str:
    """The generated Vietnamese draft, in the style of the Union's public reports."""
    level = report.unit.level
    context = {
        "r": report,
        # Figures by a name a template can read: "members.age:18-30" -> f.members_age_18_30.
        "f": {re.sub(r"[^A-Za-z0-9]", "_", key): figure for key, figure in report.figures.items()},
        "where": {"province": "toàn tỉnh", "district": "toàn huyện"}.get(level, report.name),
        "prev_label": report.previous_span.label.lower(),
        "indicators": [f for s in report.sections if s.key == "movements" for f in s.figures],
        "below": report.below_floor[:5],
    }
    text = render_to_string("reports/narrative_draft.txt", context)
    # Paragraphs are separated by one blank line; the template's own line breaks are not the text's.
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def render_html(text: str, report: Report):
    """Paragraphs with every number linked to its figure; unknown tokens are marked, not hidden."""
    figures = report.figures

    def replace(match):
        key, mode = match.group(1), match.group(2)
        shown = _text(report, key, mode)
        if shown is None:
            return format_html('<mark title="{}">{}</mark>', _("No such figure in this report"), match.group(0))
        return format_html(
            '<a class="figure-link" href="#{}" title="{}">{}</a>', anchor(key), figures[key].label, shown
        )

    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        pieces, last = [], 0
        for match in TOKEN.finditer(paragraph):
            pieces.append(escape(paragraph[last : match.start()]))
            pieces.append(replace(match))
            last = match.end()
        pieces.append(escape(paragraph[last:]))
        paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # every piece was escaped above


def render_plain(text: str, report: Report) -> list[str]:
    """Paragraphs of plain text with the numbers filled in, for the PDF and the xlsx."""
    filled = TOKEN.sub(lambda m: _text(report, m.group(1), m.group(2)) or m.group(0), text.strip())
    return [p.strip() for p in re.split(r"\n\s*\n", filled) if p.strip()]
