"""The roles (mentoring/roles.py) as groups: reviewer, coordinator, administrator.

In the roof app, which may know every app below it: the groups are given the permissions
of every app's models, so this runs after their migrations. Every later ``migrate``
applies the roles again (post_migrate), so models added since get theirs.

The group every committee member used to share held every permission of the program;
its members become coordinators (they ran the year) and it goes. Who of them only
reviews or administers is then set on each person.
"""

from django.db import migrations

LEGACY_GROUP = "Committee staff"


def apply_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from mentoring.roles import COORDINATOR, roles_apply

    using = schema_editor.connection.alias
    # Permissions are otherwise created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None
    roles_apply(apps=apps, using=using)

    Group = apps.get_model("auth", "Group")
    legacy = Group.objects.using(using).filter(name=LEGACY_GROUP).first()
    if legacy is not None:
        coordinator = Group.objects.using(using).get(name=COORDINATOR.name)
        coordinator.user_set.add(*legacy.user_set.all())
        legacy.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentoring", "0004_cycle_reviewers"),
        ("applications", "0005_review_permission"),
        ("matches", "0004_match_concluded_by_reason"),
        ("goals", "0003_revision_sent_back"),
        ("activities", "0001_initial"),
        ("newsletter", "0002_renderer_after_the_move"),
        ("evaluation", "0001_initial"),
        ("certificates", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
