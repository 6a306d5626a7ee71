from django import forms
from django.utils.translation import gettext_lazy as _

from alarms.services import (
    FALSE_ALARM_REASON_MAX,
    FALSE_ALARM_REASON_REQUIRED,
    PLACE_MAX,
    place_normalise,
    reason_normalise,
)


class PlaceForm(forms.Form):
    place = forms.CharField(
        label=_("Where exactly? (department, room)"),
        max_length=PLACE_MAX,
        error_messages={"required": _("Say where you are.")},
    )

    def clean_place(self) -> str:
        return place_normalise(self.cleaned_data["place"])


class FalseAlarmForm(forms.Form):
    reason = forms.CharField(
        label=_("Why was it a false alarm?"),
        max_length=FALSE_ALARM_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": FALSE_ALARM_REASON_REQUIRED},
    )

    def clean_reason(self) -> str:
        return reason_normalise(self.cleaned_data["reason"])
