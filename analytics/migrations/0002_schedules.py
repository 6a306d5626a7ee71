"""The statistics schedules, as django-celery-beat rows so administrators can change them in admin."""

import json

from django.db import migrations

MONTHLY = "Qorgau: monthly statistics report (PDF, e-mailed to the Ministry)"
REFRESH = "Qorgau: refresh the statistics snapshot"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 07:00 Almaty on the 1st: last month is over, and the report is in the inbox before work starts.
    monthly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_month="1", month_of_year="*", day_of_week="*", timezone="Asia/Almaty")
    every_ten, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(name=MONTHLY, defaults={
        "task": "analytics.monthly_statistics_report_task", "crontab": monthly, "args": json.dumps([]),
        "description": "Makes last month's statistics PDF and e-mails it to QORGAU_MINISTRY_EMAILS."})
    PeriodicTask.objects.get_or_create(name=REFRESH, defaults={
        "task": "analytics.snapshot_refresh_task", "interval": every_ten, "args": json.dumps([]),
        "description": "Recounts the statistics snapshot the dashboard, PDF and exports are made from."})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[MONTHLY, REFRESH]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
