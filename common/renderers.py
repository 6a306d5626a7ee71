"""The form renderer: Django's own widget templates, with the common ones written out in Python.

A widget is rendered through a template of its own (an <input> through input.html and attrs.html, a <select> through
select.html, then select_option.html and attrs.html once per option). On the case page, with its action forms, a form
per victim and the evidence's hand-over forms, those templates were most of the page's time (issue 14). The widgets
below render here to the same HTML as Django's templates (tests/common/test_renderers.py compares them); any other
template, or a project override of one of these, goes through the templates as before.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

WIDGETS = "django/forms/widgets/"


def _shown(value: Any) -> str:
    """`{{ value }}` in a template: local time, localised, escaped unless safe."""
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the string of the value, escaped unless the value is safe."""
    return conditional_escape(value) if hasattr(value, "__html__") else conditional_escape(f"{value}")


def _attrs(attrs: Mapping[str, Any]) -> str:
    """attrs.html: ` name="value"` per attribute, the bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: Mapping[str, Any]) -> str:
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>'


OPTION_TEMPLATE = WIDGETS + "select_option.html"


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # an option of a template of its own: the templates render the whole select
            parts.append(f"\n  {_option(option)}\n")  # an included template keeps its final newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# The widgets whose template is input.html alone.
INPUT_TYPES = (
    *("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox"),
    *("search", "tel", "color"),
)
RENDERERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in ("input", *INPUT_TYPES)},
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    OPTION_TEMPLATE: _option,
}


class PythonWidgetRenderer(DjangoTemplates):
    """FORM_RENDERER: the common widgets in Python, everything else (forms, fields, other widgets) by template."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        render = RENDERERS.get(template_name)
        widget = context.get("widget") if render is not None else None
        if render is not None and isinstance(widget, Mapping):
            html = render(widget)
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request)
