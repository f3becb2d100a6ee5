from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The tasks answer the services' signals (queued decisions go to a worker).
        from . import tasks  # noqa: F401
