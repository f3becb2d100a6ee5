"""Program content of the evaluation, for ``manage.py load_program_content``: every cycle
still to run gets its two default surveys (a mid-year pulse and an end-of-program
evaluation, questions from ``data/default_surveys.json``). Idempotent: a cycle that has
them keeps them as staff left them; the hourly beat task does the same for new cycles."""

from __future__ import annotations

from django.db import transaction

from mentoring.content_spanish import fill_spanish
from mentoring.dates import month_day
from mentoring.models import Cycle

from . import services
from .models import Question


@transaction.atomic
def load(*, log=print) -> None:
    for cycle in Cycle.objects.select_related("program").prefetch_related(
        "milestones", "events", "program__objectives"
    ):
        today = cycle.program.today()
        if cycle.ends_on < today:
            continue
        created = services.default_surveys_create(cycle=cycle, today=today)
        # Surveys made before their Spanish existed get it (what staff wrote stays).
        words = services.spanish_words(cycle.program)
        fill_spanish(cycle.surveys.all(), ["title", "introduction"], words)
        fill_spanish(
            Question.objects.filter(survey__cycle=cycle),
            ["text", "help_text", "choices", "low_label", "high_label"],
            words,
        )
        if created:
            what = " and ".join(
                f"{s.title.lower()} ({s.get_status_display().lower()}, {month_day(s.opens_on)})"
                for s in created
            )
            log(f"Surveys of {cycle}: created the {what}")
        else:
            log(f"Surveys of {cycle}: kept")
