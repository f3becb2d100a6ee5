from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        # The tasks answer the services' signals (queued decisions go to a worker).
        from . import tasks  # noqa: F401
