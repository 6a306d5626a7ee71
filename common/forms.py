"""Form fields shared by the apps' forms."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class CountedCharField(forms.CharField):
    """Text with a limit the writer can see: a character counter (static/js/qorgau.js) and, past the limit, a
    message saying by how much, the text kept whole.

    No `maxlength` attribute: a browser cuts a paste at it without a word. Line breaks count once, as the
    counter counts them (a browser sends each as CR LF).
    """

    default_error_messages = {
        "too_long": _(
            "This text is %(length)s characters long; the limit is %(limit)s. Shorten it by %(over)s characters. "
            "Nothing has been cut."
        ),
    }

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.limit = max_length
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-max-chars"] = str(self.max_length)
            attrs["data-counter-text"] = _("%(count)s of %(limit)s characters")
            attrs["data-over-text"] = _("%(over)s characters over the limit: shorten the text before sending.")
        return attrs

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                self.error_messages["too_long"],
                code="max_length",
                params={"length": len(value), "limit": self.limit, "over": len(value) - self.limit},
            )
