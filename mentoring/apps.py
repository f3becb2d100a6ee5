from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Program")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .schedules import register_after_migrate

        # The periodic tasks beat runs are rows in the database, registered by migrate.
        post_migrate.connect(register_after_migrate, sender=self)

        from .roles import roles_after_migrate

        # The roles' groups hold exactly what roles.py lists, whatever was migrated.
        post_migrate.connect(roles_after_migrate, sender=self)

        from . import content_cache

        # Staff changing a program, a cycle or its timeline: the shared copy is dropped.
        content_cache.connect_program_signals()

        # The tasks answer mail's signal: recorded deliveries are published to workers;
        # second_factor counts setting up an authenticator as proving it (its receiver).
        from . import second_factor, tasks  # noqa: F401
