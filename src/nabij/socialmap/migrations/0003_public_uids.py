"""A stable public `uid` on organisations, places and activities (API, HSDS, iCal).

Three steps, so existing rows each get their own UUID before the column becomes unique.
"""

import uuid

from django.db import migrations, models

MODELS = ("organisation", "place", "activity")


def fill_uids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("socialmap", name)
        rows = list(model._base_manager.filter(uid__isnull=True).only("pk"))
        for row in rows:
            row.uid = uuid.uuid4()
        model._base_manager.bulk_update(rows, ["uid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0002_places_activities_barriers")]

    operations = [
        *(migrations.AddField(name, "uid", models.UUIDField(null=True, editable=False)) for name in MODELS),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                name,
                "uid",
                models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publieke id"),
            )
            for name in MODELS
        ),
    ]
