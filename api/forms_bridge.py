"""JSON in, the pages' own forms to validate it: one set of rules for a field, whether typed or sent.

The API's request serializers are built from the forms' fields (types, choices, lengths: what the schema
documents and what a wrong type is refused by); the values are then bound to the same form the page binds, which
does the cleaning, the cross-field checks and calls the service. Nothing the forms check is written here again.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming each (a typo must not be silently dropped)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown}, code="unknown")
        return super().to_internal_value(data)


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    return [(value, label) for value, label in field.choices if value not in ("", None)]


def drf_field(field: forms.Field) -> serializers.Field:
    """The DRF field of the same type and bounds as a form field (its rules stay in the form)."""
    common: dict[str, Any] = {"required": False, "help_text": str(field.label or "")}
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, max_value=2**63 - 1, allow_null=True, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.ChoiceField(choices=_choices(field)), max_length=50, **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=_choices(field), allow_blank=not field.required, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value,
            max_value=field.max_value if field.max_value is not None else 2**31 - 1,
            allow_null=True,
            **common,
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.UUIDField):
        return serializers.UUIDField(**common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(max_length=field.max_length, allow_blank=True, trim_whitespace=False, **common)
    raise TypeError(f"no API field for {type(field).__name__}")


def fields_of(form_class: type[forms.BaseForm], *, exclude: Iterable[str] = ()) -> dict[str, serializers.Field]:
    excluded = set(exclude)
    return {name: drf_field(field) for name, field in form_class.base_fields.items() if name not in excluded}


def serializer_for(
    form_class: type[forms.BaseForm], *, name: str, exclude: Iterable[str] = (), extra: Mapping[str, Any] = {}
) -> type[StrictSerializer]:
    """A request serializer with the form's fields, named for the schema."""
    attrs: dict[str, Any] = {**fields_of(form_class, exclude=exclude), **extra}
    attrs["__doc__"] = (form_class.__doc__ or "").strip()
    return type(name, (StrictSerializer,), attrs)


def as_form_value(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return ["on"] if value else []
    if isinstance(value, list):
        return [str(item) for item in value]
    if hasattr(value, "isoformat"):
        return [value.isoformat()]
    return [str(value)]


def untouched(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    """What the page sends for a field nobody touched: its initial value, as rendered."""
    found = {}
    for name, field in form_class.base_fields.items():
        initial = field.initial() if callable(field.initial) else field.initial
        if initial is not None:
            found[name] = initial
    return found


def form_data(
    values: Mapping[str, Any], *, prefix: str = "", form_class: type[forms.BaseForm] | None = None
) -> QueryDict:
    """Validated JSON values as the POST a form expects (booleans as checkboxes, lists as repeated keys); a field
    left out is sent as the page would send it untouched (`form_class`'s initial values)."""
    data = QueryDict(mutable=True)
    given = {**untouched(form_class), **values} if form_class is not None else dict(values)
    for name, value in given.items():
        data.setlist(f"{prefix}-{name}" if prefix else name, as_form_value(value))
    return data


def form_errors(form: forms.BaseForm, *, path: str = "") -> dict[str, list[str]]:
    """A bound form's errors keyed by API field names (`path.field`; `path` or "non_field_errors" for the whole)."""
    found: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        if name == "__all__":
            key = path or "non_field_errors"
        else:
            key = f"{path}.{name}" if path else name
        found.setdefault(key, []).extend(str(error) for error in errors)
    return found
