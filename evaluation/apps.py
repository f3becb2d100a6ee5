from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Program health for the committee, and the surveys that evaluate the year against
    the program's objectives. The top of the project: it reads every app, nothing
    imports it."""

    name = "mentoring.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
