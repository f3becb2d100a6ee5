from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Program"

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
        content_cache.connect_signals()

        # The tasks answer mail's signal: recorded deliveries are published to workers.
        from . import tasks  # noqa: F401
