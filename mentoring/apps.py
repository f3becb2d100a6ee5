from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Program"

    def ready(self) -> None:
        from . import models, selectors

        def changed(**kwargs):
            selectors.program_content_changed()

        # Everything :func:`selectors.programs` keeps in the cache. (Bulk inserts send no
        # signal: the code that makes them says so itself.)
        for model in (
            models.Program,
            models.ProgramObjective,
            models.Committee,
            models.Cycle,
            models.Milestone,
            models.Event,
        ):
            uid = f"program-content-{model.__name__}"
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
