"""Form widgets shared by the apps' forms."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """`<input type="date">`: its value must be yyyy-mm-dd whatever the language (Russian dates are 22.11.2026)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
