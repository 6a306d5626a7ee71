from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import Form
from facilities.models import District, FacilityKind


class FacilityFilterForm(Form):
    """The filters above the facility list; every field optional, bad values are simply ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *FacilityKind.choices])
