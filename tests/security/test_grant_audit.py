"""Every grant of a role or a membership is recorded with who made it (django-auditlog), and administrators read
the record in admin but cannot change or delete it (issue 10, medium)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import PostAssignment, User
from tests import factories


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "x-root-password")


def _entries(model, pk) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(model)
    return list(LogEntry.objects.filter(content_type=content_type, object_pk=str(pk)).order_by("pk"))


def test_granting_the_officer_role_and_a_post_in_admin_is_recorded_with_its_granter(client, superuser, post_a):
    colleague = factories.UserFactory(username="colleague")
    officers = Group.objects.get(name="police_officer")
    client.force_login(superuser)
    data = {
        "username": "colleague",
        "first_name": colleague.first_name,
        "last_name": colleague.last_name,
        "email": colleague.email,
        "is_active": "on",
        "groups": [officers.pk],
        "facility_memberships-TOTAL_FORMS": "0",
        "facility_memberships-INITIAL_FORMS": "0",
        "post_assignments-TOTAL_FORMS": "1",
        "post_assignments-INITIAL_FORMS": "0",
        "post_assignments-0-post": post_a.pk,
        "department_assignments-TOTAL_FORMS": "0",
        "department_assignments-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:accounts_user_change", args=[colleague.pk]), data)

    assert response.status_code == 302
    roles = [e for e in _entries(User, colleague.pk) if "groups" in (e.changes or {})]
    assignment = PostAssignment.objects.get(user=colleague)
    posts = _entries(PostAssignment, assignment.pk)
    assert len(roles) == 1 and roles[0].actor == superuser
    assert roles[0].changes["groups"]["objects"] == ["police_officer"]
    assert [(e.action, e.actor) for e in posts] == [(LogEntry.Action.CREATE, superuser)]


def test_a_password_is_never_in_the_audit(superuser):
    user = factories.UserFactory(username="someone")
    user.set_password("another-Secret-1")
    user.save()

    assert all("password" not in (entry.changes or {}) for entry in _entries(User, user.pk))


def test_administrators_read_the_audit_in_admin_but_cannot_delete_it(client, administrator, post_a):
    officer = factories.make_officer(post_a, username="officer-audited")
    entry = _entries(PostAssignment, officer.post_assignments.get().pk)[0]
    client.force_login(administrator)

    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    delete = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})

    assert listing.status_code == 200 and f"{officer} @ {post_a}" in listing.content.decode()
    assert page.status_code == 200
    assert delete.status_code == 403 and LogEntry.objects.filter(pk=entry.pk).exists()
