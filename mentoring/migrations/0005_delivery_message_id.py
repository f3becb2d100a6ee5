from django.db import migrations, models

import mentoring.models


def give_each_delivery_its_message_id(apps, schema_editor):
    """Deliveries recorded before this migration get a Message-ID each (a default on the
    new column would give every row the same one)."""
    Delivery = apps.get_model("mentoring", "Delivery")
    rows = Delivery.objects.filter(message_id__isnull=True).only("pk")
    batch = []
    for delivery in rows.iterator(chunk_size=2000):
        delivery.message_id = mentoring.models.new_message_id()
        batch.append(delivery)
        if len(batch) == 2000:
            Delivery.objects.bulk_update(batch, ["message_id"])
            batch = []
    Delivery.objects.bulk_update(batch, ["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0004_spent_form_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="message_id",
            field=models.CharField(max_length=255, null=True, editable=False),
        ),
        migrations.RunPython(give_each_delivery_its_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="message_id",
            field=models.CharField(
                default=mentoring.models.new_message_id,
                editable=False,
                help_text="The same on every attempt: a copy sent again is the same message.",
                max_length=255,
                unique=True,
                verbose_name="Message-ID",
            ),
        ),
    ]
