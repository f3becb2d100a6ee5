from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from mentoring.celery import app as celery_app
from mentoring.discovery import app_modules
from mentoring.models import Delivery


class Command(BaseCommand):
    help = (
        "Add demo people and data (staff login, applicants, matches, goal sheets, activity "
        "logs) so the site shows something real. Run load_program_content first."
    )

    def handle(self, *args, **options):
        # The demo's own emails (confirmations, decisions, introductions...) go to a
        # folder rather than flooding the terminal; what people do afterwards is printed
        # as usual.
        folder = Path(settings.BASE_DIR) / "demo-emails"
        before = Delivery.objects.count()
        # The demo's history happened before the worker started: its emails are sent here
        # and now, whatever broker the worker uses.
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            self._seed(folder)
        finally:
            celery_app.conf.task_always_eager = eager
        sent = Delivery.objects.count() - before
        if sent:
            self.stdout.write(f"  {sent} demo emails written to {folder}/ (one file each)")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _seed(self, folder: Path) -> None:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(folder),
        ):
            # Each app adds its own demo data in <app>/demo.py, in INSTALLED_APPS order
            # (applicants before matches before goal sheets).
            for _config, module in app_modules("demo"):
                module.seed(log=lambda line: self.stdout.write(f"  {line}"))
