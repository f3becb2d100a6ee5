"""Give the role groups exactly the permissions mentoring/roles.py lists (migrate does it
too, after every run)."""

from django.core.management.base import BaseCommand

from mentoring.roles import ROLES, permissions_create, roles_apply


class Command(BaseCommand):
    help = "Create the reviewer, coordinator and administrator groups with their permissions."

    def handle(self, *args, **options) -> None:
        permissions_create()
        roles_apply()
        for role in ROLES:
            self.stdout.write(f"{role.name}: applied")
