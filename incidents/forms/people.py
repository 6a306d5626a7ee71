"""The people of a report: victims and attackers, each a small form in a formset beside the report form."""

from crispy_forms.layout import Field
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession
from common.forms import CountedCharField, Form
from common.phones import PhoneField
from incidents.forms.reporting import MAX_EXTRA_PEOPLE, fields_helper
from incidents.models import AttackerRelation, DutyLink, YesNoUnknown
from incidents.services.reporting import AttackerInput, VictimInput
from legal.iin import IINField


class PersonForm(Form):
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
    medical_qualification = forms.BooleanField(
        label=_("Holds a medical qualification"),
        required=False,
        help_text=_("For an intern, a medical student or a volunteer."),
    )
    medical_work = forms.BooleanField(label=_("Was doing medical work at the time"), required=False)
    phone = PhoneField(
        label=_("Their phone, if they agree"),
        required=False,
        help_text=_("Only the police post sees it, to reach them. For example +7 701 123 45 67."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(
            Field("full_name"),
            Field("role"),
            Field("duty_link"),
            Field("medical_qualification"),
            Field("medical_work"),
            Field("phone"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("role"):
            self.add_error("role", ValidationError(_("Choose their profession."), code="required"))
        return cleaned


class AttackerForm(PersonForm):
    relation = forms.ChoiceField(
        label=_("Who was it?"), choices=AttackerRelation.choices, initial=AttackerRelation.PATIENT
    )
    description = CountedCharField(
        label=_("What they looked like"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Age, clothes, anything that helps to find them."),
    )
    full_name = forms.CharField(label=_("Name, if known"), max_length=255, required=False)
    iin = IINField(label=_("IIN, if known"), required=False)
    minor = forms.ChoiceField(label=_("Under 18?"), choices=YesNoUnknown.choices, initial=YesNoUnknown.UNKNOWN)
    # Not answered (an older draft, a row the script did not show) is "don't know", and leaves a row untouched.
    under_16 = forms.TypedChoiceField(
        label=_("Appears under 16?"),
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        coerce=str,
        empty_value=YesNoUnknown.UNKNOWN,
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Date of birth, if known"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    not_of_sound_mind = forms.BooleanField(label=_("Seemed not of sound mind (mentally ill)"), required=False)
    intoxicated = forms.BooleanField(label=_("Seemed drunk or on drugs"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(
            Field("relation"),
            Field("description"),
            Field("full_name"),
            Field("iin"),
            Field("minor"),
            Field("under_16"),
            Field("birth_date"),
            Field("not_of_sound_mind"),
            Field("intoxicated"),
        )

    def clean(self):
        cleaned = super().clean()
        # Under 16 is under 18: the two answers may not contradict each other.
        if cleaned.get("under_16") == YesNoUnknown.YES and cleaned.get("minor") == YesNoUnknown.NO:
            self.add_error("minor", ValidationError(_("Someone under 16 is also under 18."), code="contradiction"))
        birth_date = cleaned.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", ValidationError(_("This date is in the future."), code="future"))
        return cleaned


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
                phone=form.cleaned_data.get("phone", ""),
                medical_qualification=form.cleaned_data.get("medical_qualification", False),
                medical_work=form.cleaned_data.get("medical_work", False),
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
                under_16=form.cleaned_data.get("under_16") or YesNoUnknown.UNKNOWN,
                birth_date=form.cleaned_data.get("birth_date"),
                not_of_sound_mind=form.cleaned_data.get("not_of_sound_mind", False),
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
