"""The SVG charts: named and described for assistive technology, escaped, and free of the
inline styles the site's Content-Security-Policy forbids."""

from __future__ import annotations

import datetime as dt
import re

from evaluation.svg import (
    BLACK,
    BLUE,
    GREEN,
    ORANGE,
    VERMILLION,
    Series,
    column_chart,
    hbar_chart,
    line_chart,
    nice_ticks,
)


def test_a_chart_has_a_title_and_description_and_escapes_what_it_shows():
    svg = hbar_chart(
        chart_id="chart-test",
        title="Issues <sent>",
        desc="A & B",
        categories=['<script>alert("x")</script>'],
        series=[Series("Delivered", [3], GREEN), Series("Failed", [1], VERMILLION)],
        stacked=True,
    )

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Issues &lt;sent&gt;</title>' in svg
    assert '<desc id="chart-test-desc">A &amp; B</desc>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg


def test_the_bars_are_as_long_as_their_values():
    svg = hbar_chart(
        chart_id="c",
        title="t",
        desc="d",
        categories=["A", "B"],
        series=[Series("Mentees", [10, 5], BLUE)],
        ticks=[0, 5, 10],
    )

    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and abs(widths[0] - 2 * widths[1]) < 0.2


def test_a_value_not_shown_is_said_so_rather_than_drawn_as_zero():
    svg = hbar_chart(
        chart_id="c",
        title="t",
        desc="d",
        categories=["Objective"],
        series=[Series("Mentees", [4.2], BLUE), Series("Mentors", [None], ORANGE)],
        ticks=[0, 1, 2, 3, 4, 5],
    )

    assert "not shown" in svg and svg.count("<rect") == 3  # two legend keys, one bar


def test_line_and_column_charts_draw_every_point():
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(4)]
    line = line_chart(
        chart_id="l",
        title="t",
        desc="d",
        days=days,
        series=[Series("Agreed", [0, 1, 2, 3], GREEN)],
        reference=("4 matches", 4),
        marker=("Due", days[1]),
    )
    columns = column_chart(
        chart_id="c",
        title="t",
        desc="d",
        categories=["Jan", "Feb"],
        series=[Series("Interviews", [2, 3], BLUE)],
        line=Series("Check-ins", [1, 4], BLACK),
    )

    assert len(re.search(r'<polyline points="([^"]+)"', line).group(1).split()) == 4
    assert "Due" in line and "4 matches" in line
    assert columns.count("<circle") == 3  # the legend's and one per month
    assert "style=" not in line + columns


def test_ticks_are_round_numbers_reaching_the_top():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(230)[-1] >= 230
