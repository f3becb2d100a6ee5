"""The certificate as a PDF (reportlab): one landscape Letter page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .models import Certificate

TEAL = colors.HexColor("#0b5563")


@dataclass(frozen=True)
class GoalLine:
    title: str
    outcome: str  # “Achieved”, … or "" when not recorded


def _style(name: str, size: float, *, leading: float | None = None, **extra) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=extra.pop("fontName", "Helvetica"),
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=TA_CENTER,
        **extra,
    )


def _frame(canvas, doc) -> None:
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(TEAL)
    canvas.setLineWidth(3)
    canvas.rect(0.4 * inch, 0.4 * inch, width - 0.8 * inch, height - 0.8 * inch)
    canvas.setLineWidth(0.75)
    canvas.rect(0.5 * inch, 0.5 * inch, width - 1.0 * inch, height - 1.0 * inch)
    canvas.restoreState()


def certificate_pdf(certificate: Certificate, *, goals: list[GoalLine] | None) -> bytes:
    """The PDF of ``certificate``; ``goals`` None leaves the goals off (the person's
    choice)."""
    match = certificate.match
    cycle, program = match.cycle, match.cycle.program
    role = certificate.application.get_role_display().lower()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=1.1 * inch,
        rightMargin=1.1 * inch,
        topMargin=0.9 * inch,
        bottomMargin=0.8 * inch,
        title=f"Certificate of completion: {certificate.application.full_name}",
        author=program.organization or program.name,
        subject=f"{program.name}, {cycle.name}",
    )
    story = [
        Paragraph(escape(program.name), _style("program", 16, textColor=TEAL)),
        Spacer(1, 0.2 * inch),
        Paragraph("Certificate of Completion", _style("title", 34, fontName="Helvetica-Bold")),
        Spacer(1, 0.3 * inch),
        Paragraph("This certifies that", _style("lead", 14)),
        Spacer(1, 0.1 * inch),
        Paragraph(
            escape(certificate.application.full_name),
            _style("name", 28, fontName="Helvetica-Bold", textColor=TEAL),
        ),
        Spacer(1, 0.15 * inch),
        Paragraph(
            f"completed the {escape(program.name)}, {escape(cycle.name)}, as a {role},<br/>"
            f"{date_format(cycle.starts_on, 'F j, Y')} to {date_format(cycle.ends_on, 'F j, Y')}.",
            _style("body", 14),
        ),
    ]
    if goals:
        story += [
            Spacer(1, 0.25 * inch),
            Paragraph("Goals of the year", _style("goals", 12, fontName="Helvetica-Bold")),
        ]
        for goal in goals:
            outcome = f": {escape(goal.outcome.lower())}" if goal.outcome else ""
            story.append(Paragraph(f"{escape(goal.title)}{outcome}", _style("goal", 11)))
    verify = f"{settings.SITE_URL}{certificate.get_absolute_url()}"
    story += [
        Spacer(1, 0.35 * inch),
        Paragraph(
            f"Verification code <b>{certificate.display_code}</b> · {escape(verify)}",
            _style("code", 9, textColor=colors.HexColor("#444444")),
        ),
    ]
    doc.build(story, onFirstPage=_frame)
    return buffer.getvalue()
