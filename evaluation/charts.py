"""The health page's charts and the survey results' chart, drawn with ``svg.py`` from
the report's figures."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from mentoring.dates import long_date, month_day, month_year

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


def _mean_or_not_shown(value: float | None) -> str:
    return gettext("not shown") if value is None else _mean(value)


def funnel_chart(funnel) -> SafeString:
    stages = funnel.stages
    return hbar_chart(
        chart_id="chart-funnel",
        title=gettext("From application to achieved goals"),
        desc=gettext("People at each stage, mentees and mentors: %(stages)s.")
        % {
            "stages": "; ".join(
                gettext("%(stage)s: %(mentees)s mentees, %(mentors)s mentors")
                % {"stage": s.label, "mentees": s.mentees, "mentors": s.mentors}
                for s in stages
            )
        },
        categories=[s.label for s in stages],
        series=[
            Series(gettext("Mentees"), [s.mentees for s in stages], BLUE),
            Series(gettext("Mentors"), [s.mentors for s in stages], ORANGE),
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
        desc=gettext("Of %(matches)s matches: %(states)s; %(overdue)s overdue.")
        % {
            "matches": progress.matches,
            "states": ", ".join(f"{count} {label.lower()}" for _, label, count in states),
            "overdue": progress.overdue,
        },
        categories=[gettext("Matches")],
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
            gettext(
                "By %(day)s: %(submitted)s submitted and %(agreed)s agreed of %(matches)s matches"
            )
            % {
                "day": month_day(points[-1].day),
                "submitted": points[-1].submitted,
                "agreed": points[-1].agreed,
                "matches": progress.matches,
            }
            if points
            else gettext("No goal sheets yet")
        )
        + (gettext("; due %(day)s.") % {"day": long_date(due)} if due else "."),
        days=[p.day for p in points],
        series=[
            Series(gettext("Submitted (first time)"), [p.submitted for p in points], BLUE),
            Series(gettext("Agreed (first time)"), [p.agreed for p in points], GREEN),
        ],
        reference=(
            ngettext("%(count)s match", "%(count)s matches", progress.matches)
            % {"count": progress.matches},
            progress.matches,
        ),
        marker=(gettext("Due %(day)s") % {"day": date_format(due, "M j")}, due) if due else None,
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
        desc=gettext(
            "Activities done each month, by catalog category, with the number of goal "
            "check-ins as a line: %(months)s."
        )
        % {
            "months": "; ".join(
                gettext("%(month)s: %(activities)s activities, %(check_ins)s check-ins")
                % {
                    "month": month_year(m.month),
                    "activities": m.activities_total,
                    "check_ins": m.check_ins,
                }
                for m in months
            )
        },
        categories=[
            date_format(m.month, "M Y" if i == 0 or m.month.month == 1 else "M")
            for i, m in enumerate(months)
        ],
        series=series,
        line=Series(gettext("Check-ins"), [m.check_ins for m in months], BLACK),
    )


def at_risk_chart(report) -> SafeString:
    counts = report.risk_counts
    return hbar_chart(
        chart_id="chart-at-risk",
        title=gettext("Matches at risk, by reason"),
        desc="; ".join(f"{label}: {n}" for _, label, n in counts) + ".",
        categories=[label for _, label, _ in counts],
        series=[Series(gettext("Matches"), [n for _, _, n in counts], VERMILLION)],
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
        series=[Series(gettext("Matches"), [n for _, n in rows], BLUE)],
        label_chars=20,
        width=NARROW,
    )


def newsletter_chart(issues) -> SafeString:
    return hbar_chart(
        chart_id="chart-newsletters",
        title=gettext("Newsletter delivery per issue"),
        desc="; ".join(
            gettext("%(subject)s: %(sent)s delivered, %(failed)s failed, %(waiting)s waiting")
            % {"subject": i.subject, "sent": i.sent, "failed": i.failed, "waiting": i.waiting}
            for i in issues
        )
        + ".",
        categories=[i.subject for i in issues],
        series=[
            Series(gettext("Delivered"), [i.sent for i in issues], GREEN),
            Series(gettext("Failed"), [i.failed for i in issues], VERMILLION),
            Series(gettext("Waiting"), [i.waiting for i in issues], GREY),
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
        title=gettext("%(survey)s: mean answer (1 to 5) per objective")
        % {"survey": results.survey.title},
        desc="; ".join(
            gettext("%(objective)s: mentees %(mentees)s, mentors %(mentors)s")
            % {
                "objective": o.label,
                "mentees": _mean_or_not_shown(mean(o, "mentee")),
                "mentors": _mean_or_not_shown(mean(o, "mentor")),
            }
            for o in rows
        )
        + ".",
        categories=[o.label for o in rows],
        series=[
            Series(gettext("Mentees"), [mean(o, "mentee") for o in rows], BLUE),
            Series(gettext("Mentors"), [mean(o, "mentor") for o in rows], ORANGE),
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
        series=[Series(gettext("Activities done"), [n for _, n in rows], BLUE)],
        label_chars=30,
        width=NARROW,
    )


def retention_chart(retention) -> SafeString:
    on_time = retention.concluded - retention.concluded_early
    return hbar_chart(
        chart_id="chart-retention",
        title=gettext("Matches concluded and dissolved"),
        desc=gettext(
            "Of %(matches)s matches: %(on_time)s concluded with the year, %(early)s concluded "
            "early, %(dissolved)s dissolved, %(active)s still active."
        )
        % {
            "matches": retention.matches,
            "on_time": on_time,
            "early": retention.concluded_early,
            "dissolved": retention.dissolved,
            "active": retention.active,
        },
        categories=[gettext("Matches")],
        series=[
            Series(gettext("Concluded with the year"), [on_time], GREEN),
            Series(gettext("Concluded early"), [retention.concluded_early], SKY),
            Series(gettext("Dissolved"), [retention.dissolved], VERMILLION),
            Series(gettext("Still active"), [retention.active], GREY),
        ],
        stacked=True,
        label_chars=10,
    )
