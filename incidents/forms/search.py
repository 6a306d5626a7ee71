"""The officer's case search form: what to look for and, optionally, what it is."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import Form
from incidents.models import CaseSearch
from incidents.selectors.search import SearchQuery, search_query_parse


class CaseSearchForm(Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        help_text=_("A reference or ERDR number, a victim's or suspect's name (Cyrillic or Latin), or an IIN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Search by"), required=False, choices=[("", _("whatever it looks like")), *CaseSearch.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if "q" in cleaned:
            try:
                cleaned["query"] = search_query_parse(cleaned["q"], cleaned.get("kind") or "")
            except ValidationError as error:
                self.add_error("q", error)
        return cleaned

    def search_query(self) -> SearchQuery:
        return self.cleaned_data["query"]
