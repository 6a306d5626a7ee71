"""API keys in admin: revoking goes through `api.services.apikey_revoke`, from the action and from the form, so
that every revocation is recorded the same way."""

import logging

import pytest
from django.urls import reverse

from api.models import PlaceAPIKey
from api.services import apikey_create
from tests import factories


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def _revocations(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "api.services" and "revoked" in r.getMessage()]


def test_the_revoke_action_revokes_through_the_service(client, superuser, post_a, caplog):
    first, _raw = apikey_create(name="button 1", post_code=post_a.code)
    second, _raw = apikey_create(name="button 2", post_code=post_a.code)
    kept, _raw = apikey_create(name="button 3", post_code=post_a.code)
    client.force_login(superuser)
    with caplog.at_level(logging.INFO, logger="api.services"):
        response = client.post(
            reverse("admin:api_placeapikey_changelist"),
            {"action": "revoke", "_selected_action": [first.pk, second.pk]},
        )
    assert response.status_code == 302
    assert set(PlaceAPIKey.objects.filter(revoked=True).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert sorted(_revocations(caplog)) == sorted(
        f"API key {key.prefix} revoked by user {superuser.pk}" for key in (first, second)
    )
    assert not PlaceAPIKey.objects.get(pk=kept.pk).revoked


def test_ticking_revoked_in_the_form_revokes_through_the_service(client, superuser, post_a, caplog):
    key, _raw = apikey_create(name="button 1", post_code=post_a.code)
    client.force_login(superuser)
    url = reverse("admin:api_placeapikey_change", args=[key.pk])
    with caplog.at_level(logging.INFO, logger="api.services"):
        response = client.post(
            url, {"name": "button 1, admission", "revoked": "on", "expiry_date_0": "", "expiry_date_1": ""}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    key.refresh_from_db()
    assert key.revoked and key.name == "button 1, admission"
    assert _revocations(caplog) == [f"API key {key.prefix} revoked by user {superuser.pk}"]
