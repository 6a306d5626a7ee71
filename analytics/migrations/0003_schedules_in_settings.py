"""The statistics schedules move to CELERY_BEAT_SCHEDULE (config/settings/base.py), where every periodic task
is defined; beat writes them to django-celery-beat's tables at start. The rows 0002 made would run the same
tasks a second time, so they go."""

from django.db import migrations

MONTHLY = "Qorgau: monthly statistics report (PDF, e-mailed to the Ministry)"
REFRESH = "Qorgau: refresh the statistics snapshot"


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[MONTHLY, REFRESH]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_schedules"),
    ]

    operations = [migrations.RunPython(remove, migrations.RunPython.noop)]
