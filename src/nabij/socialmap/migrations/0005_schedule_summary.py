"""The schedule summary the search filters on: weekdays, start time of day, next start."""

from django.db import migrations, models

SCHEDULE = ("dtstart", "rrule", "exdates", "active_from", "active_until")


def summarise(apps, schema_editor):
    # The computation only reads the five schedule fields of an unsaved instance.
    from nabij.socialmap.models import Activity as Current

    model = apps.get_model("socialmap", "activity")
    rows = list(model._base_manager.only("pk", *SCHEDULE))
    for row in rows:
        current = Current(**{name: getattr(row, name) for name in SCHEDULE})
        current.summarise_schedule()
        row.weekdays_mask, row.start_minute, row.next_start = (
            current.weekdays_mask,
            current.start_minute,
            current.next_start,
        )
    model._base_manager.bulk_update(rows, ["weekdays_mask", "start_minute", "next_start"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("socialmap", "0004_archiving"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="next_start",
            field=models.DateTimeField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="start_minute",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="activity",
            name="weekdays_mask",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(summarise, migrations.RunPython.noop),
    ]
