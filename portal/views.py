"""The participant's home: “My mentoring”."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .dashboard import dashboard_for


@login_required
def my_mentoring(request: HttpRequest) -> HttpResponse:
    """Where the person is in the program and what comes next."""
    return render(request, "portal/my_mentoring.html", {"dashboard": dashboard_for(request.user)})
