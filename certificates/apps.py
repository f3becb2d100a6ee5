from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates of completion")

    def ready(self) -> None:
        from matches.signals import match_concluded

        from . import services

        match_concluded.connect(services.on_match_concluded, dispatch_uid="certificates")
