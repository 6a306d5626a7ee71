"""The report form: a short quick path, optional details, victims and attackers in formsets.

The reporter is asked what happened in plain words; the legal app turns the answers into legal facts.
Forms clean and normalise; the services in `incidents/services/reporting.py` do the writing.
"""

import datetime as dt
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession, User
from facilities.models import Department, District, Facility
from incidents.models import (
    Act,
    AttackerRelation,
    Circumstance,
    DutyLink,
    Injury,
    Place,
    YesNoUnknown,
)
from incidents.services.reporting import (
    AttackerInput,
    ReportInput,
    RoutingError,
    VictimInput,
    incident_route,
)
from legal.iin import IINField

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


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def now_for_input() -> str:
    """The current Almaty time as a `datetime-local` input value."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in `incidents.services.evidence`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


def facilities_of(user: User):
    return Facility.objects.filter(memberships__user=user, is_active=True).select_related("district").distinct()


class ReportForm(forms.Form):
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
    facility = forms.ModelChoiceField(
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
    account = forms.CharField(
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
    witnesses = forms.CharField(
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

        # Shown as text when there is nothing to choose; rendered by the template engine, so escaped.
        facility_text = HTML(
            '{% load i18n %}{% if form.single_facility %}<p class="mb-3"><span class="form-label d-block">'
            '{% translate "Facility" %}</span><strong>{{ form.single_facility.name }}</strong></p>{% endif %}'
        )
        self.quick_helper = _helper(
            "draft_key",
            Field("act", wrapper_class="act-choice"),
            Field("occurred_at"),
            facility_text,
            Field("facility"),
            Field("department"),
            Field("place"),
            Div(
                Field("district"),
                Field("address"),
                css_id="away-fields",
                data_away_values=",".join(sorted(Place.away_from_facility())),
            ),
            Fieldset(
                _("Who was hurt or threatened?"),
                Field("reporter_hurt"),
                Field("reporter_role"),
                Field("reporter_duty_link"),
                css_class="border rounded p-2 mb-3",
            ),
        )
        self.account_helper = _helper(Field("account"))
        self.details_helper = _helper(*(Field(name) for name in DETAILS_FIELDS))
        self.final_helper = _helper(Field("evidence"), Field("confidential"))

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(_("This time is in the future."), code="future")
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
                incident_route(facility=facility, place=place, district=cleaned.get("district"))
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
        )

    def _duty_link(self, value: str | None) -> str:
        value = value or DutyLink.PERFORMING
        # "Revenge for earlier treatment" is itself a link to work: it overrides "not related to work".
        if self.cleaned_data.get("revenge") and value == DutyLink.NONE:
            return DutyLink.REVENGE
        return value


class PersonForm(forms.Form):
    @property
    def is_blank(self) -> bool:
        """An untouched extra row: the script hides it until "add another" is pressed."""
        return not self.has_changed() if self.is_bound else not self.initial


class VictimForm(PersonForm):
    full_name = forms.CharField(label=_("Full name"), max_length=255, required=False, help_text=_("If you know it."))
    role = forms.ChoiceField(
        label=_("Profession"), choices=[("", _("— choose —")), *Profession.choices], required=False
    )
    duty_link = forms.ChoiceField(
        label=_("Was it linked to their work?"), choices=DutyLink.about_someone, initial=DutyLink.PERFORMING
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("full_name"), Field("role"), Field("duty_link"))

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("role"):
            self.add_error("role", ValidationError(_("Choose their profession."), code="required"))
        return cleaned


class AttackerForm(PersonForm):
    relation = forms.ChoiceField(
        label=_("Who was it?"), choices=AttackerRelation.choices, initial=AttackerRelation.PATIENT
    )
    description = forms.CharField(
        label=_("What they looked like"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Age, clothes, anything that helps to find them."),
    )
    full_name = forms.CharField(label=_("Name, if known"), max_length=255, required=False)
    iin = IINField(label=_("IIN, if known"), required=False)
    minor = forms.ChoiceField(label=_("Under 18?"), choices=YesNoUnknown.choices, initial=YesNoUnknown.UNKNOWN)
    intoxicated = forms.BooleanField(label=_("Seemed drunk or on drugs"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("relation"),
            Field("description"),
            Field("full_name"),
            Field("iin"),
            Field("minor"),
            Field("intoxicated"),
        )


class BasePeopleFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]


class VictimFormSetBase(BasePeopleFormSet):
    def victims(self, *, duty_link_for) -> list[VictimInput]:
        return [
            VictimInput(
                full_name=form.cleaned_data.get("full_name", ""),
                role=form.cleaned_data["role"],
                duty_link=duty_link_for(form.cleaned_data.get("duty_link")),
            )
            for form in self.filled_forms()
        ]


class AttackerFormSetBase(BasePeopleFormSet):
    def attackers(self) -> list[AttackerInput]:
        return [
            AttackerInput(
                relation=form.cleaned_data.get("relation") or AttackerRelation.OTHER,
                description=form.cleaned_data.get("description", ""),
                full_name=form.cleaned_data.get("full_name", ""),
                iin=form.cleaned_data.get("iin", ""),
                minor=form.cleaned_data.get("minor") or YesNoUnknown.UNKNOWN,
                intoxicated=form.cleaned_data.get("intoxicated", False),
            )
            for form in self.filled_forms()
        ]


VictimFormSet = forms.formset_factory(
    VictimForm, formset=VictimFormSetBase, extra=1, max_num=MAX_EXTRA_PEOPLE, absolute_max=MAX_EXTRA_PEOPLE
)
AttackerFormSet = forms.formset_factory(
    AttackerForm, formset=AttackerFormSetBase, extra=1, max_num=MAX_EXTRA_PEOPLE, absolute_max=MAX_EXTRA_PEOPLE
)

VICTIMS_PREFIX = "victims"
ATTACKERS_PREFIX = "attackers"


class ReportForms:
    """The report form and its two formsets, bound or unbound together; valid only when all three are."""

    def __init__(
        self, *, user: User, data=None, files=None, initial=None, victims_initial=None, attackers_initial=None
    ):
        self.form = ReportForm(data, files, user=user, initial=initial or {"draft_key": uuid.uuid4()})
        self.victims = VictimFormSet(data, prefix=VICTIMS_PREFIX, initial=victims_initial)
        self.attackers = AttackerFormSet(data, prefix=ATTACKERS_PREFIX, initial=attackers_initial)

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.victims.is_valid(), self.attackers.is_valid()])
        if valid and not self.form.cleaned_data.get("reporter_hurt") and not self.victims.filled_forms():
            self.form.add_error(
                "reporter_hurt",
                ValidationError(_("Tick “It happened to me” or add the person it happened to."), code="no_victim"),
            )
            valid = False
        return valid

    def details_have_errors(self) -> bool:
        """Open the collapsed details when something in them needs fixing."""
        if not self.form.is_bound:
            return False
        return bool(set(self.form.errors) & set(DETAILS_FIELDS)) or any(form.errors for form in self.attackers)

    def report_input(self) -> ReportInput:
        return self.form.report_input()

    def add_error(self, field: str, error: ValidationError | list[ValidationError]) -> None:
        self.form.add_error(field, error)

    def victim_inputs(self) -> list[VictimInput]:
        victims = []
        own = self.form.reporter_victim()
        if own is not None:
            victims.append(own)
        victims.extend(self.victims.victims(duty_link_for=self.form._duty_link))
        return victims

    def attacker_inputs(self) -> list[AttackerInput]:
        return self.attackers.attackers()

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary at the top of the page."""
        rows = [("", self.form)]
        rows += [(_("Person %(number)d") % {"number": i + 1}, form) for i, form in enumerate(self.victims.forms)]
        rows += [(_("Attacker %(number)d") % {"number": i + 1}, form) for i, form in enumerate(self.attackers.forms)]
        found = []
        for where, form in rows:
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                target = ""
                if name != "__all__":
                    bound = form[name]
                    target = bound.auto_id or ""
                    if target and isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                        target = f"{target}_0"  # the first choice: a group of choices has no single id
                found.extend((target, f"{where}: {error}" if where else str(error)) for error in errors)
        for formset in (self.victims, self.attackers):
            if formset.is_bound:
                found.extend(("", str(error)) for error in formset.non_form_errors())
        return found


