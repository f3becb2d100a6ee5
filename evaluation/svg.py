"""Server-rendered SVG charts for the health page: no JavaScript, no inline styles (the
site's Content-Security-Policy forbids both), only SVG presentation attributes.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>``; the page puts the same figures in a table beside it. Colours come from the
Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies; text and axes use ``currentColor`` so they follow the admin's light or
dark theme.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PINK = "#CC79A7"
GREY = "#767676"
BLACK = "#1b1b1b"
PALETTE = [BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, GREY, "#8C6D31"]

FONT = 13
# viewBox widths close to the width the page gives a chart, so text reads at its size.
WIDE = 860
NARROW = 540
LINE = 16


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str


def palette(names: Sequence[str]) -> list[Series]:
    """Empty series with the palette's colours in order (fill in the values)."""
    return [Series(name, [], PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]


def nice_ticks(top: float, *, most: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 × 10^n."""
    if top <= 0:
        return [0, 1]
    raw = top / (most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and top >= 1:
        step = 1
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def _number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def escape(value) -> str:
    """Django's ``escape`` without its lazy-string wrapper and ``SafeString`` per value
    (a chart escapes a thousand attributes; the whole chart is marked safe once)."""
    return html.escape(str(value))


def _attrs(**values) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in values.items()
        if value is not None
    )


def _f(value: float) -> str:
    return f"{value:.1f}"


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return f"<rect {_attrs(x=_f(x), y=_f(y), width=_f(width), height=_f(height), fill=fill)}/>"


def _line(x1: float, y1: float, x2: float, y2: float, **extra) -> str:
    extra.setdefault("stroke", "currentColor")
    return f"<line {_attrs(x1=_f(x1), y1=_f(y1), x2=_f(x2), y2=_f(y2), **extra)}/>"


def _circle(cx: float, cy: float, r: float, fill: str, **extra) -> str:
    return f"<circle {_attrs(cx=_f(cx), cy=_f(cy), r=_f(r), fill=fill, **extra)}/>"


def _polyline(points: list[tuple[float, float]], colour: str) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    attrs = _attrs(
        points=path, fill="none", stroke=colour, stroke_width="3", stroke_linejoin="round"
    )
    return f"<polyline {attrs}/>"


def _text(x: float, y: float, text: str, **extra) -> str:
    extra.setdefault("fill", "currentColor")
    extra.setdefault("font_size", FONT)
    return f"<text {_attrs(x=f'{x:.1f}', y=f'{y:.1f}', **extra)}>{escape(text)}</text>"


def _wrapped(x: float, y: float, text: str, width: int, **extra) -> tuple[str, int]:
    """A label broken into at most three lines of ``width`` characters."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width, placeholder="…")]
    extra.setdefault("fill", "currentColor")
    extra.setdefault("font_size", FONT)
    spans = "".join(
        f"<tspan {_attrs(x=f'{x:.1f}', dy='0' if i == 0 else str(LINE))}>{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return f"<text {_attrs(x=f'{x:.1f}', y=f'{y:.1f}', **extra)}>{spans}</text>", len(lines)


def _svg(
    chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]
) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="health-chart" '
        f'viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every value above is escaped


def _legend(
    series: Sequence[Series], x0: float, right: float, *, line: Series | None = None
) -> tuple[str, float]:
    """The legend, wrapped onto as many rows as it needs; returns it and its bottom."""
    parts: list[str] = []
    x, y = x0, 16.0
    entries = [(item, False) for item in series] + ([(line, True)] if line else [])
    for item, is_line in entries:
        room = 17 + 7.2 * len(item.name) + 22
        if x > x0 and x + room > right:
            x, y = x0, y + 20
        if is_line:
            parts.append(_line(x, y - 4, x + 14, y - 4, stroke=item.colour, stroke_width="3"))
            parts.append(_circle(x + 7, y - 4, 4, item.colour))
        else:
            parts.append(_rect(x, y - 10, 12, 12, item.colour))
        parts.append(_text(x + 17, y, item.name))
        x += room
    return "".join(parts), y + 8


def hbar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    top: float | None = None,
    ticks: Sequence[float] | None = None,
    value_format: Callable[[float], str] = _number,
    width: int = WIDE,
    label_chars: int = 30,
) -> SafeString:
    """Horizontal bars, one row per category: grouped (a bar per series) or stacked."""
    label_width = int(label_chars * 7.2) + 12
    plot_left, plot_right = label_width, width - 56
    legend, legend_bottom = _legend(series, plot_left, plot_right)
    top_margin = legend_bottom + 8 if len(series) > 1 else 12
    bar = 18 if stacked else 13
    gap = 3
    totals = [
        sum(s.values[i] or 0 for s in series)
        if stacked
        else max((s.values[i] or 0) for s in series)
        for i in range(len(categories))
    ] or [0]
    ticks = list(ticks or nice_ticks(top if top is not None else max(totals)))
    scale_top = ticks[-1] or 1
    span = plot_right - plot_left

    def x_of(value: float) -> float:
        return plot_left + span * (value or 0) / scale_top

    body: list[str] = [legend] if len(series) > 1 else []
    y = top_margin + 8
    rows: list[str] = []
    for i, category in enumerate(categories):
        group = bar if stacked else len(series) * (bar + gap) - gap
        label, lines = _wrapped(label_width - 10, y + 11, category, label_chars, text_anchor="end")
        height = max(group, lines * LINE)
        rows.append(label)
        if stacked:
            start = 0.0
            for item in series:
                value = item.values[i] or 0
                if value:
                    rows.append(
                        _rect(x_of(start), y, x_of(start + value) - x_of(start), bar, item.colour)
                    )
                start += value
            rows.append(_text(x_of(start) + 6, y + bar - 4, value_format(start)))
        else:
            for j, item in enumerate(series):
                value = item.values[i]
                by = y + j * (bar + gap)
                if value is None:
                    rows.append(
                        _text(plot_left + 6, by + bar - 2, gettext("not shown"), font_size=11)
                    )
                    continue
                rows.append(_rect(plot_left, by, x_of(value) - plot_left, bar, item.colour))
                rows.append(_text(x_of(value) + 6, by + bar - 2, value_format(value), font_size=12))
        y += height + 12
    plot_bottom = y - 4
    for tick in ticks:
        x = x_of(tick)
        body.append(_line(x, top_margin, x, plot_bottom, stroke_opacity="0.15"))
        body.append(_text(x, plot_bottom + 16, _number(tick), text_anchor="middle", font_size=11))
    body.extend(rows)
    return _svg(chart_id, title, desc, width, int(plot_bottom + 26), body)


def column_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    line: Series | None = None,
    width: int = WIDE,
    height: int = 300,
) -> SafeString:
    """Stacked columns, one per category (a month), and optionally a line with dots
    drawn over them on the same scale."""
    left, right = 44, width - 16
    legend, legend_bottom = _legend(series, left, right, line=line)
    top_margin = legend_bottom + 14
    height += int(legend_bottom) - 24
    bottom = height - 34
    n = max(len(categories), 1)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    highest = max([*totals, *(line.values if line else [])], default=0)
    ticks = nice_ticks(highest)
    scale_top = ticks[-1] or 1
    slot = (right - left) / n
    column = min(44.0, slot * 0.62)

    def y_of(value: float) -> float:
        return bottom - (bottom - top_margin) * (value or 0) / scale_top

    body = [legend]
    for tick in ticks:
        y = y_of(tick)
        body.append(_line(left, y, right, y, stroke_opacity="0.15"))
        body.append(_text(left - 6, y + 4, _number(tick), text_anchor="end", font_size=11))
    for i, category in enumerate(categories):
        cx = left + slot * i + slot / 2
        start = 0.0
        for item in series:
            value = item.values[i] or 0
            if value:
                body.append(
                    _rect(
                        cx - column / 2,
                        y_of(start + value),
                        column,
                        y_of(start) - y_of(start + value),
                        item.colour,
                    )
                )
            start += value
        if start:
            body.append(
                _text(cx, y_of(start) - 4, _number(start), text_anchor="middle", font_size=11)
            )
        body.append(_text(cx, bottom + 16, category, text_anchor="middle", font_size=11))
    if line is not None and categories:
        points = [(left + slot * i + slot / 2, y_of(v or 0)) for i, v in enumerate(line.values)]
        body.append(_polyline(points, line.colour))
        for x, y in points:
            body.append(_circle(x, y, 4, line.colour, stroke="#ffffff", stroke_width="1"))
    body.append(_line(left, bottom, right, bottom, stroke_opacity="0.6"))
    return _svg(chart_id, title, desc, width, height, body)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    days: Sequence[dt.date],
    series: Sequence[Series],
    reference: tuple[str, float] | None = None,
    marker: tuple[str, dt.date] | None = None,
    width: int = WIDE,
    height: int = 300,
) -> SafeString:
    """Lines over time (cumulative counts), with a dashed level to reach (``reference``)
    and a dated vertical marker (a due date)."""
    left, right, bottom = 44, width - 24, height - 34
    legend, legend_bottom = _legend(series, left, right)
    top_margin = legend_bottom + 14
    highest = max(
        [*(v for s in series for v in s.values), reference[1] if reference else 0], default=0
    )
    ticks = nice_ticks(highest)
    scale_top = ticks[-1] or 1
    first = days[0] if days else dt.date.today()
    last = days[-1] if days else first
    if marker and days:
        first, last = min(first, marker[1]), max(last, marker[1])
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / span

    def y_of(value: float) -> float:
        return bottom - (bottom - top_margin) * (value or 0) / scale_top

    body = [legend]
    for tick in ticks:
        y = y_of(tick)
        body.append(_line(left, y, right, y, stroke_opacity="0.15"))
        body.append(_text(left - 6, y + 4, _number(tick), text_anchor="end", font_size=11))
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            x = x_of(month)
            body.append(_line(x, bottom, x, bottom + 5))
            label = date_format(month, "M" if month.month != 1 else "M Y")
            body.append(_text(x, bottom + 18, label, text_anchor="middle", font_size=11))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if reference:
        y = y_of(reference[1])
        body.append(_line(left, y, right, y, stroke_dasharray="6 4", stroke_opacity="0.7"))
        body.append(_text(left + 6, y - 5, reference[0], font_size=11))
    if marker:
        x = x_of(marker[1])
        body.append(
            _line(
                x,
                top_margin - 6,
                x,
                bottom,
                stroke=VERMILLION,
                stroke_width="2",
                stroke_dasharray="4 3",
            )
        )
        anchor = "end" if x > (left + right) / 2 else "start"
        offset = -5 if anchor == "end" else 5
        body.append(_text(x + offset, top_margin + 4, marker[0], text_anchor=anchor, font_size=11))
    for item in series:
        if not days:
            continue
        points = [(x_of(day), y_of(v)) for day, v in zip(days, item.values, strict=True)]
        body.append(_polyline(points, item.colour))
    body.append(_line(left, bottom, right, bottom, stroke_opacity="0.6"))
    return _svg(chart_id, title, desc, width, height, body)
