"""The form renderer writes the common widgets in Python to exactly the HTML of Django's own templates
(common/renderers.py), and `{% plain_form %}` lays a form out without a template (common/templatetags/)."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from common.forms import BootstrapWidgetsMixin, choices_from_rows
from common.renderers import RENDERERS, PythonWidgetRenderer


class EveryWidget(forms.Form):
    text = forms.CharField(
        initial='a "quoted" <b>&amp;',
        widget=forms.TextInput(
            attrs={"class": "form-control", "autofocus": True, "hidden": False, "data-x": mark_safe("<i>")}  # noqa: S308
        ),
    )
    number = forms.IntegerField(initial=1234567)
    decimal = forms.DecimalField(initial=1.5)
    day = forms.DateField(initial=dt.date(2026, 1, 2), widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(initial=dt.datetime(2026, 1, 2, 3, 4))  # noqa: DTZ001 - a widget's value only
    flag = forms.BooleanField(initial=True, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="<p>\nline two")
    empty_body = forms.CharField(widget=forms.Textarea)
    choice = forms.ChoiceField(
        choices=[
            ("", _("any status")),
            ("1", "one & two"),
            (2, 3),
            ("A group", [("g1", "G <1>"), ("g2", _("Status"))]),
        ],
        initial=2,
    )
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], initial=["a"])
    hidden = forms.CharField(widget=forms.HiddenInput, initial=5)
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput)
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A"), ("b", "B")])  # by template


BOUND = {"text": "x<y", "number": "no", "choice": "g1", "several": ["a", "b"], "body": "", "hidden": "7"}


@pytest.mark.parametrize("data", [None, BOUND])
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_widget_is_written_as_djangos_templates_write_it(data, language):
    with override(language):
        by_template = EveryWidget(data, renderer=DjangoTemplates())
        in_python = EveryWidget(data, renderer=PythonWidgetRenderer())
        for name in by_template.fields:
            assert str(in_python[name]) == str(by_template[name]), name


def test_the_common_widgets_are_not_rendered_by_template(monkeypatch):
    form = EveryWidget(renderer=PythonWidgetRenderer())
    rendered = []
    original = DjangoTemplates.render

    def spy(self, template_name, context, request=None):
        rendered.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    for name in form.fields:
        str(form[name])
    assert rendered and all(name.startswith("django/forms/widgets/radio") for name in rendered), rendered
    assert set(RENDERERS) >= {"django/forms/widgets/select.html", "django/forms/widgets/textarea.html"}


def test_an_option_of_its_own_template_renders_the_select_by_template():
    class Special(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    def special(renderer):
        form = forms.Form(renderer=renderer)
        form.fields["special"] = forms.ChoiceField(choices=[("a", "A")], widget=Special)
        return str(form["special"])

    assert special(PythonWidgetRenderer()) == special(DjangoTemplates())
    assert "<label><input" in special(PythonWidgetRenderer())  # the option's own template wrote it


class Helper:
    form_action = "/do/<it>/"
    form_id = "form-x"


class Planned(BootstrapWidgetsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason <why>", widget=forms.Textarea, help_text="Say <why>.")
    agree = forms.BooleanField(label="I agree", required=False)
    post = forms.ModelChoiceField(queryset=None, required=False, empty_label="— none —")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = Helper()


def _plain(form, **options):
    template = Template("{% load plain_forms %}{% plain_form form submit_id=submit_id submit_label=label %}")
    return template.render(Context({"form": form, "csrf_token": "TOKEN", **options}))


@pytest.mark.django_db
def test_plain_form_lays_out_labels_widgets_errors_help_and_the_button():
    from facilities.models import PolicePost

    form = Planned({"version": "1", "reason": ""})
    form.fields["post"].queryset = PolicePost.objects.none()
    form.is_valid()
    form.add_error(None, "Refused <now>")
    html = _plain(form, submit_id="submit-x", label="Send")
    assert html.startswith('<form method="post" action="/do/&lt;it&gt;/" id="form-x">')
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">' in html
    assert "<li>Refused &lt;now&gt;</li>" in html
    assert '<input type="hidden" name="version" value="1" id="id_version">' in html
    required = '<span class="asteriskField">*</span>'
    assert f'<label for="id_reason" class="form-label requiredField">Reason &lt;why&gt;{required}</label>' in html
    assert 'id="error_1_id_reason" class="invalid-feedback d-block"' in html
    assert '<div id="id_reason_helptext" class="form-text">Say &lt;why&gt;.</div>' in html
    assert '<div id="div_id_agree" class="mb-3 form-check">' in html
    assert html.index('name="agree"') < html.index('<label for="id_agree" class="form-check-label">I agree</label>')
    assert '<option value="" selected>— none —</option>' in html
    assert html.endswith('<button type="submit" class="btn btn-primary" id="submit-x">Send</button>\n</form>')


@pytest.mark.django_db
def test_choices_from_rows_lists_the_rows_given_and_still_validates_by_the_queryset(django_assert_num_queries):
    from tests import factories

    facility = factories.FacilityFactory()
    field = forms.ModelChoiceField(queryset=type(facility).objects.all(), empty_label="none")
    choices_from_rows(field, [facility])
    with django_assert_num_queries(0):
        listed = [(str(value), label) for value, label in field.choices]
    assert listed == [("", "none"), (str(facility.pk), str(facility))]
    assert field.clean(str(facility.pk)) == facility
    with pytest.raises(forms.ValidationError):
        field.clean("0")
