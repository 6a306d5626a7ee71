"""The report form: a short quick path, optional details, victims and attackers in formsets.

The reporter is asked what happened in plain words; the legal app turns the answers into legal facts.
Forms clean and normalise; the services in `incidents/services/reporting.py` do the writing.
"""

import datetime as dt
import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession, User
from common.forms import CountedCharField, Form
from common.widgets import DateTimeLocalInput, MultipleFileField
from facilities.models import Department, District, Facility
from incidents.models import (
    EARLIEST_RECORD_DATE,
    Act,
    Circumstance,
    DutyLink,
    Injury,
    Place,
    YesNoUnknown,
)
from incidents.services.reporting import (
    ReportInput,
    VictimInput,
)
from incidents.services.routing import RoutingError, away_police_departments, incident_route

# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
ACCOUNT_MIN_LENGTH = 5
MAX_EXTRA_PEOPLE = 20
DETAILS_FIELDS = (
    "injury",
    "sick_leave_days",
    "weapon_used",
    "choked",
    "revenge",
    "attackers_count",
    "attackers_agreed",
    "circumstances",
    "witnesses",
    "wants_prosecution",
    "footage_available",
)


def fields_helper(*fields) -> FormHelper:
    """A crispy helper that lays out `fields` inside the page's one <form> (no tag, no second CSRF token)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def now_for_input() -> str:
    """The current Almaty time as a `datetime-local` input value."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice among rows the form has read already (`rows`): cleaning finds the value there, with no query."""

    rows: list | None = None

    def to_python(self, value):
        if self.rows is None or value in self.empty_values:
            return super().to_python(value)
        for row in self.rows:
            if str(row.pk) == str(value):
                return row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


def facilities_of(user: User):
    return Facility.objects.filter(memberships__user=user, is_active=True).select_related("district").distinct()


