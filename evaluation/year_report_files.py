"""The year's report as files to take away: a CSV of every figure (one row each) and a
PDF (reportlab, as the certificates are) with the page's tables. Both are written in the
language of the staff member who downloads them (the request's), as the page is."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mentoring.dates import long_date

from .cycle_data import MIN_GROUP, ROLE_LABELS
from .year_report import OUTCOMES, YearReport

HEADER = [_("Section"), _("Item"), _("Measure"), _("Value")]
ROLES = ("mentee", "mentor", "all")
TEAL = colors.HexColor("#0b5563")


def _mean(stat) -> str:
    if not stat.count:
        return gettext("no answers")
    if not stat.shown:
        return gettext("not shown: fewer than %(count)s people") % {"count": MIN_GROUP}
    return f"{stat.mean:.2f}" if stat.mean is not None else ""


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _closing_rows(report: YearReport) -> list[list[Any]]:
    results = report.closing
    section = gettext("Closing survey")
    rows: list[list[Any]] = []
    for role in ROLES:
        rows += [
            [section, ROLE_LABELS[role], gettext("Invited"), results.invited[role]],
            [section, ROLE_LABELS[role], gettext("Answered"), results.answered[role]],
            [
                section,
                ROLE_LABELS[role],
                gettext("Response rate"),
                _rate(results.response_rate[role]),
            ],
        ]
    for objective in results.objectives:
        for question in objective.questions:
            for role in ROLES:
                stat = question.stats[role]
                value = _mean(stat) if question.question.is_scale else stat.count
                if stat.shown and stat.distribution and not question.question.is_scale:
                    value = "; ".join(f"{label}: {n}" for label, n in stat.distribution)
                rows.append(
                    [
                        gettext("Closing survey: %(objective)s") % {"objective": objective.label},
                        question.question.text,
                        ROLE_LABELS[role],
                        value,
                    ]
                )
    return rows


def _later_rows(report: YearReport) -> list[list[Any]]:
    """Retention, hours met and returning people."""
    retention, hours = report.retention, report.hours
    section, matches = gettext("Retention"), gettext("Matches")
    concluded_early, dissolved = gettext("Concluded early"), gettext("Dissolved")
    rows: list[list[Any]] = [
        [section, matches, gettext("Concluded"), retention.concluded],
        [section, matches, gettext("Of which concluded early"), retention.concluded_early],
        [section, matches, dissolved, retention.dissolved],
        [section, matches, gettext("Still active"), retention.active],
    ]
    rows += [[section, reason, dissolved, n] for reason, n in retention.dissolved_reasons]
    rows += [[section, reason, concluded_early, n] for reason, n in retention.early_reasons]
    section, everyone = gettext("Hours met"), gettext("All matches")
    median = "" if hours.median_hours is None else f"{hours.median_hours:.1f}"
    rows += [
        [section, everyone, gettext("Hours met in all"), f"{hours.total_hours:.1f}"],
        [section, everyone, gettext("Matches that recorded a meeting"), hours.met],
        [section, everyone, gettext("Median hours per match"), median],
    ]
    rows += [[section, label, matches, n] for label, n in hours.distribution]
    section = gettext("Returning people")
    for label, people in (
        (gettext("Came back from an earlier year"), report.came_back),
        (gettext("Applied again for a later year"), report.returned),
    ):
        rows += [
            [section, label, gettext("As mentees"), people.mentees],
            [section, label, gettext("As mentors"), people.mentors],
            [section, label, gettext("Mentees now mentors"), people.mentees_as_mentors],
        ]
    return rows


def report_rows(report: YearReport) -> list[list[Any]]:
    """Every figure of the report as (section, item, measure, value) rows."""
    rows: list[list[Any]] = [[str(title) for title in HEADER]]
    objectives = gettext("Objectives")
    for item in report.objectives:
        label = f"{item.objective.position}. {item.objective.text}"
        if report.closing is not None:
            for role in ROLES:
                stat = item.survey.scale[role] if item.survey else None
                measure = gettext("Closing survey, mean of 1-5 answers, %(role)s") % {
                    "role": ROLE_LABELS[role].lower()
                }
                rows.append(
                    [objectives, label, measure, _mean(stat) if stat else gettext("no question")]
                )
        for evidence in item.evidence:
            rows.append([objectives, label, evidence.label, evidence.summary])
    section = gettext("Goals by competency area")
    for area in report.areas:
        for outcome in OUTCOMES:
            rows.append([section, area.area, outcome, area.outcomes[outcome]])
    section, everything = gettext("Goals by outcome"), gettext("All agreed goals")
    for outcome in OUTCOMES:
        rows.append([section, everything, outcome, report.goal_outcomes[outcome]])
    section, done = gettext("Activities by category"), gettext("Activities done")
    rows += [[section, name, done, count] for name, count in report.activities]
    if report.closing is not None:
        rows += _closing_rows(report)
    rows += _later_rows(report)
    # The labels as text in the language of now (the CSV writer is not Django's).
    return [[str(value) if not isinstance(value, int) else value for value in row] for row in rows]


# --- PDF ----------------------------------------------------------------------------------


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8.5, leading=10.5)
    data = [[Paragraph(escape(str(value)), cell) for value in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef0")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def report_pdf(report: YearReport) -> bytes:
    """The report as a PDF on Letter pages: the objectives with their evidence, then each
    section's table."""
    cycle, program = report.cycle, report.cycle.program
    styles = getSampleStyleSheet()
    title = styles["Title"].clone("report-title", textColor=TEAL)
    heading = styles["Heading2"].clone("report-heading", textColor=TEAL)
    body = styles["BodyText"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
        title=gettext("The year's report: %(program)s, %(cycle)s")
        % {"program": program.name, "cycle": cycle.name},
        author=program.organization or program.name,
    )
    wide = doc.width
    story: list = [
        Paragraph(
            escape(
                gettext("The year's report: %(program)s %(cycle)s")
                % {"program": program.short_name, "cycle": cycle.name}
            ),
            title,
        ),
        Paragraph(
            escape(
                gettext("%(program)s, program year %(start)s to %(end)s. Figures as of %(as_of)s.")
                % {
                    "program": program.name,
                    "start": long_date(cycle.starts_on),
                    "end": long_date(cycle.ends_on),
                    "as_of": long_date(report.as_of),
                }
            ),
            body,
        ),
        Spacer(1, 0.15 * inch),
        Paragraph(escape(gettext("Objectives and their evidence")), heading),
    ]
    objective_rows = [
        [
            gettext("Objective"),
            gettext("Closing survey (mean of 1-5, everyone)"),
            gettext("Evidence"),
        ]
    ]
    for item in report.objectives:
        survey = gettext("not asked")
        if report.closing is None:
            survey = gettext("not shown")
        elif item.survey is not None:
            survey = _mean(item.survey.scale["all"])
        objective_rows.append(
            [
                f"{item.objective.position}. {item.objective.text}",
                survey,
                "; ".join(f"{e.label}: {e.summary}" for e in item.evidence),
            ]
        )
    story.append(_table(objective_rows, [wide * 0.42, wide * 0.2, wide * 0.38]))
    rows = report_rows(report)[1:]
    sections: dict[str, list[list[Any]]] = {}
    objectives = gettext("Objectives")
    for section, item, measure, value in rows:
        if section != objectives:
            sections.setdefault(section, []).append([item, measure, value])
    for section, section_rows in sections.items():
        story += [Spacer(1, 0.1 * inch), Paragraph(escape(section), heading)]
        story.append(
            _table(
                [[gettext("Item"), gettext("Measure"), gettext("Value")], *section_rows],
                [wide * 0.5, wide * 0.3, wide * 0.2],
            )
        )
    doc.build(story)
    return buffer.getvalue()
