"""The role groups and their permissions, kept present after every `migrate` and `flush`.

The data migration `0002_roles` creates them once; `flush` (which every transactional test ends with) empties
all tables and then sends `post_migrate`, so this handler puts the groups back. It only adds what is missing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

# The one definition of the roles: the data migration 0002_roles and every post_migrate use it.
# Administrators run everything in admin, including login lockouts (axes), schedules (django_celery_beat) and
# the e-mail outbox (common).
ADMIN_APPS = (
    "accounts",
    "facilities",
    "notifications",
    "incidents",
    "alarms",
    "legal",
    "analytics",
    "common",
    "django_celery_beat",
    "axes",
)
ROLE_PERMISSIONS = {
    "reporter": ["incidents.report_incident"],
    "facility_lead": ["incidents.report_incident", "incidents.view_facility_incidents", "facilities.view_facility"],
    "police_officer": ["incidents.work_case", "facilities.view_facility"],
    "ministry_analyst": ["incidents.view_statistics"],
    "administrator": ["incidents.view_statistics", "facilities.view_facility"],
}
# Administrators read the audit log of grants (django-auditlog) but may not delete from it.
ADMIN_READ_ONLY = (("auditlog", "view_logentry"),)
# Each role's permissions open its pages, checked by the gate in accounts/permissions.py, which accepts only these.
PAGE_PERMISSIONS = frozenset(code for codes in ROLE_PERMISSIONS.values() for code in codes)
# Reporting and case work belong to their roles alone: administrators (superusers included) use admin,
# so the administrator group's grant of every admin app's permissions leaves these out.
NOT_FOR_ADMINISTRATORS = PAGE_PERMISSIONS - set(ROLE_PERMISSIONS["administrator"])


def ensure_role_groups(sender=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate handler: create any missing role group and permission link."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        apps.get_model("incidents", "Incident")
    except LookupError:
        return  # a partial migration: the tables are not there yet
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    permissions = Permission.objects.using(using)
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(*permissions.filter(content_type__app_label=app_label, codename=codename))
    administrators = Group.objects.using(using).get(name="administrator")
    admin_permissions = permissions.filter(content_type__app_label__in=(*ADMIN_APPS, "auth"))
    for code in NOT_FOR_ADMINISTRATORS:
        app_label, codename = code.split(".")
        admin_permissions = admin_permissions.exclude(content_type__app_label=app_label, codename=codename)
    administrators.permissions.add(*admin_permissions)
    for app_label, codename in ADMIN_READ_ONLY:
        administrators.permissions.add(*permissions.filter(content_type__app_label=app_label, codename=codename))