class ReportForm(Form):
    """What happened, when and where; then optional details. Victims and attackers are formsets beside it."""

    draft_key = forms.UUIDField(widget=forms.HiddenInput)

    # Quick path.
    act = forms.ChoiceField(
        label=_("What happened?"),
        choices=Act.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it was a threat or violence.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("When?"),
        widget=DateTimeLocalInput,
        error_messages={
            "required": _("Enter when it happened."),
            "invalid": _("Enter the date and time, for example 07.03.2026 14:30."),
        },
    )
    facility = ListedModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), error_messages={"required": _("Choose your facility.")}
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("— not sure —")
    )
    place = forms.ChoiceField(
        label=_("Where exactly?"),
        choices=[("", _("— choose —")), *Place.choices],
        error_messages={"required": _("Choose where it happened.")},
    )
    district = forms.ModelChoiceField(
        label=_("District where it happened"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("— choose —"),
        help_text=_("For a patient's home or the street: the police of this district get the report."),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    reporter_hurt = forms.BooleanField(label=_("It happened to me"), required=False, initial=True)
    reporter_role = forms.ChoiceField(
        label=_("Your profession"), choices=[("", _("— choose —")), *Profession.choices], required=False
    )
    reporter_duty_link = forms.ChoiceField(
        label=_("Was it linked to your work?"), choices=DutyLink.choices, initial=DutyLink.PERFORMING, required=False
    )
    reporter_medical_qualification = forms.BooleanField(
        label=_("I hold a medical qualification"),
        required=False,
        help_text=_("For an intern, a medical student or a volunteer."),
    )
    reporter_medical_work = forms.BooleanField(label=_("I was doing medical work at the time"), required=False)
    account = CountedCharField(
        label=_("What happened, in a few words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who did what, what was said. You can add more later."),
        error_messages={"required": _("Describe in a few words what happened.")},
    )

    # Details.
    # The details are optional: each has a default the services apply, so none is marked as required.
    injury = forms.ChoiceField(
        label=_("Injuries"), choices=Injury.choices, initial=Injury.NONE, widget=forms.RadioSelect, required=False
    )
    sick_leave_days = forms.IntegerField(
        label=_("Days of sick leave, if any"),
        min_value=0,
        max_value=365,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            key: _("Enter the number of sick-leave days, from 0 to 365.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    weapon_used = forms.BooleanField(label=_("A weapon or an object was used"), required=False)
    choked = forms.BooleanField(label=_("The victim was choked"), required=False)
    revenge = forms.BooleanField(label=_("It was revenge for earlier treatment or care"), required=False)
    attackers_count = forms.IntegerField(
        label=_("How many attackers?"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            key: _("Enter the number of attackers, from 1 to 50.") for key in ("invalid", "min_value", "max_value")
        },
    )
    attackers_agreed = forms.ChoiceField(
        label=_("Did they act together, as if agreed beforehand?"),
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    circumstances = forms.MultipleChoiceField(
        label=_("Did it happen during any of these?"),
        choices=Circumstance.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    witnesses = CountedCharField(
        label=_("Witnesses"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or positions of people who saw it."),
    )
    wants_prosecution = forms.ChoiceField(
        label=_("Do you want the attacker to be prosecuted?"),
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    footage_available = forms.BooleanField(label=_("There is video: a body camera or CCTV"), required=False)

    # Last: privacy and files.
    confidential = forms.BooleanField(
        label=_("Show my name only to the police post and my facility lead"),
        required=False,
    )
    evidence = MultipleFileField(
        label=_("Photos, video, audio or documents"), help_text=_("Optional. You can attach several files.")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        facilities = facilities_of(user)
        self.fields["facility"].queryset = facilities
        self.fields["department"].queryset = Department.objects.filter(facility__in=facilities).select_related(
            "facility"
        )
        facility_list = list(facilities)
        self.fields["facility"].rows = facility_list
        self.single_facility = facility_list[0] if len(facility_list) == 1 else None
        membership = user.facility_memberships.select_related("facility").order_by("pk").first()
        if self.single_facility is not None:
            self.fields["facility"].widget = forms.HiddenInput()
            self.fields["facility"].initial = self.single_facility.pk
            self.fields["district"].initial = self.single_facility.district_id
        else:
            self.fields["department"].label_from_instance = lambda d: f"{d.facility.name} — {d}"
        if membership is not None and membership.department_id:
            self.fields["department"].initial = membership.department_id
        self.fields["occurred_at"].initial = now_for_input
        self.fields["evidence"].widget.attrs["accept"] = "image/*,video/*,audio/*,application/pdf,.heic,.heif,.m4a,.mov"
        # The reporter's profession is asked only when their account does not say it.
        self.asks_role = not user.profession
        if not self.asks_role:
            self.fields["reporter_role"].widget = forms.HiddenInput()
            self.fields["reporter_role"].initial = user.profession
        self.fields["account"].widget.attrs["minlength"] = ACCOUNT_MIN_LENGTH
        self.fields["occurred_at"].widget.attrs["max"] = (timezone.localtime() + FUTURE_TOLERANCE).strftime(
            "%Y-%m-%dT%H:%M"
        )
        self.fields["occurred_at"].widget.attrs["min"] = f"{EARLIEST_RECORD_DATE.isoformat()}T00:00"

        # Away from the facility the report goes to the district's police department, not the post: said and
        # named before sending (the script renames it when another district is chosen).
        self.route = None  # set by clean(): where the report goes, so the submit does not ask again
        away_routing = HTML(
            '{% load i18n %}<div class="alert alert-info small py-2" id="away-routing" role="note"'
            ' data-departments="{{ form.away_departments_json }}">'
            '{% translate "Away from the facility, the report goes to the police department of the district where it'
            ' happened, not to the police post of your facility. Its officers will see the report:" %}'
            ' <strong id="away-department">{{ form.away_department|default:_("the district police department") }}'
            "</strong></div>"
        )
        # Shown as text when there is nothing to choose; rendered by the template engine, so escaped.
        facility_text = HTML(
            '{% load i18n %}{% if form.single_facility %}<p class="mb-3"><span class="form-label d-block">'
            '{% translate "Facility" %}</span><strong>{{ form.single_facility.name }}</strong></p>{% endif %}'
        )
        self.quick_helper = fields_helper(
            "draft_key",
            Field("act", wrapper_class="act-choice"),
            Field("occurred_at"),
            facility_text,
            Field("facility"),
            Field("department"),
            Field("place"),
            Div(
                Field("district"),
                away_routing,
                Field("address"),
                css_id="away-fields",
                data_away_values=",".join(sorted(Place.away_from_facility())),
            ),
            Fieldset(
                _("Who was hurt or threatened?"),
                Field("reporter_hurt"),
                Field("reporter_role"),
                Field("reporter_duty_link"),
                Field("reporter_medical_qualification"),
                Field("reporter_medical_work"),
                css_class="border rounded p-2 mb-3",
            ),
        )
        self.account_helper = fields_helper(Field("account"))
        self.details_helper = fields_helper(*(Field(name) for name in DETAILS_FIELDS))
        self.final_helper = fields_helper(Field("evidence"), Field("confidential"))

    # Read when the page is shown, not on a POST that files the report.
    @cached_property
    def away_departments(self) -> dict[str, str]:
        departments = away_police_departments()
        return {str(district): str(department) for district, department in departments.items()}

    @property
    def away_department(self) -> str:
        return self.away_departments.get(str(self["district"].value() or ""), "")

    @property
    def away_departments_json(self) -> str:
        return json.dumps(self.away_departments, ensure_ascii=False)

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(_("This time is in the future."), code="future")
        if value.date() < EARLIEST_RECORD_DATE:
            raise ValidationError(
                _("Check the date: it is before %(year)s.") % {"year": EARLIEST_RECORD_DATE.year}, code="too_early"
            )
        return value

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        if len(value) < ACCOUNT_MIN_LENGTH:
            raise ValidationError(_("Describe in a few words what happened."), code="too_short")
        return value

    def clean(self):
        cleaned = super().clean()
        facility = cleaned.get("facility")
        department = cleaned.get("department")
        place = cleaned.get("place")
        if facility and department and department.facility_id != facility.pk:
            self.add_error(
                "department",
                ValidationError(_("This department is not in the chosen facility."), code="department_facility"),
            )
        if place in Place.away_from_facility():
            if not cleaned.get("district") and facility:
                cleaned["district"] = facility.district
        else:
            cleaned["district"] = None
        if cleaned.get("reporter_hurt") and not cleaned.get("reporter_role"):
            self.add_error("reporter_role", ValidationError(_("Choose your profession."), code="required"))
        if facility and place and "place" not in self.errors:
            try:
                self.route = incident_route(facility=facility, place=place, district=cleaned.get("district"))
            except RoutingError as exc:
                self.add_error("district" if place in Place.away_from_facility() else "place", exc)
        return cleaned

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            act=data["act"],
            occurred_at=data["occurred_at"],
            facility=data["facility"],
            department=data.get("department"),
            place=data["place"],
            district=data.get("district"),
            address=data.get("address", ""),
            account=data["account"],
            injury=data.get("injury") or Injury.NONE,
            sick_leave_days=data.get("sick_leave_days"),
            weapon_used=data.get("weapon_used", False),
            choked=data.get("choked", False),
            attackers_count=data.get("attackers_count") or 1,
            attackers_agreed=data.get("attackers_agreed") or YesNoUnknown.UNKNOWN,
            circumstances=list(data.get("circumstances") or []),
            witnesses=data.get("witnesses", ""),
            wants_prosecution=data.get("wants_prosecution") or YesNoUnknown.UNKNOWN,
            footage_available=data.get("footage_available", False),
            confidential=data.get("confidential", False),
            route=self.route,
        )

    def reporter_victim(self) -> VictimInput | None:
        data = self.cleaned_data
        if not data.get("reporter_hurt"):
            return None
        return VictimInput(
            full_name=self.user.get_full_name() or self.user.username,
            role=data["reporter_role"],
            duty_link=self._duty_link(data.get("reporter_duty_link")),
            is_reporter=True,
            medical_qualification=data.get("reporter_medical_qualification", False),
            medical_work=data.get("reporter_medical_work", False),
        )

    def _duty_link(self, value: str | None) -> str:
        value = value or DutyLink.PERFORMING
        # "Revenge for earlier treatment" is itself a link to work: it overrides "not related to work".
        if self.cleaned_data.get("revenge") and value == DutyLink.NONE:
            return DutyLink.REVENGE
        return value


class WithdrawForm(Form):
    reason = CountedCharField(
        label=_("Why do you withdraw the report?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The police post sees your reason."),
        error_messages={"required": _("Say why you withdraw the report.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(*self.fields)


class MessageForm(Form):
    body = CountedCharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )
    evidence = MultipleFileField(label=_("Add files"), help_text=_("Optional."))

    def __init__(self, *args, with_files: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_files:
            del self.fields["evidence"]
        self.helper = fields_helper(*self.fields)
