"""The police's form for a victim's compensation and support."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import BootstrapWidgetsMixin, ModelForm
from common.widgets import DateInput
from incidents.models import Victim, VictimCompensation
from incidents.services import compensation

AMOUNT_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "min": "0"}


class CompensationForm(BootstrapWidgetsMixin, ModelForm):
    """One victim's figures; carries the row's version (optimistic locking) and calls the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = VictimCompensation
        fields = compensation.FIELDS
        widgets = {
            "claim_filed_on": DateInput(),
            "support_notes": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.NumberInput(attrs=AMOUNT_ATTRS)
                for name in (
                    "claimed_material",
                    "claimed_moral",
                    "awarded_material",
                    "awarded_moral",
                    "awarded_monthly",
                    "paid",
                    "employer_paid",
                    "sick_leave_days",
                )
            },
        }

    def __init__(self, *args, victim: Victim, record: VictimCompensation | None, **kwargs):
        # `record`: the victim's row as the caller loaded it (None: nothing recorded yet), so that a page of many
        # victims does not query once per form.
        record = record or VictimCompensation(victim=victim)
        kwargs["instance"] = record
        kwargs.setdefault("initial", {})["version"] = record.version
        kwargs.setdefault("prefix", f"comp{victim.pk}")
        super().__init__(*args, **kwargs)
        self.victim = victim
        self.helper = FormHelper()
        self.helper.form_action = reverse("incidents:case_compensation", args=[victim.incident_id, victim.pk])
        self.helper.form_id = f"form-compensation-{victim.pk}"
        self.helper.layout = Layout(
            *[name for name in self.fields if name != "support_notes"],
            Div("support_notes"),
            StrictButton(
                _("Save compensation and support"),
                type="submit",
                css_class="btn btn-primary",
                css_id=f"submit-compensation-{victim.pk}",
            ),
        )

    @property
    def submit_id(self) -> str:
        return f"submit-compensation-{self.victim.pk}"

    @property
    def submit_label(self) -> str:
        return str(_("Save compensation and support"))

    def _input(self) -> compensation.CompensationInput:
        data = self.cleaned_data
        return compensation.CompensationInput(**{name: data.get(name) for name in compensation.FIELDS})

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                compensation.compensation_check(self._input())
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def perform(self, *, actor: User) -> VictimCompensation:
        return compensation.compensation_record(
            victim=self.victim, actor=actor, data=self._input(), expected_version=self.cleaned_data["version"]
        )
