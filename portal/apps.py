from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof of the project: the participant's home (“My mentoring”), which gathers
    every app, and the site's URLconf. Nothing imports it."""

    name = "portal"
    verbose_name = "My mentoring"
