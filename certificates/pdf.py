"""The certificate as a PDF (reportlab): one landscape Letter page, in its person's
language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from applications.models import Application
from mentoring.dates import long_date
from mentoring.mail import person_language

from .models import Certificate

TEAL = colors.HexColor("#0b5563")


@dataclass(frozen=True)
class GoalLine:
    title: str
    # “Achieved”, … (the choice's lazy label, so it reads in the PDF's language) or ""
    # when not recorded
    outcome: str


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
    choice). Written in the language kept on the person's account (the page's language
    for an account without one), whoever asks for it, as their e-mails are."""
    with translation.override(person_language(certificate.application.applicant)):
        return _certificate_pdf(certificate, goals=goals)


def _completed(certificate: Certificate) -> str:
    """The sentence of what the person completed; one per role, as the role's word
    changes the sentence around it in Spanish."""
    match = certificate.match
    names = {"program": escape(match.cycle.program.name), "cycle": escape(match.cycle.name)}
    if certificate.application.role == Application.Role.MENTOR:
        sentence = gettext("completed the %(program)s, %(cycle)s, as a mentor,") % names
    else:
        sentence = gettext("completed the %(program)s, %(cycle)s, as a mentee,") % names
    period = gettext("%(start)s to %(end)s.") % {
        "start": long_date(match.cycle.starts_on),
        "end": long_date(match.cycle.ends_on),
    }
    return f"{sentence}<br/>{period}"


def _certificate_pdf(certificate: Certificate, *, goals: list[GoalLine] | None) -> bytes:
    match = certificate.match
    cycle, program = match.cycle, match.cycle.program
    name = certificate.application.full_name
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=1.1 * inch,
        rightMargin=1.1 * inch,
        topMargin=0.9 * inch,
        bottomMargin=0.8 * inch,
        title=gettext("Certificate of completion: %(name)s") % {"name": name},
        author=program.organization or program.name,
        subject=f"{program.name}, {cycle.name}",
    )
    story = [
        Paragraph(escape(program.name), _style("program", 16, textColor=TEAL)),
        Spacer(1, 0.2 * inch),
        Paragraph(
            escape(gettext("Certificate of Completion")),
            _style("title", 34, fontName="Helvetica-Bold"),
        ),
        Spacer(1, 0.3 * inch),
        Paragraph(escape(gettext("This certifies that")), _style("lead", 14)),
        Spacer(1, 0.1 * inch),
        Paragraph(escape(name), _style("name", 28, fontName="Helvetica-Bold", textColor=TEAL)),
        Spacer(1, 0.15 * inch),
        Paragraph(_completed(certificate), _style("body", 14)),
    ]
    if goals:
        story += [
            Spacer(1, 0.25 * inch),
            Paragraph(
                escape(gettext("Goals of the year")),
                _style("goals", 12, fontName="Helvetica-Bold"),
            ),
        ]
        for goal in goals:
            outcome = f": {escape(str(goal.outcome).lower())}" if goal.outcome else ""
            story.append(Paragraph(f"{escape(goal.title)}{outcome}", _style("goal", 11)))
    verify = f"{settings.SITE_URL}{certificate.get_absolute_url()}"
    code = gettext("Verification code %(code)s") % {"code": f"<b>{certificate.display_code}</b>"}
    story += [
        Spacer(1, 0.35 * inch),
        Paragraph(
            f"{code} · {escape(verify)}",
            _style("code", 9, textColor=colors.HexColor("#444444")),
        ),
    ]
    doc.build(story, onFirstPage=_frame)
    return buffer.getvalue()
