"""Issue 11: admin in Kazakh where Django's catalogue has no Kazakh (config/django_strings.py lists those strings,
our kk catalogue translates them)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_index_and_a_changelist_speak_kazakh(client, superuser):
    client.force_login(superuser)
    index = client.get(reverse("admin:index"), headers={"Accept-Language": "kk"}).content.decode()
    assert '<html lang="kk"' in index
    for english, kazakh in (("Recent actions", "Соңғы әрекеттер"), ("View site", "Сайтты ашу")):
        assert english not in index and kazakh in index
    users = client.get(reverse("admin:accounts_user_changelist"), headers={"Accept-Language": "kk"}).content.decode()
    assert "Select all objects on this page for an action" not in users
    assert "Осы беттегі барлық нысандарды әрекет үшін таңдау" in users
