"""The officer's record that a copy of an evidence file was handed over outside Qorgau: to whom and how."""

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapWidgetsMixin, Form
from incidents.models import Evidence, ForwardMeans

RECIPIENT_MAX_LENGTH = 200


class EvidenceForwardForm(BootstrapWidgetsMixin, Form):
    recipient = forms.CharField(
        label=_("Handed over to"),
        max_length=RECIPIENT_MAX_LENGTH,
        help_text=_("Position, unit and name, e.g. the investigator of the district police department."),
    )
    means = forms.ChoiceField(label=_("How"), choices=ForwardMeans.choices)

    def __init__(self, *args, evidence: Evidence, **kwargs):
        # One form per evidence item on the case page: the prefix keeps their fields apart.
        kwargs.setdefault("prefix", f"forward-{evidence.pk}")
        super().__init__(*args, **kwargs)
        self.evidence = evidence
        # Laid out by {% plain_form %} (common/templatetags/plain_forms.py), which reads the action and the id from
        # the helper.
        self.helper = FormHelper()
        self.helper.form_action = reverse("incidents:case_evidence_forward", args=[evidence.incident_id, evidence.pk])
        self.helper.form_id = f"form-forward-{evidence.pk}"
        self.submit_label = _("Record the hand-over")
        self.submit_id = f"submit-forward-{evidence.pk}"
