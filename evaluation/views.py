"""The participants' survey pages. A survey opens from the person's own link (a token in
the invitation email); signed in as someone else, the link is a 404, as is an unknown
or withdrawn one. Answers are never shown to anyone but the person who gave them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import SurveyAnswerForm
from .models import Invitation


def _invitation(request: HttpRequest, token: str) -> Invitation:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404("No such survey link.")
    if request.user.is_authenticated and request.user.pk != invitation.person_id:
        raise Http404("No such survey link.")
    return invitation


def _render(
    request: HttpRequest, template: str, invitation: Invitation, context: dict, status: int = 200
) -> HttpResponse:
    program = invitation.survey.cycle.program
    base = {"invitation": invitation, "survey": invitation.survey, "program": program}
    with timezone.override(program.tz):
        return render(request, template, {**base, **context}, status=status)


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(request, token)
    survey = invitation.survey
    if not survey.takes_answers_on(survey.cycle.program.today()):
        return _render(request, "evaluation/closed.html", invitation, {})
    questions = selectors.survey_questions(survey)
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.survey_answer(
                    invitation=invitation, answers=form.answers(), named=form.named_value
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("evaluation:thanks", token=token)
        return _render(request, "evaluation/answer.html", invitation, {"form": form}, status=400)
    previous = selectors.answers_of(invitation)
    form = SurveyAnswerForm(
        questions=questions,
        initial=SurveyAnswerForm.initial_from(previous, named=invitation.named),
    )
    return _render(request, "evaluation/answer.html", invitation, {"form": form})


@never_cache
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(request, token)
    if not invitation.has_answered:
        return redirect("evaluation:answer", token=token)
    return _render(
        request, "evaluation/thanks.html", invitation, {"answers": selectors.answers_of(invitation)}
    )


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    invitations = list(selectors.invitations_of_person(request.user))
    for invitation in invitations:
        program = invitation.survey.cycle.program
        invitation.open_now = invitation.survey.takes_answers_on(program.today())
    return render(request, "evaluation/mine.html", {"invitations": invitations})
