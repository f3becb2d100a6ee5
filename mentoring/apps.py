from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Program"

    def ready(self) -> None:
        from django.db import connections
        from django.db.models.signals import post_migrate

        from .schedules import register_after_migrate

        # The periodic tasks beat runs are rows in the database, registered by migrate.
        post_migrate.connect(register_after_migrate, sender=self)

        from . import page_cache

        # Every write renews its tables' tokens (page_cache.install runs on each new
        # connection; one made before this module was imported is caught up here).
        for connection in connections.all(initialized_only=True):
            page_cache.install(connection)

        # The tasks answer mail's signal: recorded deliveries are published to workers;
        # second_factor counts setting up an authenticator as proving it (its receiver).
        from . import second_factor, tasks  # noqa: F401
