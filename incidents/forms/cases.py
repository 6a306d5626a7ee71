"""Forms of the police side: inbox filters and one small form per case action."""

import datetime as dt

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import BootstrapWidgetsMixin, CountedCharField, Form, choices_from_rows
from common.widgets import DateInput
from facilities.models import Facility, PolicePost
from incidents.models import Attacker, ForensicHarm, Incident, Outcome, Status
from incidents.selectors.cases import InboxFilters
from incidents.selectors.tagging import repeat_references
from incidents.services import cases
from incidents.workflow import CASE_ACTIONS
from legal.iin import IINField
from legal.statute import CURRENT as STATUTE


def _part_label(number: int) -> str:
    return _("part %(part)s") % {"part": number}


FILTER_DATE_RANGE = (MinValueValidator(dt.date(2000, 1, 1)), MaxValueValidator(dt.date(2100, 12, 31)))

# Lazy labels: the choices are built once, at import, but read in each request's language.
PART_CHOICES = [("", _("any part")), ("0", _("Article 380-3 does not apply"))] + [
    (str(n), lazy(_part_label, str)(n)) for n in STATUTE.part_numbers
]


class FacilityFilterField(forms.TypedChoiceField):
    """The facility filter of the inbox: the facilities of the officer's scope (their ids from the inbox's cached
    summary). A choice is checked against those ids, without reading the facilities; their names are read only
    when the select is written (a ModelChoiceField reads them to list, and again to check a choice: issue 14)."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.facility_ids: frozenset[int] = frozenset()

    def set_facilities(self, facility_ids) -> None:
        self.facility_ids = frozenset(facility_ids)
        self.choices = self._listed  # read when the select is written, once

    @cached_property
    def _rows(self) -> list[Facility]:
        return list(Facility.objects.filter(pk__in=self.facility_ids).order_by("name_ru"))

    def _listed(self) -> list[tuple[object, object]]:
        return [("", _("any facility")), *((row.pk, str(row)) for row in self._rows)]

    def valid_value(self, value) -> bool:
        try:
            return int(value) in self.facility_ids
        except (TypeError, ValueError):  # not a number ("²" is a digit to str.isdigit, not to int)
            return False


class InboxFilterForm(Form):
    q = forms.CharField(label=_("Reference number"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any status")), *Status.choices])
    part = forms.ChoiceField(label=_("Article 380-3 part"), required=False, choices=PART_CHOICES)
    facility = FacilityFilterField(label=_("Facility"), required=False)
    # Bounded: a date such as 9999-12-31 is a typo, and a day after it cannot even be computed.
    period_from = forms.DateField(label=_("From"), required=False, widget=DateInput(), validators=[*FILTER_DATE_RANGE])
    period_to = forms.DateField(label=_("To"), required=False, widget=DateInput(), validators=[*FILTER_DATE_RANGE])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    # Bootstrap's classes on the widgets themselves: the inbox renders its filter fields by hand, not through
    # crispy's templates (a field's templates cost more than the rest of the page; issue 14).
    WIDGET_CLASSES = {
        "status": "form-select",
        "part": "form-select",
        "facility": "form-select",
        "overdue": "form-check-input",
    }

    def __init__(self, *args, facility_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].set_facilities(facility_ids or ())
        for name, field in self.fields.items():
            field.widget.attrs["class"] = self.WIDGET_CLASSES.get(name, "form-control")

    def filters(self) -> InboxFilters:
        # A filter that does not validate is left out (the form shows why); the valid ones still apply.
        if not self.is_bound:
            return InboxFilters()
        self.is_valid()
        data = self.cleaned_data
        part = data.get("part")
        return InboxFilters(
            status=data.get("status") or "",
            part=int(part) if part not in (None, "") else None,
            facility=data.get("facility"),
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
        )


class CaseActionForm(BootstrapWidgetsMixin, Form):
    """One case action's form (`incidents.workflow`): it carries the case version the officer saw (optimistic
    locking) and `perform` calls the action's service with what was typed."""

    action = ""
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
            StrictButton(
                self.submit_label,
                type="submit",
                css_class="btn btn-primary",
                css_id=f"submit-{self.action}",
            ),
        )

    @property
    def submit_label(self) -> str:
        return str(CASE_ACTIONS[self.action].submit_label)

    @classmethod
    def applies_to(cls, incident: Incident) -> bool:
        """Whether the case page offers this form for the case (beyond its status)."""
        return True

    def perform(self, *, actor: User) -> object:
        """Call the action's service with the cleaned data (the form must be valid)."""
        raise NotImplementedError

    def _versioned(self, actor: User) -> dict:
        return {"incident": self.incident, "actor": actor, "expected_version": self.cleaned_data["version"]}


