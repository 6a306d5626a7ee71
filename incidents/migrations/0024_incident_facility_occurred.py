"""An index on (facility, time of the incident): the incremental statistics refresh finds the incidents of the
(month, facility) groups that changed by it (issue 14), instead of intersecting the facility's and the month's."""

from django.db import migrations, models

from common.migrations_ops import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False  # built CONCURRENTLY, so that reports and case work go on meanwhile

    dependencies = [("incidents", "0023_event_kinds_with_episodes")]

    operations = [
        AddIndexOnPostgreSQL(
            model_name="incident",
            index=models.Index(fields=["facility", "occurred_at"], name="incident_facility_occurred"),
        ),
    ]
