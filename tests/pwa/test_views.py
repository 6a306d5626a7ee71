"""The installable app's server side (config/pwa.py): manifests per language and role, the worker at the root,
the install help page, the state the outbox asks for."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from incidents.services.drafts import report_form_author

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name"), [("ru", "Qorgau — защита медицинских работников"), ("kk", "Qorgau"), ("en", "Qorgau")]
)
def test_manifest_is_served_in_each_language(client, language, name):
    response = client.get(f"/manifest/{language}/reporter.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language
    assert manifest["name"].startswith(name)
    assert manifest["id"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0d6efd"


def test_manifests_in_russian_kazakh_and_english_differ():
    from django.test import Client

    names = {
        language: json.loads(Client().get(f"/manifest/{language}/reporter.webmanifest").content)["description"]
        for language in ("ru", "kk", "en")
    }
    assert len(set(names.values())) == 3, names


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("reporter", "/incidents/report/"),
        ("lead", "/incidents/facility/"),
        ("officer", "/incidents/cases/"),
        ("analyst", "/statistics/"),
        ("other", "/"),
    ],
)
def test_start_url_is_the_roles_first_page(client, role, start):
    manifest = json.loads(client.get(f"/manifest/en/{role}.webmanifest").content)
    assert manifest["start_url"] == start + "?source=app"


def test_manifest_lists_every_icon_size_and_the_files_exist(client):
    manifest = json.loads(client.get("/manifest/en/reporter.webmanifest").content)
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon.get("purpose") != "maskable"}
    assert {"48x48", "72x72", "96x96", "144x144", "192x192", "512x512"} <= sizes
    assert {icon["sizes"] for icon in manifest["icons"] if icon.get("purpose") == "maskable"} == {
        "192x192",
        "512x512",
    }
    from django.contrib.staticfiles import finders
    from PIL import Image

    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


@pytest.mark.parametrize("path", ["/manifest/de/reporter.webmanifest", "/manifest/en/superuser.webmanifest"])
def test_unknown_language_or_role_is_404(client, path):
    assert client.get(path).status_code == 404


def test_pages_link_the_manifest_of_their_language_and_the_users_role(client, reporter, officer):
    client.force_login(reporter)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<link rel="manifest" href="/manifest/en/reporter.webmanifest">' in html
    assert '<meta name="theme-color" content="#0d6efd">' in html
    client.force_login(officer)
    client.cookies["django_language"] = "kk"
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest/kk/officer.webmanifest">' in html


def test_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    config = json.loads(re.match(r"self\.QORGAU_SW = (\{.*?\});\n", response.content.decode()).group(1))
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert "/static/js/outbox.js" in config["static"] and "/incidents/report/" in config["pages"]
    assert 'addEventListener("push"' in response.content.decode()


def test_a_new_release_is_a_new_worker_version(client, settings):
    first = client.get("/sw.js").content
    settings.QORGAU_PWA_RELEASE = "2026.11.28"
    second = client.get("/sw.js").content
    assert first != second
    version = re.compile(rb'"version": "([0-9a-f]+)"')
    assert version.search(first).group(1) != version.search(second).group(1)


def test_state_says_who_is_logged_in_and_gives_a_csrf_token(client, reporter):
    assert json.loads(client.get("/app/state/").content) == {"authenticated": False, "login": "/accounts/login/"}
    client.force_login(reporter)
    key = uuid.uuid4()
    response = client.get(f"/app/state/?key={key}")
    assert "no-cache" in response["Cache-Control"]
    state = json.loads(response.content)
    assert state["authenticated"] and state["user"] == reporter.pk and len(state["csrf"]) >= 32
    # The signed value for the key is the one a report page for that key would carry.
    assert report_form_author(token=state["keep_token"], key=key) == reporter


def test_state_ignores_a_bad_key(client, reporter):
    client.force_login(reporter)
    state = json.loads(client.get("/app/state/?key=not-a-uuid").content)
    assert state["authenticated"] and "keep_token" not in state


def test_state_gives_no_report_token_to_an_officer(client, officer):
    client.force_login(officer)
    state = json.loads(client.get(f"/app/state/?key={uuid.uuid4()}").content)
    assert state["authenticated"] and "keep_token" not in state


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", "На главный экран"),
        ("kk", "Басты экранға"),
        ("en", "Add to Home Screen"),
    ],
)
def test_install_help_is_in_the_ui_language(client, language, words):
    client.cookies["django_language"] = language
    html = client.get(reverse("pwa_install"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in html
    assert 'href="tel:102"' in html


def test_offline_page_offers_102_and_the_report_form(client):
    html = client.get(reverse("pwa_offline")).content.decode()
    assert 'href="tel:102"' in html and 'href="/incidents/report/"' in html


def test_phone_pages_have_tap_to_call_and_the_camera(client, reporter, post_a, facility_a):
    from tests import factories

    post_a.phone = "+77271234567"
    post_a.save(update_fields=["phone"])
    client.force_login(reporter)
    form = client.get(reverse("incidents:report")).content.decode()
    assert 'href="tel:102"' in form
    assert re.search(r'<input type="file"[^>]*name="evidence"[^>]*accept="image/\*" capture="environment"', form)
    assert 'href="tel:102"' in client.get("/").content.decode()
    incident = factories.IncidentFactory(facility=facility_a, reporter=reporter)
    sent = client.get(reverse("incidents:report_sent", args=[incident.pk])).content.decode()
    assert 'href="tel:102"' in sent and 'href="tel:+77271234567"' in sent


def test_a_photo_from_the_camera_field_is_evidence_like_any_other(client, reporter, post_a, facility_a):
    # Two inputs named "evidence" (the camera, the files already taken): the server takes both.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents.models import Evidence, Incident
    from tests.incidents.reporting_support import jpeg_bytes, minimal_post

    client.force_login(reporter)
    data = minimal_post(facility_a, action="submit")
    data["evidence"] = [
        SimpleUploadedFile("camera.jpg", jpeg_bytes((20, 20)), content_type="image/jpeg"),
        SimpleUploadedFile("gallery.jpg", jpeg_bytes((30, 20)), content_type="image/jpeg"),
    ]
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 302
    incident = Incident.objects.get(reporter=reporter)
    assert sorted(Evidence.objects.filter(incident=incident).values_list("original_name", flat=True)) == [
        "camera.jpg",
        "gallery.jpg",
    ]
