"""Forms of the police side: inbox filters and one small form per case action."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from common.widgets import DateInput
from facilities.models import Facility, PolicePost
from incidents.models import Attacker, ForensicHarm, Incident, Outcome, Status
from incidents.selectors.cases import InboxFilters
from incidents.services.cases import clean_erdr_number
from legal.iin import IINField


def _part_label(number: int) -> str:
    return _("part %(part)s") % {"part": number}


# Lazy labels: the choices are built once, at import, but read in each request's language.
PART_CHOICES = [("", _("any part")), ("0", _("Article 380-3 does not apply"))] + [
    (str(n), lazy(_part_label, str)(n)) for n in range(1, 7)
]


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference number"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any status")), *Status.choices])
    part = forms.ChoiceField(label=_("Article 380-3 part"), required=False, choices=PART_CHOICES)
    facility = forms.ModelChoiceField(
        label=_("Facility"), required=False, queryset=Facility.objects.none(), empty_label=_("any facility")
    )
    period_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["facility"].queryset = Facility.objects.filter(pk__in=cases.values("facility_id")).order_by(
                "name_ru"
            )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters()
        data = self.cleaned_data
        part = data.get("part")
        return InboxFilters(
            status=data.get("status") or "",
            part=int(part) if part not in (None, "") else None,
            facility=data["facility"].pk if data.get("facility") else None,
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
        )


class CaseActionForm(forms.Form):
    """Every action form carries the case version the officer saw (optimistic locking)."""

    action = ""
    submit_label = _("Save")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, incident: Incident, **kwargs):
        kwargs.setdefault("initial", {})["version"] = incident.version
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.helper = FormHelper()
        self.helper.form_action = reverse("incidents:case_action", args=[incident.pk, self.action])
        self.helper.form_id = f"form-{self.action}"
        # A <button>, not crispy's <input type="submit">: an input never wraps, and long Kazakh labels ran
        # past the card on a phone.
        self.helper.layout = Layout(
            *self.fields,
            StrictButton(self.submit_label, type="submit", css_class="btn btn-primary", css_id=f"submit-{self.action}"),
        )


class AcknowledgeForm(CaseActionForm):
    action = "acknowledge"
    submit_label = _("Acknowledge")


class QuestionForm(CaseActionForm):
    action = "question"
    submit_label = _("Send the question")
    body = forms.CharField(
        label=_("Question to the reporter"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ErdrForm(CaseActionForm):
    action = "erdr"
    submit_label = _("Record the registration")
    erdr_number = forms.CharField(
        label=_("ERDR number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    registered_on = forms.DateField(label=_("Registration date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate()

    def clean_erdr_number(self) -> str:
        return clean_erdr_number(self.cleaned_data["erdr_number"])


class ForensicForm(CaseActionForm):
    action = "forensic"
    submit_label = _("Record the forensic result")
    harm = forms.ChoiceField(label=_("Degree of harm (forensic examination)"), choices=ForensicHarm.choices)


class SuspectForm(CaseActionForm):
    action = "suspect"
    submit_label = _("Record the suspect")
    attacker = forms.ModelChoiceField(
        label=_("Which attacker"), queryset=Attacker.objects.none(), required=False, empty_label=_("a new person")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    iin = IINField(label=_("IIN"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attacker"].queryset = self.incident.attackers.all()


class OverrideForm(CaseActionForm):
    action = "override"
    submit_label = _("Change the part")
    part = forms.ChoiceField(label=_("Article 380-3 part"), choices=PART_CHOICES[1:])
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_part(self) -> int | None:
        return int(self.cleaned_data["part"]) or None


class HandOverForm(CaseActionForm):
    action = "handover"
    submit_label = _("Hand over")
    post = forms.ModelChoiceField(label=_("Police post"), queryset=PolicePost.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            PolicePost.objects.filter(status=PolicePost.Status.ACTIVE)
            .exclude(pk=self.incident.police_post_id)
            .select_related("facility")
        )


class CloseForm(CaseActionForm):
    action = "close"
    submit_label = _("Record the outcome")
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when proceedings are refused."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.incident.outcome == Outcome.UNDER_INVESTIGATION:
            # Recorded already: what is left is the final outcome.
            self.fields["outcome"].choices = [
                choice for choice in Outcome.choices if choice[0] != Outcome.UNDER_INVESTIGATION
            ]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.REFUSED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("A refusal needs a reason."))
        return data


ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    form.action: form
    for form in (
        AcknowledgeForm,
        QuestionForm,
        ErdrForm,
        ForensicForm,
        SuspectForm,
        OverrideForm,
        HandOverForm,
        CloseForm,
    )
}

# Which forms the case page offers in each status; the services refuse the rest anyway.
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: ("acknowledge", "question", "override", "handover"),
    Status.ACKNOWLEDGED: ("erdr", "question", "forensic", "suspect", "override", "handover", "close"),
    Status.REGISTERED: ("close", "question", "forensic", "suspect", "override", "handover"),
}
