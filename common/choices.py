"""`get_<field>_display` from one table per field, built once.

Django's own builds the table on every call, and hashes each label on the way: every label of the field's choices
is translated for each row shown (issue 14: the inbox's statuses and acts, 25 rows a page). The labels stay lazy in
the table, so each call still reads its label in the language active then.
"""

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[models.Field, dict[Any, Any]] = {}  # type: ignore[type-arg]


def choice_labels(field: models.Field) -> dict[Any, Any]:  # type: ignore[type-arg]
    """The field's choices as {value: label}, the labels untranslated (lazy), as Django's `dict(flatchoices)`."""
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


class ChoiceLabelsMixin(models.Model):
    """A model whose `get_<field>_display` reads `choice_labels`: the same label as Django's, without the rebuild."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:  # type: ignore[type-arg] # noqa: N802 - Django's name
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)
