"""The whole report page as one object: the report form with its victims and attackers, and drafts restored."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from incidents.forms.people import (
    ATTACKERS_PREFIX,
    VICTIMS_PREFIX,
    AttackerForm,
    AttackerFormSet,
    VictimForm,
    VictimFormSet,
)
from incidents.forms.reporting import DETAILS_FIELDS, MAX_EXTRA_PEOPLE, ReportForm
from incidents.services.reporting import AttackerInput, ReportInput, VictimInput


class ReportForms:
    """The report form and its two formsets, bound or unbound together; valid only when all three are."""

    def __init__(
        self, *, user: User, data=None, files=None, initial=None, victims_initial=None, attackers_initial=None
    ):
        self.form = ReportForm(data, files, user=user, initial=initial or {"draft_key": uuid.uuid4()})
        self.victims = VictimFormSet(data, prefix=VICTIMS_PREFIX, initial=victims_initial)
        self.attackers = AttackerFormSet(data, prefix=ATTACKERS_PREFIX, initial=attackers_initial)

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.victims.is_valid(), self.attackers.is_valid()])
        if valid and not self.form.cleaned_data.get("reporter_hurt") and not self.victims.filled_forms():
            self.form.add_error(
                "reporter_hurt",
                ValidationError(_("Tick “It happened to me” or add the person it happened to."), code="no_victim"),
            )
            valid = False
        return valid

    def details_have_errors(self) -> bool:
        """Open the collapsed details when something in them needs fixing."""
        if not self.form.is_bound:
            return False
        return bool(set(self.form.errors) & set(DETAILS_FIELDS)) or any(form.errors for form in self.attackers)

    def report_input(self) -> ReportInput:
        return self.form.report_input()

    def add_error(self, field: str, error: ValidationError | list[ValidationError]) -> None:
        self.form.add_error(field, error)

    def victim_inputs(self) -> list[VictimInput]:
        victims = []
        own = self.form.reporter_victim()
        if own is not None:
            victims.append(own)
        victims.extend(self.victims.victims(duty_link_for=self.form._duty_link))
        return victims

    def attacker_inputs(self) -> list[AttackerInput]:
        return self.attackers.attackers()

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary at the top of the page."""
        rows = [("", self.form)]
        rows += [(_("Person %(number)d") % {"number": i + 1}, form) for i, form in enumerate(self.victims.forms)]
        rows += [(_("Attacker %(number)d") % {"number": i + 1}, form) for i, form in enumerate(self.attackers.forms)]
        found = []
        for where, form in rows:
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                target = ""
                if name != "__all__":
                    bound = form[name]
                    target = bound.auto_id or ""
                    if target and isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                        target = f"{target}_0"  # the first choice: a group of choices has no single id
                found.extend((target, f"{where}: {error}" if where else str(error)) for error in errors)
        for formset in (self.victims, self.attackers):
            if formset.is_bound:
                found.extend(("", str(error)) for error in formset.non_form_errors())
        return found


def draft_initial(data: dict[str, list[str]], *, user: User) -> dict:
    """Turn a saved draft (POST lists) into initial values for the report form and its formsets."""
    form = ReportForm(user=user)
    initial: dict = {}
    for name, field in form.fields.items():
        if name == "evidence":
            continue
        values = data.get(name)
        if isinstance(field, forms.BooleanField):
            initial[name] = bool(values) and values[-1] not in ("", "false", "False", "off", "0")
        elif isinstance(field, forms.MultipleChoiceField):
            initial[name] = values or []
        elif values:
            initial[name] = values[-1]
    return {
        "initial": initial,
        "victims_initial": _formset_initial(data, VICTIMS_PREFIX, VictimForm),
        "attackers_initial": _formset_initial(data, ATTACKERS_PREFIX, AttackerForm),
    }


def _formset_initial(data: dict[str, list[str]], prefix: str, form_class) -> list[dict]:
    try:
        total = min(int((data.get(f"{prefix}-TOTAL_FORMS") or ["0"])[-1]), MAX_EXTRA_PEOPLE)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        row = {}
        for name, field in form_class.base_fields.items():
            values = data.get(f"{prefix}-{index}-{name}")
            if isinstance(field, forms.BooleanField):
                row[name] = bool(values) and values[-1] not in ("", "false", "off", "0")
            elif values:
                row[name] = values[-1]
        # Only rows the reporter touched; untouched extra rows come back as the formset's blank extra.
        meaningful = {key: value for key, value in row.items() if value and value != field_initial(form_class, key)}
        if meaningful:
            rows.append(row)
    return rows


def field_initial(form_class, name: str):
    return form_class.base_fields[name].initial
