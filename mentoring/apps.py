from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Program"

    def ready(self) -> None:
        from django.db import connections

        from . import page_cache

        # Every write renews its tables' tokens (page_cache.install runs on each new
        # connection; one made before this module was imported is caught up here).
        for connection in connections.all(initialized_only=True):
            page_cache.install(connection)

        # The tasks answer mail's signal: recorded deliveries are published to workers.
        from . import tasks  # noqa: F401
