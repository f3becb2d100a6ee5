"""The health page's charts and the survey results' chart, drawn with ``svg.py`` from
the report's figures."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .svg import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    NARROW,
    ORANGE,
    SKY,
    VERMILLION,
    Series,
    column_chart,
    hbar_chart,
    line_chart,
    palette,
)


def _mean(value: float) -> str:
    return f"{value:.1f}"


def funnel_chart(funnel) -> SafeString:
    stages = funnel.stages
    return hbar_chart(
        chart_id="chart-funnel",
        title=gettext("From application to achieved goals"),
        desc="People at each stage, mentees and mentors: "
        + "; ".join(f"{s.label}: {s.mentees} mentees, {s.mentors} mentors" for s in stages)
        + ".",
        categories=[s.label for s in stages],
        series=[
            Series("Mentees", [s.mentees for s in stages], BLUE),
            Series("Mentors", [s.mentors for s in stages], ORANGE),
        ],
        label_chars=20,
        width=NARROW,
    )


def goal_sheet_states_chart(progress) -> SafeString:
    states = progress.states
    colours = [GREEN, SKY, ORANGE, GREY]
    return hbar_chart(
        chart_id="chart-sheet-states",
        title=gettext("Goal sheets by state"),
        desc=f"Of {progress.matches} matches: "
        + ", ".join(f"{count} {label.lower()}" for _, label, count in states)
        + f"; {progress.overdue} overdue.",
        categories=["Matches"],
        series=[
            Series(label, [count], colour)
            for (_, label, count), colour in zip(states, colours, strict=True)
        ],
        stacked=True,
        label_chars=10,
    )


def goal_sheet_timeline_chart(progress) -> SafeString:
    points = progress.points
    due = progress.due_on
    return line_chart(
        chart_id="chart-sheet-timeline",
        title=gettext("Goal sheets submitted and agreed over time"),
        desc=(
            f"By {points[-1].day:%B} {points[-1].day.day}: {points[-1].submitted} submitted "
            f"and {points[-1].agreed} agreed of {progress.matches} matches"
            if points
            else "No goal sheets yet"
        )
        + (f"; due {due:%B} {due.day}, {due.year}." if due else "."),
        days=[p.day for p in points],
        series=[
            Series("Submitted (first time)", [p.submitted for p in points], BLUE),
            Series("Agreed (first time)", [p.agreed for p in points], GREEN),
        ],
        reference=(f"{progress.matches} matches", progress.matches),
        marker=(f"Due {due:%b} {due.day}", due) if due else None,
    )


def activity_chart(activity) -> SafeString:
    months = activity.months
    series = [
        Series(category, [m.activities.get(category, 0) for m in months], colour.colour)
        for category, colour in zip(activity.categories, palette(activity.categories), strict=True)
    ]
    return column_chart(
        chart_id="chart-activity",
        title=gettext("Check-ins and activities per month"),
        desc="Activities done each month, by catalog category, with the number of goal "
        "check-ins as a line: "
        + "; ".join(
            f"{m.month:%B %Y}: {m.activities_total} activities, {m.check_ins} check-ins"
            for m in months
        )
        + ".",
        categories=[
            f"{m.month:%b %Y}" if i == 0 or m.month.month == 1 else f"{m.month:%b}"
            for i, m in enumerate(months)
        ],
        series=series,
        line=Series("Check-ins", [m.check_ins for m in months], BLACK),
    )


def at_risk_chart(report) -> SafeString:
    counts = report.risk_counts
    return hbar_chart(
        chart_id="chart-at-risk",
        title=gettext("Matches at risk, by reason"),
        desc="; ".join(f"{label}: {n}" for _, label, n in counts) + ".",
        categories=[label for _, label, _ in counts],
        series=[Series("Matches", [n for _, _, n in counts], VERMILLION)],
        label_chars=24,
        width=NARROW,
    )


def meeting_hours_chart(meetings) -> SafeString:
    rows = meetings.distribution
    return hbar_chart(
        chart_id="chart-meeting-hours",
        title=gettext("Matches by hours met"),
        desc="; ".join(f"{label}: {n}" for label, n in rows) + ".",
        categories=[label for label, _ in rows],
        series=[Series("Matches", [n for _, n in rows], BLUE)],
        label_chars=20,
        width=NARROW,
    )


def newsletter_chart(issues) -> SafeString:
    return hbar_chart(
        chart_id="chart-newsletters",
        title=gettext("Newsletter delivery per issue"),
        desc="; ".join(
            f"{i.subject}: {i.sent} delivered, {i.failed} failed, {i.waiting} waiting"
            for i in issues
        )
        + ".",
        categories=[i.subject for i in issues],
        series=[
            Series("Delivered", [i.sent for i in issues], GREEN),
            Series("Failed", [i.failed for i in issues], VERMILLION),
            Series("Waiting", [i.waiting for i in issues], GREY),
        ],
        stacked=True,
    )


def results_chart(results) -> SafeString:
    rows = [o for o in results.objectives if o.has_scale]

    def mean(objective, role):
        stat = objective.scale[role]
        return stat.mean if stat.shown else None

    return hbar_chart(
        chart_id="chart-results",
        title=f"{results.survey.title}: mean answer (1 to 5) per objective",
        desc="; ".join(
            f"{o.label}: mentees "
            + (_mean(mean(o, "mentee")) if mean(o, "mentee") is not None else "not shown")
            + ", mentors "
            + (_mean(mean(o, "mentor")) if mean(o, "mentor") is not None else "not shown")
            for o in rows
        )
        + ".",
        categories=[o.label for o in rows],
        series=[
            Series("Mentees", [mean(o, "mentee") for o in rows], BLUE),
            Series("Mentors", [mean(o, "mentor") for o in rows], ORANGE),
        ],
        ticks=[0, 1, 2, 3, 4, 5],
        value_format=_mean,
        label_chars=38,
    )


# --- The year's report --------------------------------------------------------------------


def goals_by_area_chart(report) -> SafeString:
    outcomes = list(report.goal_outcomes)
    colours = [GREEN, SKY, VERMILLION, ORANGE, GREY]
    areas = report.areas
    return hbar_chart(
        chart_id="chart-goals-by-area",
        title=gettext("Goals by competency area and final outcome"),
        desc="; ".join(
            f"{a.area}: "
            + ", ".join(f"{a.outcomes[o]} {o.lower()}" for o in outcomes if a.outcomes[o])
            for a in areas
        )
        + ".",
        categories=[a.area for a in areas],
        series=[
            Series(outcome, [a.outcomes[outcome] for a in areas], colour)
            for outcome, colour in zip(outcomes, colours, strict=True)
        ],
        stacked=True,
        label_chars=34,
    )


def activities_by_category_chart(report) -> SafeString:
    rows = report.activities
    return hbar_chart(
        chart_id="chart-activities-by-category",
        title=gettext("Activities done, by catalog category"),
        desc="; ".join(f"{name}: {n}" for name, n in rows) + ".",
        categories=[name for name, _ in rows],
        series=[Series("Activities done", [n for _, n in rows], BLUE)],
        label_chars=30,
        width=NARROW,
    )


def retention_chart(retention) -> SafeString:
    on_time = retention.concluded - retention.concluded_early
    return hbar_chart(
        chart_id="chart-retention",
        title=gettext("Matches concluded and dissolved"),
        desc=f"Of {retention.matches} matches: {on_time} concluded with the year, "
        f"{retention.concluded_early} concluded early, {retention.dissolved} dissolved, "
        f"{retention.active} still active.",
        categories=["Matches"],
        series=[
            Series("Concluded with the year", [on_time], GREEN),
            Series("Concluded early", [retention.concluded_early], SKY),
            Series("Dissolved", [retention.dissolved], VERMILLION),
            Series("Still active", [retention.active], GREY),
        ],
        stacked=True,
        label_chars=10,
    )
