from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # The tasks answer the services' signals (queued decisions go to a worker).
        # The interests, kept in the shared cache, are read afresh once staff change one.
        from mentoring import content_cache

        from . import tasks  # noqa: F401
        from .models import Interest
        from .selectors import INTERESTS

        content_cache.connect_signals(INTERESTS, [Interest])
