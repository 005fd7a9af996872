"""The report's narrative: a Vietnamese draft generated from the figures, in which every number is a token.

A token ``[[members.total]]`` prints a figure, ``[[members.total|prev]]`` its
previous value and ``[[members.total|trend]]`` "tăng 9.732" / "giảm 120".
The office edits the text freely; the numbers stay tokens, so they always show
the report's figures and link back to them on screen.
"""

import decimal
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.numbers import money

from . import drafting
from .drafting import HEADING
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


def trend(change, measure: str = "") -> str:
    if change is None:
        return "…"
    if change > 0:
        return f"tăng {amount(change, measure)}"
    if change < 0:
        return f"giảm {amount(-change, measure)}"
    return "không thay đổi"


def anchor(key: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", key)


def amount(value, measure: str = "") -> str:
    """A figure as the text says it: money in tỷ or triệu đồng, anything else as a number."""
    if value is None:
        return "…"
    return money(value) if measure == "vnd" else number(value)


def _text(report: Report, key: str, mode: str | None) -> str | None:
    figure = report.figures.get(key)
    if figure is None:
        return None
    if mode == "prev":
        return amount(figure.previous, figure.measure)
    if mode == "trend":
        return trend(figure.change, figure.measure)
    return amount(figure.value, figure.measure)


def unknown_tokens(text: str, report: Report) -> list[tuple[int, str]]:
    """(line number, token) of every token that names no figure of the report."""
    known = report.figures
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(0))
        for match in TOKEN.finditer(text)
        if match.group(1) not in known
    ]


def draft(report: Report) -> str:
    """The generated Vietnamese draft, in the order and the words of the Union's public reports."""
    return drafting.draft(report)


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
        if paragraph.startswith(HEADING):
            heading, _newline, paragraph = paragraph.partition("\n")
            paragraphs.append(format_html('<h3 class="h6 mt-3">{}</h3>', heading[len(HEADING) :].strip()))
            if not paragraph.strip():
                continue
        pieces, last = [], 0
        for match in TOKEN.finditer(paragraph):
            pieces.append(escape(paragraph[last : match.start()]))
            pieces.append(replace(match))
            last = match.end()
        pieces.append(escape(paragraph[last:]))
        paragraphs.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # every piece was escaped above


def render_plain(text: str, report: Report) -> list[str]:
    """Paragraphs of plain text with the numbers filled in, for the xlsx (headings as lines of their own)."""
    filled = TOKEN.sub(lambda m: _text(report, m.group(1), m.group(2)) or m.group(0), text.strip())
    lines = [line[len(HEADING) :].strip().upper() if line.startswith(HEADING) else line for line in filled.splitlines()]
    return [p.strip() for p in re.split(r"\n\s*\n", "\n".join(lines)) if p.strip()]


def render_parts(text: str, report: Report) -> list[tuple[str | None, list[str]]]:
    """(heading, paragraphs) of each part of the text, numbers filled in: the untitled results first, then each
    headed part (limitations, next year's tasks, any the office adds), for the PDF."""
    found = []
    for heading, body in drafting.parts(text):
        filled = TOKEN.sub(lambda m: _text(report, m.group(1), m.group(2)) or m.group(0), body)
        found.append((heading, [p.strip() for p in re.split(r"\n\s*\n|\n(?=- )", filled) if p.strip()]))
    return found
