from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from mentoring import content_cache

        # The tasks answer the services' signals (queued decisions go to a worker).
        from . import tasks  # noqa: F401
        from .models import Conference, Interest
        from .selectors import CHOICES

        # The interests and conferences kept in the shared cache (selectors.choices).
        content_cache.connect_signals(CHOICES, [Interest, Conference])
