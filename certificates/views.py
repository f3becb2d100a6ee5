"""The certificate's two pages: the person's download, and anyone's verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .pdf import certificate_pdf


@login_required
@require_GET
def download(request: HttpRequest, match_id: int) -> HttpResponse:
    """The person's certificate as a PDF; ``?goals=0`` leaves the goals off."""
    certificate = selectors.certificate_of(request.user, match_id)
    goals = None if request.GET.get("goals") == "0" else selectors.goal_lines(certificate)
    response = HttpResponse(
        certificate_pdf(certificate, goals=goals), content_type="application/pdf"
    )
    name = f"certificate-{certificate.match.cycle.program.slug}-{certificate.match.cycle.slug}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a code belongs to a certificate, and whose (name, program, year,
    role and nothing more)."""
    try:
        certificate = selectors.certificate_verified(code)
    except Http404:
        return render(request, "certificates/verify.html", {"code": code}, status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate, "code": code})
