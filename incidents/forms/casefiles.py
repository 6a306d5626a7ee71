"""The officer's request for the whole case file: in which language."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapWidgetsMixin, Form
from incidents.models import Incident
from incidents.services.casefiles import CASEFILE_LANGUAGES

CASEFILE_LANGUAGE_NAMES = {"ru": _("Russian"), "kk": _("Kazakh"), "en": _("English")}


class CaseFileRequestForm(BootstrapWidgetsMixin, Form):
    language = forms.ChoiceField(label=_("Language of the case file"), choices=[])

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(code, CASEFILE_LANGUAGE_NAMES[code]) for code in CASEFILE_LANGUAGES]
        self.helper = FormHelper()
        self.helper.form_action = reverse("incidents:case_casefile_request", args=[incident.pk])
        self.helper.form_id = "form-casefile"
        self.submit_label = _("Make the case file")
        self.helper.layout = Layout(
            "language",
            StrictButton(
                _("Make the case file"),
                type="submit",
                css_class="btn btn-sm btn-outline-primary",
                css_id="submit-casefile",
            ),
        )
