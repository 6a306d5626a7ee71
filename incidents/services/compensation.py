"""Compensation and support of a victim, recorded by the police post: one row per victim, history on change."""

import datetime as dt
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incidents import access, events
from incidents.models import ClaimStatus, Disability, Status, Victim, VictimCompensation
from incidents.services.cases import CaseActionRefused, CaseConflict


@dataclass(frozen=True)
class CompensationInput:
    """What the officer typed; amounts in whole tenge."""

    sick_leave_days: int | None = None
    disability: str = Disability.NONE
    lost_ability_to_work: bool = False
    claim_status: str = ClaimStatus.NOT_FILED
    claim_filed_on: dt.date | None = None
    claimed_material: int | None = None
    claimed_moral: int | None = None
    awarded_material: int | None = None
    awarded_moral: int | None = None
    awarded_monthly: int | None = None
    paid: int | None = None
    psychologist: bool = False
    legal_aid: bool = False
    employer_paid: int | None = None
    support_notes: str = ""


FIELDS = [item.name for item in fields(CompensationInput)]


def compensation_check(data: CompensationInput) -> None:
    """The claim's figures must agree with its status; raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    filed = data.claim_status != ClaimStatus.NOT_FILED
    awarded = data.claim_status == ClaimStatus.AWARDED
    if not filed:
        for name in ("claim_filed_on", "claimed_material", "claimed_moral"):
            if getattr(data, name) not in (None, ""):
                errors[name] = _("A claim that is not filed has no figures: choose the claim's status.")
    elif data.claimed_material is None and data.claimed_moral is None:
        errors["claimed_material"] = _("Enter the amount claimed.")
    if data.claim_filed_on is not None and data.claim_filed_on > timezone.localdate():
        errors["claim_filed_on"] = _("The date cannot be in the future.")
    if not awarded:
        for name in ("awarded_material", "awarded_moral", "awarded_monthly", "paid"):
            if getattr(data, name) is not None:
                errors[name] = _("Only an awarded claim has amounts awarded or paid.")
    elif data.awarded_material is None and data.awarded_moral is None and data.awarded_monthly is None:
        errors["awarded_material"] = _("Enter the amount awarded.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def compensation_record(
    *, victim: Victim, actor: User, data: CompensationInput, expected_version: int
) -> VictimCompensation:
    """Record a victim's compensation and support; refused if another officer saved it meanwhile."""
    incident = victim.incident
    if not access.incidents_for_officer(actor).filter(pk=incident.pk).exists():
        raise PermissionDenied(_("Only an officer of the case's police post can do this."))
    if incident.status == Status.CANCELLED:
        raise CaseActionRefused(
            _("Not possible while the case is “%(status)s”.") % {"status": incident.get_status_display()}
        )
    compensation_check(data)
    record, _created = VictimCompensation.objects.get_or_create(victim=victim)
    record = VictimCompensation.objects.select_for_update().get(pk=record.pk)
    if record.version != expected_version:
        raise CaseConflict(
            _("Another officer changed this case a moment ago. Here is its new state; check it and try again.")
        )
    changed = [name for name in FIELDS if getattr(record, name) != getattr(data, name)]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, getattr(data, name))
    record.version += 1  # the row is locked: no one else saves it meanwhile
    record.save(update_fields=[*changed, "version", "updated_at"])
    events.compensation_recorded(compensation=record, incident=incident, actor=actor, changed=changed)
    return record
