"""The project's form bases (common/forms.py): no control character or lone surrogate gets into stored text, the
form says so next to the field, and what was typed stays on the page (issue 10, low: 500s)."""

import importlib
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from common.forms import Form, ModelForm, PlainTextFormMixin
from incidents.models import Incident, ReportDraft
from tests.incidents.reporting_support import minimal_post

PROJECT_APPS = ("accounts", "analytics", "common", "config", "facilities", "incidents", "legal")
REFUSED = "character that cannot be stored"


class NoteForm(Form):
    title = forms.CharField(required=False)
    body = forms.CharField(required=False, widget=forms.Textarea)
    email = forms.EmailField(required=False)
    key = forms.UUIDField(required=False)


@pytest.mark.parametrize("text", ["Қорғау — ауруханада", "Он сказал: «убью»", "a\u00a0b", "😀", "tab\tinside"])
def test_ordinary_text_passes(text):
    form = NoteForm({"title": text.replace("\t", " "), "body": text})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800", "\udfff"])
def test_a_control_character_or_lone_surrogate_is_refused_in_any_text(char):
    form = NoteForm({"title": f"a{char}b", "body": f"a{char}b"})
    assert not form.is_valid()
    assert REFUSED in form.errors["title"][0] and REFUSED in form.errors["body"][0]
    assert form["title"].value() == f"a{char}b"  # shown again as typed


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tab_and_line_breaks_are_kept_in_multi_line_text_only(char):
    form = NoteForm({"title": f"a{char}b", "body": f"line{char}line"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]


def test_a_nul_gets_djangos_one_message():
    form = NoteForm({"title": "a\x00b"})
    assert not form.is_valid() and form.errors["title"] == ["Null characters are not allowed."]


def test_the_error_is_translated(settings):
    from django.utils import translation

    for language, expected in (("ru", "нельзя сохранить"), ("kk", "сақтауға болмайтын")):
        with translation.override(language):
            form = NoteForm({"title": "a\x07b"})
            assert expected in form.errors["title"][0]


def _project_forms() -> list[type]:
    base = Path(settings.BASE_DIR)
    for app in PROJECT_APPS:
        for path in [*(base / app).glob("forms.py"), *(base / app).glob("forms/*.py")]:
            importlib.import_module(".".join(path.relative_to(base).with_suffix("").parts))
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and cls.__module__ != __name__:
            found.append(cls)
    return found


def test_every_form_of_the_project_takes_the_base():
    project_forms = _project_forms()
    names = {cls.__name__ for cls in project_forms}
    assert {"ReportForm", "VictimForm", "ErdrForm", "InboxFilterForm", "StatisticsFilterForm"} <= names
    assert {"FacilityFilterForm", "TwoFactorCodeForm", "LoginForm", "PasswordResetForm", "UserChangeForm"} <= names
    assert [cls.__qualname__ for cls in project_forms if not issubclass(cls, PlainTextFormMixin)] == []
    assert issubclass(ModelForm, forms.ModelForm)


@pytest.mark.django_db
def test_a_control_character_in_a_report_is_refused_and_the_report_kept(client, reporter, facility_a):
    client.force_login(reporter)
    post = minimal_post(facility_a, account="Он ударил меня\x1b[31m в коридоре.")
    response = client.post(reverse("incidents:report"), post)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Incident.objects.exists()
    assert ReportDraft.objects.get(key=post["draft_key"]).data["account"] == [post["account"]]


@pytest.mark.django_db
def test_a_control_character_in_an_officers_question_is_refused_and_kept(client, officer, incident):
    client.force_login(officer)
    url = reverse("incidents:case_action", args=[incident.pk, "question"])
    response = client.post(url, {"question-version": incident.version, "question-body": "Когда\x07 это было?"})
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSED in page and "Когда\x07 это было?" in page
    assert not incident.messages.exists()
