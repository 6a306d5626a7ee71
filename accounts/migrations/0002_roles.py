"""Creates one group per role with its permissions (accounts/roles.py). Re-running it only adds what is
missing; the same function runs after every migrate and flush, so later apps' permissions join too."""

from django.db import migrations

from accounts.roles import ROLE_PERMISSIONS, ensure_role_groups


def create_roles(apps, schema_editor):
    ensure_role_groups(using=schema_editor.connection.alias, apps=apps)


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
