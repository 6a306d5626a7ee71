from django import forms
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import MonthlyCount
from analytics.periods import Period, default_period, period_choices
from analytics.selectors.filters import Filters
from common.forms import Form
from facilities.models import District, FacilityKind


class StatisticsFilterForm(Form):
    """Period, district and facility kind; read from the query string so every view of it has a URL."""

    period = forms.ChoiceField(label=_("Period"))
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("all districts")
    )
    facility_kind = forms.ChoiceField(
        label=_("Facility kind"), required=False, choices=[("", _("all kinds")), *FacilityKind.choices]
    )

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        span = MonthlyCount.objects.aggregate(first=Min("month"), last=Max("month"))
        self.default = default_period(timezone.localdate(), latest=span["last"])
        data.setdefault("period", self.default.key)
        super().__init__(data, **kwargs)
        first = span["first"]
        choices = period_choices(first, timezone.localdate())
        period_field = self.fields["period"]
        period_field.choices = choices
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        wanted = str(data.get("period", ""))
        known = {key for _title, options in choices for key, _label in options}
        if wanted and wanted not in known:
            # A valid period outside the offered range (an old year) is still allowed by URL.
            try:
                period = Period.parse(wanted)
            except ValueError:
                pass
            else:
                period_field.choices = [*choices, (period.key, period.label)]

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(_("Choose a month, quarter or year.")) from exc

    def filters(self) -> Filters:
        """The validated filters, or the default ones when the query string is wrong."""
        if not self.is_valid():
            return Filters(period=self.default)
        return Filters(
            period=self.cleaned_data["period"],
            district=self.cleaned_data["district"],
            facility_kind=self.cleaned_data["facility_kind"] or "",
        )

    def query_string(self) -> str:
        filters = self.filters()
        parts = [f"period={filters.period.key}"]
        if filters.district:
            parts.append(f"district={filters.district.pk}")
        if filters.facility_kind:
            parts.append(f"facility_kind={filters.facility_kind}")
        return "&".join(parts)