class AcknowledgeForm(CaseActionForm):
    action = "acknowledge"

    def perform(self, *, actor: User) -> object:
        return cases.case_acknowledge(**self._versioned(actor))


class QuestionForm(CaseActionForm):
    action = "question"
    body = CountedCharField(
        label=_("Question to the reporter"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def perform(self, *, actor: User) -> object:
        # A question changes no state: it needs no version.
        return cases.case_question_ask(incident=self.incident, actor=actor, body=self.cleaned_data["body"])


class ErdrForm(CaseActionForm):
    action = "erdr"
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
        return cases.clean_erdr_number(self.cleaned_data["erdr_number"])

    def clean_registered_on(self) -> dt.date:
        return cases.clean_erdr_registered_on(self.cleaned_data["registered_on"], incident=self.incident)

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_erdr_register(
            **self._versioned(actor), erdr_number=data["erdr_number"], registered_on=data["registered_on"]
        )


class ForensicForm(CaseActionForm):
    action = "forensic"
    harm = forms.ChoiceField(label=_("Degree of harm (forensic examination)"), choices=ForensicHarm.choices)

    def perform(self, *, actor: User) -> object:
        return cases.case_forensic_record(**self._versioned(actor), harm=self.cleaned_data["harm"])


class SuspectForm(CaseActionForm):
    action = "suspect"
    attacker = forms.ModelChoiceField(
        label=_("Which attacker"), queryset=Attacker.objects.none(), required=False, empty_label=_("a new person")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    iin = IINField(label=_("IIN"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attacker"].queryset = self.incident.attackers.all()
        # The case page reads the attackers with the case (it lists them too): those rows, not a query of its own.
        choices_from_rows(self.fields["attacker"], self.incident.attackers.all())

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_suspect_identify(
            **self._versioned(actor), full_name=data["full_name"], iin=data["iin"], attacker=data.get("attacker")
        )


class OverrideForm(CaseActionForm):
    action = "override"
    part = forms.ChoiceField(label=_("Article 380-3 part"), choices=PART_CHOICES[1:])
    reason = CountedCharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_part(self) -> int | None:
        return int(self.cleaned_data["part"]) or None

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_part_override(**self._versioned(actor), part=data["part"], reason=data["reason"])


class EpisodeForm(CaseActionForm):
    """Link an earlier report the IIN matching found as one continuing episode, or remove the link (CC 12 p.3)."""

    action = "episode"
    earlier = forms.ChoiceField(
        label=_("Earlier report of the same suspect"),
        help_text=_(
            "One continuing episode: the same suspect, the same victims, and acts within one shift under one "
            "intent (CC art. 12 part 3). It is then not a repeat."
        ),
    )
    linked = forms.TypedChoiceField(
        label=_("One episode with this report?"),
        choices=[("1", _("yes, link them")), ("0", _("no, remove the link"))],
        coerce=lambda value: value == "1",
        initial="1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].choices = [(ref, ref) for ref in repeat_references(self.incident)]

    @classmethod
    def applies_to(cls, incident: Incident) -> bool:
        return bool(repeat_references(incident))

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_episode_link(
            **self._versioned(actor), earlier_reference=data["earlier"], linked=data["linked"]
        )


class HandOverForm(CaseActionForm):
    action = "handover"
    post = forms.ModelChoiceField(label=_("Police post"), queryset=PolicePost.objects.none())
    reason = CountedCharField(
        label=_("Reason"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            PolicePost.objects.filter(status=PolicePost.Status.ACTIVE)
            .exclude(pk=self.incident.police_post_id)
            .select_related("facility")
        )
        choices_from_rows(self.fields["post"], self.fields["post"].queryset)  # one plain query, not a cursor

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_hand_over(**self._versioned(actor), post=data["post"], reason=data.get("reason", ""))


class CloseForm(CaseActionForm):
    action = "close"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = CountedCharField(
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
        try:
            cases.outcome_reason_clean(outcome=data.get("outcome") or "", reason=data.get("reason") or "")
        except ValidationError as error:
            self.add_error("reason", error)
        return data

    def perform(self, *, actor: User) -> object:
        data = self.cleaned_data
        return cases.case_close(**self._versioned(actor), outcome=data["outcome"], reason=data.get("reason", ""))


ACTION_FORMS: dict[str, type[CaseActionForm]] = {form.action: form for form in CaseActionForm.__subclasses__()}
# Every action of the state machine has exactly one form, and every form one action.
if sorted(ACTION_FORMS) != sorted(CASE_ACTIONS) or len(ACTION_FORMS) != len(CaseActionForm.__subclasses__()):
    raise ImproperlyConfigured("incidents.workflow.CASE_ACTIONS and the case action forms disagree")
