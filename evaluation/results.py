"""Survey results: how many were invited and answered, and each question's figures by
role and by program objective, never showing a group too small to stay anonymous."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Prefetch,
    Q,
)
from django.utils.translation import gettext

from mentoring.models import ProgramObjective

from .cycle_data import MIN_GROUP, ROLES, CycleData
from .models import SCALE, Answer, Invitation, Question, Survey

# --- Surveys ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    """Answers of one group to one question (or one objective's scale questions)."""

    count: int
    distribution: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return self.count > 0 and not self.hidden


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    stats: dict[str, Stat]


@dataclass(frozen=True)
class ObjectiveResult:
    """The questions that measure one objective (``objective`` None: questions not tied
    to one), their combined 1-5 answers by role, and how many answered them."""

    objective: ProgramObjective | None
    questions: list[QuestionResult]
    scale: dict[str, Stat]
    respondents: dict[str, int]
    response_rate: dict[str, float | None]

    @property
    def label(self) -> str:
        return self.objective.text if self.objective else gettext("Not tied to an objective")

    @property
    def has_scale(self) -> bool:
        return any(q.question.is_scale for q in self.questions)


@dataclass(frozen=True)
class NamedResponse:
    """The answers of a person who agreed to be named."""

    invitation: Invitation
    answers: list[Answer]

    @property
    def name(self) -> str:
        person = self.invitation.person
        return person.get_full_name() if person else "A former participant"


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    invited: dict[str, int]
    answered: dict[str, int]
    objectives: list[ObjectiveResult]
    named: list[NamedResponse]

    @property
    def response_rate(self) -> dict[str, float | None]:
        return {key: _rate(self.answered[key], self.invited[key]) for key in self.invited}

    @property
    def any_answers(self) -> bool:
        return self.answered["all"] > 0


def _invitations_counted(survey: Survey) -> tuple[dict[str, int], dict[str, int]]:
    """The invited and the answered by role, and everyone ("all")."""
    invited = {"mentee": 0, "mentor": 0}
    answered = {"mentee": 0, "mentor": 0}
    for row in (
        Invitation.objects.filter(survey=survey)
        .values("role")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    ):
        invited[row["role"]] = row["n"]
        answered[row["role"]] = row["answered"]
    invited["all"] = sum(invited.values())
    answered["all"] = sum(answered.values())
    return invited, answered


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _stat(question_kind: str, values: Counter, labels: list[str]) -> Stat:
    count = sum(values.values())
    if question_kind == Question.Kind.TEXT:
        return Stat(count=count)
    distribution = tuple((label, values.get(label, 0)) for label in labels)
    mean = None
    if question_kind == Question.Kind.SCALE and count:
        mean = sum(int(label) * n for label, n in distribution) / count
    return Stat(count=count, distribution=distribution, mean=mean)


def _protect(stats: dict[str, Stat], people: dict[str, int] | None = None) -> dict[str, Stat]:
    """Hide the mean and distribution of a group of fewer than MIN_GROUP people (by
    default one answer is one person); and of everyone together when that would reveal
    a hidden group by subtraction."""
    sizes = people or {key: stat.count for key, stat in stats.items()}

    def hide(stat: Stat) -> Stat:
        return Stat(count=stat.count, hidden=True)

    small = {k for k in ROLES if 0 < sizes[k] < MIN_GROUP}
    protected = {k: hide(stats[k]) if k in small else stats[k] for k in ROLES}
    shown_roles = [k for k in ROLES if sizes[k] >= MIN_GROUP]
    everyone = stats["all"]
    if everyone.count and (sizes["all"] < MIN_GROUP or (small and shown_roles)):
        everyone = hide(everyone)
    protected["all"] = everyone
    return protected


def _labels(question: Question) -> list[str]:
    if question.kind == Question.Kind.SCALE:
        return [str(n) for n in SCALE]
    if question.kind == Question.Kind.CHOICE:
        return question.choice_list
    return []


def survey_results(
    survey: Survey, *, counted: tuple[dict[str, int], dict[str, int]] | None = None
) -> SurveyResults:
    """A survey's results per objective, by role: mean, distribution, count and response
    rate; and the answers of those who agreed to be named. A fixed number of queries
    however many answered, one more when an objective has several questions.

    ``counted``: the invited and the answered by role (and "all"), when the caller has
    counted them already (the health page's :class:`SurveySummary`)."""
    questions = list(survey.questions.select_related("objective").order_by("position", "id"))
    if counted is not None:
        invited, answered = dict(counted[0]), dict(counted[1])
    else:
        invited, answered = _invitations_counted(survey)

    tallies: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    # People who answered at least one of an objective's questions, and at least one of
    # its 1-5 questions (the size of the group its combined figures describe).
    respondents: dict[int | None, Counter] = defaultdict(Counter)
    scale_people: dict[int | None, Counter] = defaultdict(Counter)
    objective_of = {q.pk: q.objective_id for q in questions}
    asked = Counter(objective_of.values())
    for row in (
        Answer.objects.filter(invitation__survey=survey, invitation__answered_at__isnull=False)
        .values("question_id", "invitation__role", "number", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        value = str(row["number"]) if row["number"] is not None else row["choice"]
        tallies[row["question_id"]][row["invitation__role"]][value] += row["n"]
        # A person answers a question once: an objective of one question counts its
        # answers; only one of several questions needs people counted apart.
        objective = objective_of.get(row["question_id"])
        if asked[objective] == 1:
            respondents[objective][row["invitation__role"]] += row["n"]
            if row["number"] is not None:
                scale_people[objective][row["invitation__role"]] += row["n"]
    several = [pk for pk, n in asked.items() if n > 1]
    if several:
        of_several = Q(question__objective_id__in=[pk for pk in several if pk is not None])
        if None in several:
            of_several |= Q(question__objective__isnull=True)
        for row in (
            Answer.objects.filter(
                of_several, invitation__survey=survey, invitation__answered_at__isnull=False
            )
            .values("question__objective_id", "invitation__role")
            .annotate(
                n=Count("invitation", distinct=True),
                on_scale=Count("invitation", distinct=True, filter=Q(number__isnull=False)),
            )
            .order_by()
        ):
            objective = row["question__objective_id"]
            respondents[objective][row["invitation__role"]] += row["n"]
            scale_people[objective][row["invitation__role"]] += row["on_scale"]

    by_objective: dict[int | None, list[QuestionResult]] = defaultdict(list)
    objectives: dict[int | None, ProgramObjective | None] = {None: None}
    for question in questions:
        labels = _labels(question)
        per_role = {role: tallies[question.pk][role] for role in ROLES}
        per_role["all"] = sum(per_role.values(), Counter())
        stats = {key: _stat(question.kind, values, labels) for key, values in per_role.items()}
        by_objective[question.objective_id].append(QuestionResult(question, _protect(stats)))
        objectives[question.objective_id] = question.objective

    results = []
    ordered = sorted(
        by_objective,
        key=lambda pk: (pk is None, objectives[pk].position if pk else 0, pk or 0),
    )
    for pk in ordered:
        items = by_objective[pk]
        combined: dict[str, Counter] = {key: Counter() for key in (*ROLES, "all")}
        for item in items:
            if item.question.is_scale:
                for role in ROLES:
                    combined[role] += tallies[item.question.pk][role]
        for role in ROLES:
            combined["all"] += combined[role]
        scale_labels = [str(n) for n in SCALE]
        sizes = {role: scale_people[pk][role] for role in ROLES}
        sizes["all"] = sum(sizes.values())
        scale = _protect(
            {
                key: _stat(Question.Kind.SCALE, values, scale_labels)
                for key, values in combined.items()
            },
            sizes,
        )
        people = {role: respondents[pk][role] for role in ROLES}
        people["all"] = sum(people.values())
        results.append(
            ObjectiveResult(
                objective=objectives[pk],
                questions=items,
                scale=scale,
                respondents=people,
                response_rate={key: _rate(people[key], invited[key]) for key in people},
            )
        )

    named = [
        NamedResponse(invitation=invitation, answers=list(invitation.answers.all()))
        for invitation in Invitation.objects.filter(
            survey=survey, named=True, answered_at__isnull=False
        )
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            )
        )
        .order_by("role", "person__full_name", "pk")
    ]
    return SurveyResults(
        survey=survey,
        invited=invited,
        answered=answered,
        objectives=results,
        named=named,
    )


@dataclass(frozen=True)
class SurveySummary:
    survey: Survey
    invited: dict[str, int]
    answered: dict[str, int]

    @property
    def response_rate(self) -> dict[str, float | None]:
        return {key: _rate(self.answered[key], self.invited[key]) for key in self.invited}


def survey_summaries(data: CycleData) -> list[SurveySummary]:
    """The cycle's surveys, each with how many were invited and answered, by role."""
    surveys = list(Survey.objects.filter(cycle=data.cycle).order_by("opens_on", "pk"))
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: {"invited": Counter(), "answered": Counter()}
    )
    for row in (
        Invitation.objects.filter(survey__cycle=data.cycle)
        .values("survey_id", "role")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    ):
        counts[row["survey_id"]]["invited"][row["role"]] = row["n"]
        counts[row["survey_id"]]["answered"][row["role"]] = row["answered"]
    summaries = []
    for survey in surveys:
        invited = {role: counts[survey.pk]["invited"][role] for role in ROLES}
        answered = {role: counts[survey.pk]["answered"][role] for role in ROLES}
        invited["all"], answered["all"] = sum(invited.values()), sum(answered.values())
        summaries.append(SurveySummary(survey=survey, invited=invited, answered=answered))
    return summaries
