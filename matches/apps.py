from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "matches"

    def ready(self) -> None:
        # The tasks answer the runs' signal (a queued run of the engine goes to a worker).
        from . import tasks  # noqa: F401
