"""Charts drawn on the server as SVG, so the screen and the printed report show the same picture."""

import decimal

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .narrative import number


def bars(items: list[tuple[str, decimal.Decimal | int | None]], *, floor=None, suffix: str = "", width: int = 640):
    """Horizontal bars, one per (label, value); an optional dashed line marks a floor (e.g. 50%)."""
    items = [(label, value) for label, value in items if value is not None]
    if not items:
        return ""
    row, label_width, pad = 22, 190, 60
    top = max([float(v) for _l, v in items] + [float(floor or 0)]) or 1
    scale = (width - label_width - pad) / top
    lines = [
        {
            "y": i * row,
            "label": label if len(label) <= 30 else label[:29] + "…",
            "full": label,
            "w": max(1.0, float(value) * scale),
            "text": number(value) + suffix,
            "low": floor is not None and value < floor,
        }
        for i, (label, value) in enumerate(items)
    ]
    context = {
        "lines": lines,
        "width": width,
        "height": len(items) * row + 6,
        "x0": label_width,
        "floor_x": label_width + float(floor) * scale if floor is not None else None,
        "row": row,
        # What a screen reader says of the chart: every bar's label and value.
        "summary": "; ".join(f"{line['full']}: {line['text']}" for line in lines),
    }
    return mark_safe(render_to_string("reports/charts/bars.svg", context))


def trend(points: list[tuple[int, int | None]], *, width: int = 640, height: int = 220):
    """A line over the years: (year, value) points."""
    points = [(x, y) for x, y in points if y is not None]
    if len(points) < 2:
        return ""
    left, right, top, bottom = 70, 20, 16, 30
    ys = [float(y) for _x, y in points]
    low, high = min(ys), max(ys)
    span = (high - low) or 1
    low -= span * 0.1
    high += span * 0.1
    step = (width - left - right) / (len(points) - 1)

    def y_of(value):
        return top + (high - float(value)) / (high - low) * (height - top - bottom)

    dots = [{"x": left + i * step, "y": y_of(y), "year": x, "text": number(y)} for i, (x, y) in enumerate(points)]
    context = {
        "dots": dots,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{d['x']:.1f},{d['y']:.1f}" for i, d in enumerate(dots)),
        "width": width,
        "height": height,
        "base": height - bottom,
        "left": left,
        "summary": "; ".join(f"{dot['year']}: {dot['text']}" for dot in dots),
    }
    return mark_safe(render_to_string("reports/charts/trend.svg", context))
