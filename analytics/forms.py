from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from analytics.models import Snapshot
from analytics.periods import Period, default_period, period_choices, published_period
from analytics.selectors.filters import Filters, months_counted
from analytics.snapshot import current_snapshot
from common.forms import Form
from facilities.models import District, FacilityKind


def _attributes(attrs: dict) -> str:
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class PlainSelect(forms.Select):
    """Django's select, written in Python rather than by two templates per option: the period list has some fifty
    options, which cost the dashboard as much as all of its cached figures (issue 14). Same markup, same choices."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attributes(widget["attrs"])))]  # noqa: S308
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts += [
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    mark_safe(_attributes(option["attrs"])),  # noqa: S308 - escaped by format_html above
                    option["label"],
                )
                for option in options
            ]
            if group_name:
                parts.append(mark_safe("</optgroup>"))  # noqa: S308
        parts.append(mark_safe("</select>"))  # noqa: S308
        return mark_safe("\n".join(parts))  # noqa: S308 - every part escaped by format_html


class StatisticsFilterForm(Form):
    """Period, district and facility kind; read from the query string so every view of it has a URL."""

    period = forms.ChoiceField(label=_("Period"), widget=PlainSelect)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("all districts"),
        widget=PlainSelect,
    )
    facility_kind = forms.ChoiceField(
        label=_("Facility kind"),
        required=False,
        choices=[("", _("all kinds")), *FacilityKind.choices],
        widget=PlainSelect,
    )

    def __init__(self, data=None, *, snapshot: Snapshot | None = None, **kwargs):
        """`snapshot`: the current one, when the view has read it already (it names the months counted)."""
        data = data.copy() if data is not None else {}
        first, last = months_counted(snapshot or current_snapshot())
        self.default = default_period(timezone.localdate(), latest=last)
        # The year not over yet is asked for as "2026" (it is published as its quarters so far).
        data.setdefault("period", str(self.default.start.year) if self.default.until else self.default.key)
        super().__init__(data, **kwargs)
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
                period = published_period(Period.parse(wanted))
            except ValueError:
                pass
            else:
                period_field.choices = [*choices, (wanted, period.label)]

    def clean_period(self) -> Period:
        try:
            period = Period.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(_("Choose a month, quarter or year.")) from exc
        try:
            return published_period(period)
        except ValueError as exc:
            raise forms.ValidationError(
                _("This period is not over yet: its figures are published when it ends.")
            ) from exc

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("district") and cleaned.get("facility_kind"):
            # The filters are suppressed together as one table (analytics.selectors.lattice); a district's counts of
            # one kind are too small to publish by part, act or place, and are not.
            raise forms.ValidationError(
                _(
                    "Choose a district or a facility kind, not both: the figures of one kind in one district are too"
                    " few to publish."
                ),
                code="district_and_kind",
            )
        return cleaned

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


class FacilityStatisticsFilterForm(StatisticsFilterForm):
    """The period alone: a facility lead's statistics are always those of the facilities she leads."""

    def __init__(self, data=None, *, own_facility_ids: frozenset[int], **kwargs):
        self.own_facility_ids = own_facility_ids
        super().__init__(data, **kwargs)
        del self.fields["district"]
        del self.fields["facility_kind"]

    def filters(self) -> Filters:
        period = self.cleaned_data["period"] if self.is_valid() else self.default
        return Filters(period=period, own_facility_ids=self.own_facility_ids)
