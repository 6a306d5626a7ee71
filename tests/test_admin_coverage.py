"""Every model of the project is in Django admin (issue 2), on its own or as an inline of its parent, and the
administrator role can open each list."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = ("accounts", "facilities", "notifications", "incidents", "alarms", "legal", "analytics", "common")


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_project_model_is_in_admin():
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    missing = [m._meta.label for m in project_models() if m not in admin.site._registry and m not in inlined]
    assert missing == []


def test_the_administrator_role_opens_every_changelist(client, administrator):
    client.force_login(administrator)
    for model in project_models():
        if model not in admin.site._registry:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
