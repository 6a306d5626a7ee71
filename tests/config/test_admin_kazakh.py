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


def test_the_admin_scripts_speak_kazakh(client, superuser):
    """The calendar, clock and selector boxes: Django's kk catalogue of the admin's scripts has 13 of 76 messages;
    locale/kk/LC_MESSAGES/djangojs.po gives the rest (merged over it from LOCALE_PATHS)."""
    client.force_login(superuser)
    catalog = client.get(reverse("admin:jsi18n"), headers={"Accept-Language": "kk"}).content.decode("unicode_escape")
    for kazakh in ("Қаңтар", "Желтоқсан", "Жексенбі", "Күнді таңдаңыз", "Барлық %s таңдау"):
        assert kazakh in catalog
    assert '"January"' in catalog  # the control: the catalogue maps the English messages


def test_every_admin_script_message_has_kazakh():
    from pathlib import Path

    import polib
    from django.conf import settings
    from django.contrib import admin

    source = polib.pofile(str(Path(admin.__file__).parent / "locale/en/LC_MESSAGES/djangojs.po"))
    theirs = polib.pofile(str(Path(admin.__file__).parent / "locale/kk/LC_MESSAGES/djangojs.po"))
    ours = polib.pofile(str(Path(settings.BASE_DIR) / "locale/kk/LC_MESSAGES/djangojs.po"))
    translated = {(e.msgctxt, e.msgid) for po in (theirs, ours) for e in po.translated_entries()}
    missing = [e.msgid for e in source if (e.msgctxt, e.msgid) not in translated]
    assert missing == []
