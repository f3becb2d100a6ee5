from django.core.management.base import BaseCommand

from mentoring.discovery import app_modules


class Command(BaseCommand):
    help = (
        "Load the programs' own content (programs, objectives, timeline, interests, "
        "example goals, activity catalog, reading list). Safe to run again: nothing that "
        "exists is changed."
    )

    def handle(self, *args, **options):
        # Each app that has program content keeps its loader in <app>/content.py,
        # run in INSTALLED_APPS order so programs exist before their catalogs.
        for _config, module in app_modules("content"):
            module.load(log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("Program content loaded."))
