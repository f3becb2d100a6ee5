from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Program health for the committee, and the surveys that evaluate the year against
    the program's objectives. It reads every app below it; only the portal (My
    mentoring's surveys waiting) reads it."""

    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from matches.signals import match_concluded

        from . import closing

        match_concluded.connect(closing.on_match_concluded, dispatch_uid="evaluation.closing")
