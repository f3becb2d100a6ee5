"""The newsletter app moved from ``mentoring/newsletter/`` to ``newsletter/``: deliveries
recorded before the move name their renderer by its old path, which no longer imports.
Only the path changes; no table does."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD = "mentoring.newsletter.emails."
NEW = "newsletter.emails."


def _rename(apps, old: str, new: str) -> None:
    Delivery = apps.get_model("mentoring", "Delivery")
    Delivery.objects.filter(renderer__startswith=old).update(
        renderer=Replace("renderer", Value(old), Value(new))
    )


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0002_privacy"),
        ("newsletter", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
