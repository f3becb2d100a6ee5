from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The roof of the project: the participant's home (“My mentoring”), which gathers
    every app, and the site's URLconf. Nothing imports it."""

    name = "portal"
    verbose_name = _("My mentoring")
