"""Creates one group per role with its permissions. Re-running it only adds what is missing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_APPS = ("accounts", "facilities", "incidents", "legal", "django_celery_beat")

ROLE_PERMISSIONS = {
    "reporter": ["incidents.report_incident"],
    "facility_lead": ["incidents.report_incident", "incidents.view_facility_incidents"],
    "police_officer": ["incidents.work_case"],
    "ministry_analyst": ["incidents.view_statistics"],
    "administrator": ["incidents.view_statistics"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    administrators = Group.objects.get(name="administrator")
    administrators.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    administrators.permissions.add(*Permission.objects.filter(content_type__app_label="auth"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("incidents", "0001_initial"),
        ("legal", "0001_initial"),
        ("facilities", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
