"""A public `uid` for groups (URLs, API) and who started the group (they manage it).

Three steps for the uid, so existing rows each get their own UUID before the column becomes unique.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_uids(apps, schema_editor):
    group = apps.get_model("groups", "Group")
    rows = list(group._base_manager.filter(uid__isnull=True).only("pk"))
    for row in rows:
        row.uid = uuid.uuid4()
    group._base_manager.bulk_update(rows, ["uid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("group", "uid", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            "group",
            "uid",
            models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publieke id"),
        ),
        migrations.AddField(
            model_name="group",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gestart door",
            ),
        ),
    ]
