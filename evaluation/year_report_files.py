"""The year's report as files to take away: a CSV of every figure (one row each) and a
PDF (reportlab, as the certificates are) with the page's tables."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .cycle_data import MIN_GROUP, ROLE_LABELS
from .year_report import OUTCOMES, YearReport

HEADER = ["Section", "Item", "Measure", "Value"]
ROLES = ("mentee", "mentor", "all")
TEAL = colors.HexColor("#0b5563")


def _mean(stat) -> str:
    if not stat.count:
        return "no answers"
    if not stat.shown:
        return f"not shown: fewer than {MIN_GROUP} people"
    return f"{stat.mean:.2f}" if stat.mean is not None else ""


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def report_rows(report: YearReport) -> list[list[Any]]:
    """Every figure of the report as (section, item, measure, value) rows."""
    rows: list[list[Any]] = [HEADER]
    for item in report.objectives:
        label = f"{item.objective.position}. {item.objective.text}"
        if report.closing is not None:
            for role in ROLES:
                stat = item.survey.scale[role] if item.survey else None
                rows.append(
                    [
                        "Objectives",
                        label,
                        f"Closing survey, mean of 1-5 answers, {ROLE_LABELS[role].lower()}",
                        _mean(stat) if stat else "no question",
                    ]
                )
        for evidence in item.evidence:
            rows.append(["Objectives", label, evidence.label, evidence.summary])
    for area in report.areas:
        for outcome in OUTCOMES:
            rows.append(["Goals by competency area", area.area, outcome, area.outcomes[outcome]])
    for outcome in OUTCOMES:
        rows.append(
            ["Goals by outcome", "All agreed goals", outcome, report.goal_outcomes[outcome]]
        )
    for name, count in report.activities:
        rows.append(["Activities by category", name, "Activities done", count])
    if report.closing is not None:
        results = report.closing
        for role in ROLES:
            rows.append(
                ["Closing survey", ROLE_LABELS[role], "Invited", results.invited[role]],
            )
            rows.append(["Closing survey", ROLE_LABELS[role], "Answered", results.answered[role]])
            rows.append(
                [
                    "Closing survey",
                    ROLE_LABELS[role],
                    "Response rate",
                    _rate(results.response_rate[role]),
                ]
            )
        for objective in results.objectives:
            for question in objective.questions:
                for role in ROLES:
                    stat = question.stats[role]
                    value = _mean(stat) if question.question.is_scale else stat.count
                    if stat.shown and stat.distribution and not question.question.is_scale:
                        value = "; ".join(f"{label}: {n}" for label, n in stat.distribution)
                    rows.append(
                        [
                            f"Closing survey: {objective.label}",
                            question.question.text,
                            ROLE_LABELS[role],
                            value,
                        ]
                    )
    retention = report.retention
    rows += [
        ["Retention", "Matches", "Concluded", retention.concluded],
        ["Retention", "Matches", "Of which concluded early", retention.concluded_early],
        ["Retention", "Matches", "Dissolved", retention.dissolved],
        ["Retention", "Matches", "Still active", retention.active],
    ]
    rows += [["Retention", reason, "Dissolved", n] for reason, n in retention.dissolved_reasons]
    rows += [["Retention", reason, "Concluded early", n] for reason, n in retention.early_reasons]
    hours = report.hours
    rows += [
        ["Hours met", "All matches", "Hours met in all", f"{hours.total_hours:.1f}"],
        ["Hours met", "All matches", "Matches that recorded a meeting", hours.met],
        [
            "Hours met",
            "All matches",
            "Median hours per match",
            "" if hours.median_hours is None else f"{hours.median_hours:.1f}",
        ],
    ]
    rows += [["Hours met", label, "Matches", n] for label, n in hours.distribution]
    for label, people in (
        ("Came back from an earlier year", report.came_back),
        ("Applied again for a later year", report.returned),
    ):
        rows += [
            ["Returning people", label, "As mentees", people.mentees],
            ["Returning people", label, "As mentors", people.mentors],
            ["Returning people", label, "Mentees now mentors", people.mentees_as_mentors],
        ]
    return rows


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
        title=f"The year's report: {program.name}, {cycle.name}",
        author=program.organization or program.name,
    )
    wide = doc.width
    story: list = [
        Paragraph(escape(f"The year's report: {program.short_name} {cycle.name}"), title),
        Paragraph(
            escape(
                f"{program.name}, program year {date_format(cycle.starts_on, 'F j, Y')} to "
                f"{date_format(cycle.ends_on, 'F j, Y')}. Figures as of "
                f"{date_format(report.as_of, 'F j, Y')}."
            ),
            body,
        ),
        Spacer(1, 0.15 * inch),
        Paragraph("Objectives and their evidence", heading),
    ]
    objective_rows = [["Objective", "Closing survey (mean of 1-5, everyone)", "Evidence"]]
    for item in report.objectives:
        survey = "not asked"
        if report.closing is None:
            survey = "not shown"
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
    for section, item, measure, value in rows:
        if section != "Objectives":
            sections.setdefault(section, []).append([item, measure, value])
    for section, section_rows in sections.items():
        story += [Spacer(1, 0.1 * inch), Paragraph(escape(section), heading)]
        story.append(
            _table(
                [["Item", "Measure", "Value"], *section_rows], [wide * 0.5, wide * 0.3, wide * 0.2]
            )
        )
    doc.build(story)
    return buffer.getvalue()
