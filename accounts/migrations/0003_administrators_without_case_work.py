"""Administrators use admin: the role permissions of reporting and case work leave their group.

Until now the administrator group held every permission of the incidents app, the role permissions
included, which the pages ignored because they checked group names. The pages now check permissions
(accounts/permissions.py), so the group keeps only its own (`accounts/roles.py`). The list is frozen here
as it was when this migration was written.
"""

from django.db import migrations

ROLE_ONLY = (
    ("incidents", "report_incident"),
    ("incidents", "view_facility_incidents"),
    ("incidents", "work_case"),
)


def remove_role_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    alias = schema_editor.connection.alias
    group = Group.objects.using(alias).filter(name="administrator").first()
    if group is None:
        return
    for app_label, codename in ROLE_ONLY:
        group.permissions.remove(
            *Permission.objects.using(alias).filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(remove_role_permissions, migrations.RunPython.noop)]
