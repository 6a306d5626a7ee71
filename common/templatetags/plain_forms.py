"""`{% load plain_forms %}`: `{% plain_form form submit_id=… submit_label=… submit_class=… %}`.

A form laid out as crispy lays it out (bootstrap5), without crispy's templates: the widgets carry their Bootstrap
classes (common.forms.BootstrapWidgetsMixin). The form's `helper` gives the action and the id; `submit_id`,
`submit_label` and `submit_class` the button. Written in Python rather than as an included template: the case page
shows up to nine action forms, a form per victim and one per evidence file, and a template's loop over their fields
was most of the page's time (issue 14).
"""

from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

REQUIRED_MARK = mark_safe('<span class="asteriskField">*</span>')  # noqa: S308 - a constant


def _csrf_input(context: template.Context) -> SafeString:
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker of no token, not a secret
        return mark_safe("")  # noqa: S308 - empty
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _field(field: BoundField) -> SafeString:
    required = field.field.required
    checkbox = field.widget_type == "checkbox"
    label = format_html(
        '<label for="{}" class="{}{}">{}{}</label>',
        field.id_for_label,
        "form-check-label" if checkbox else "form-label",
        " requiredField" if required else "",
        field.label,
        REQUIRED_MARK if required else "",
    )
    widget = mark_safe(str(field))  # noqa: S308 - BoundField.__str__ is the widget's SafeString
    body = format_html("{}\n{}", widget, label) if checkbox else format_html("{}\n{}", label, widget)
    errors = format_html_join(
        "",
        '<span id="error_{}_{}" class="invalid-feedback d-block"><strong>{}</strong></span>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3{}">\n{}\n{}{}\n</div>',
        field.auto_id,
        " form-check" if checkbox else "",
        body,
        errors,
        help_text,
    )


@register.simple_tag(takes_context=True)
def plain_form(
    context: template.Context,
    form: BaseForm,
    *,
    submit_id: str = "",
    submit_label: Any = "",
    submit_class: str = "",
) -> SafeString:
    helper = form.helper  # type: ignore[attr-defined]
    non_field = form.non_field_errors()
    errors = (
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in non_field)),
        )
        if non_field
        else ""
    )
    hidden = mark_safe("".join(str(field) for field in form.hidden_fields()))  # noqa: S308 - widgets' SafeStrings
    fields = mark_safe("\n".join(_field(field) for field in form.visible_fields()))  # noqa: S308 - format_html's
    return format_html(
        '<form method="post" action="{}" id="{}">\n{}\n{}{}\n{}\n<button type="submit" class="{}" id="{}">{}</button>\n'
        "</form>",
        helper.form_action,
        helper.form_id,
        _csrf_input(context),
        errors,
        hidden,
        fields,
        submit_class or "btn btn-primary",
        submit_id,
        submit_label,
    )
