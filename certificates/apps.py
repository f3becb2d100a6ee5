from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates of completion"

    def ready(self) -> None:
        from matches.signals import match_concluded

        from . import services

        match_concluded.connect(services.on_match_concluded, dispatch_uid="certificates")
