"""Error pages look like the app and speak the user's language: 404, 403, a failed CSRF check, 400, 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

TITLES = {
    404: {"ru": "Страница не найдена", "kk": "Бет табылмады", "en": "Page not found"},
    403: {"ru": "Доступ закрыт", "kk": "Қолжетімділік жабық", "en": "Access denied"},
}


def looks_like_the_app(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert "/static/css/qorgau.css" in html and 'class="navbar' in html
    assert reverse("home") in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_not_found_page(client, reporter, language):
    client.force_login(reporter)
    response = client.get("/incidents/no-such-page/", headers={"Accept-Language": language})
    assert response.status_code == 404
    html = response.content.decode()
    looks_like_the_app(html, language)
    assert TITLES[404][language] in html
    assert str(reporter) in html  # still signed in: the menu is theirs


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_forbidden_page(client, reporter, language):
    client.force_login(reporter)
    response = client.get(reverse("analytics:dashboard"), headers={"Accept-Language": language})
    assert response.status_code == 403
    html = response.content.decode()
    looks_like_the_app(html, language)
    assert TITLES[403][language] in html


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_csrf_failure_page_says_what_to_do(reporter, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(reverse("incidents:report"), {"act": "threat"}, headers={"Accept-Language": language})
    assert response.status_code == 403
    html = response.content.decode()
    looks_like_the_app(html, language)
    assert {"ru": "Форма устарела", "kk": "Форманың мерзімі өтті"}[language] in html
    assert "CSRF" not in html


def test_server_error_page_is_ours_and_needs_no_context(rf, settings):
    from django.views.defaults import server_error

    settings.LANGUAGE_CODE = "ru"
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "/static/css/qorgau.css" in html and "Что-то пошло не так" in html


def test_bad_request_page_is_ours(rf):
    from django.views.defaults import bad_request

    request = rf.get("/", headers={"Accept-Language": "kk"})
    request.user = factories.make_analyst(username="someone")
    response = bad_request(request, Exception("bad"))
    assert response.status_code == 400
    assert "/static/css/qorgau.css" in response.content.decode()


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, reporter):
    # Without a <link rel="icon">, every first visit logged a 404 for /favicon.ico in the console.
    from django.contrib.staticfiles import finders

    client.force_login(reporter)
    html = client.get(reverse("home")).content.decode()
    icon = html.split('rel="icon"', 1)[1].split(">", 1)[0]
    path = icon.split('href="/static/', 1)[1].split('"', 1)[0]
    assert finders.find(path)