def draft_initial(data: dict[str, list[str]], *, user: User) -> dict:
    """Turn a saved draft (POST lists) into initial values for the report form and its formsets."""
    form = ReportForm(user=user)
    initial: dict = {}
    for name, field in form.fields.items():
        if name == "evidence":
            continue
        values = data.get(name)
        if isinstance(field, forms.BooleanField):
            initial[name] = bool(values) and values[-1] not in ("", "false", "False", "off", "0")
        elif isinstance(field, forms.MultipleChoiceField):
            initial[name] = values or []
        elif values:
            initial[name] = values[-1]
    return {
        "initial": initial,
        "victims_initial": _formset_initial(data, VICTIMS_PREFIX, VictimForm),
        "attackers_initial": _formset_initial(data, ATTACKERS_PREFIX, AttackerForm),
    }


def _formset_initial(data: dict[str, list[str]], prefix: str, form_class) -> list[dict]:
    try:
        total = min(int((data.get(f"{prefix}-TOTAL_FORMS") or ["0"])[-1]), MAX_EXTRA_PEOPLE)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        row = {}
        for name, field in form_class.base_fields.items():
            values = data.get(f"{prefix}-{index}-{name}")
            if isinstance(field, forms.BooleanField):
                row[name] = bool(values) and values[-1] not in ("", "false", "off", "0")
            elif values:
                row[name] = values[-1]
        # Only rows the reporter touched; untouched extra rows come back as the formset's blank extra.
        meaningful = {key: value for key, value in row.items() if value and value != field_initial(form_class, key)}
        if meaningful:
            rows.append(row)
    return rows


def field_initial(form_class, name: str):
    return form_class.base_fields[name].initial


class MessageForm(forms.Form):
    body = forms.CharField(
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
        self.helper = _helper(*self.fields)
