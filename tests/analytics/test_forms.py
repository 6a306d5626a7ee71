"""The statistics filter form (`analytics/forms.py`): its selects are written in Python (`PlainSelect`), with the
markup Django's own select templates write, choices and selection included."""

import pytest
from django import forms

from analytics.forms import PlainSelect, StatisticsFilterForm

pytestmark = pytest.mark.django_db


def stock(bound_field) -> str:
    """The field as Django's Select and its templates write it."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({"id": bound_field.auto_id})
    return forms.Select.render(widget, bound_field.html_name, bound_field.value(), attrs)


def lines(html: str) -> list[str]:
    return [line.strip() for line in str(html).splitlines() if line.strip()]


def test_the_selects_are_djangos_markup_with_the_choice_selected(known_data, north):
    form = StatisticsFilterForm({"period": "2025-Q3", "district": str(north.pk), "facility_kind": "children"})
    # Both at once are refused (issue 10), and the selects still show what was chosen.
    assert not form.is_valid() and form.has_error("__all__", "district_and_kind")
    for name in ("period", "district", "facility_kind"):
        field = form[name]
        assert isinstance(field.field.widget, PlainSelect)
        assert "".join(lines(str(field))) == "".join(lines(stock(field))), name
    assert '<option value="2025-Q3" selected>' in str(form["period"])
    assert str(form["period"]).count("<optgroup ") == 3  # years, quarters, months
    assert f'<option value="{north.pk}" selected>' in str(form["district"])
    assert 'class="form-select"' in str(form["facility_kind"])


def test_a_label_is_escaped(known_data):
    widget = PlainSelect(choices=[("<x>", "<b>&</b>")])
    html = widget.render("kind", "<x>", {"id": "id_kind"})
    assert '<option value="&lt;x&gt;" selected>&lt;b&gt;&amp;&lt;/b&gt;</option>' in html
    assert "".join(lines(html)) == "".join(lines(forms.Select.render(widget, "kind", "<x>", {"id": "id_kind"})))
