"""Tagging: an incident's lay answers read as legal facts, assessed by `legal.rules`, stored with history.

Call `incident_assess` after every change of an incident's facts (submit, edit, forensic result, suspect
identified…). It is cheap when nothing changed: no new row, no event. Overrides (a part set by hand, with a
reason) are kept beside the computed tag, never instead of it; the incident's `legal_part` is the effective one.

The nurse answers in plain words ("visible injury", "they choked me"); `facts_from_incident` says what those
answers mean in law, conservatively, and the tag stays provisional until the police record a forensic result.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incidents import access, events
from incidents.models import (
    Attacker,
    EpisodeLink,
    ForensicHarm,
    Incident,
    Injury,
    Outcome,
    Status,
    YesNoUnknown,
)
from incidents.models import Victim as VictimRow
from incidents.selectors.tagging import assessment_current
from incidents.services.deadlines import deadline_of, incident_deadline_refresh
from legal import statute
from legal.facts import EarlierAct, Facts, Victim
from legal.iin import iin_digest, validate_iin
from legal.mci import statute_in_force
from legal.models import LegalAssessment, PartOverride
from legal.rules import age_reached, assess, rules_version

# The reporter's account of injuries, read as a provisional degree of harm. Superficial injuries (bruises,
# abrasions) are "no harm to health" in forensic practice unless they cause a short-term health disorder;
# needing treatment or a hospital stay points to at least light harm. Sick leave measures the disorder:
# up to 21 days is light harm, longer is moderate (forensic criteria [L]). The forensic result overrides all.
INJURY_TO_HARM: dict[str, str] = {
    Injury.NONE: "none",
    Injury.PAIN: "pain",
    Injury.VISIBLE: "pain",
    Injury.TREATMENT: "light",
    Injury.HOSPITALISED: "light",
}
LIGHT_HARM_MAX_SICK_DAYS = 21

# Earlier reports that cannot count as an earlier act for "repeatedly" (CC art. 12).
NOT_AN_EARLIER_ACT_STATUSES = (Status.CANCELLED,)
NOT_AN_EARLIER_ACT_OUTCOMES = (Outcome.REFUSED, Outcome.NO_OFFENCE)


def harm_from_report(incident: Incident) -> str:
    """The degree of harm: the forensic result when recorded, else a provisional reading of the report."""
    if incident.forensic_harm:
        return str(incident.forensic_harm)
    harm = INJURY_TO_HARM.get(incident.injury, "none")
    days = incident.sick_leave_days or 0
    if incident.injury != Injury.NONE and days > LIGHT_HARM_MAX_SICK_DAYS:
        return "moderate"
    if incident.injury != Injury.NONE and days > 0 and harm == "pain":
        return "light"
    return harm


def earlier_incidents_of_same_suspect(incident: Incident, digests: set[str]) -> QuerySet[Incident]:
    """Earlier Article 380-3 reports, in any facility, naming an attacker with one of these IIN digests."""
    if not digests:
        return Incident.objects.none()
    return (
        Incident.objects.filter(
            attackers__iin_digest__in=digests,
            occurred_at__lt=incident.occurred_at,
            legal_applicable=True,
        )
        .exclude(pk=incident.pk)
        .exclude(status__in=NOT_AN_EARLIER_ACT_STATUSES)
        .exclude(outcome__in=NOT_AN_EARLIER_ACT_OUTCOMES)
        .distinct()
        .order_by("occurred_at", "pk")
    )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years on `day` (an age is reached when the birthday has ended, as `legal.rules` counts it)."""
    years = day.year - birth_date.year
    return years if age_reached(birth_date, day, years) else years - 1


def _attacker_under(attacker: Attacker, age: int, day: dt.date, answer: str) -> bool:
    """Under `age` on `day` by the date of birth (IIN or recorded), or as recorded: either makes the assessment
    warn, so an officer checks the age rather than the app choosing between two records."""
    birth_date = attacker.known_birth_date
    if birth_date is not None and age_on(birth_date, day) < age:
        return True
    return answer == YesNoUnknown.YES


def _earlier_acts(incident: Incident, attackers: list[Attacker], earlier: list[Incident]) -> tuple[EarlierAct, ...]:
    """The earlier reports with what CC 12 needs: their time, the facility, the matched suspect's birth date."""
    births = {a.iin_digest: a.known_birth_date for a in attackers if a.iin_digest}
    acts = []
    for other in earlier:
        matched = [births.get(a.iin_digest) for a in other.attackers.all() if a.iin_digest in births]
        birth_dates = {b for b in matched if b is not None}
        acts.append(
            EarlierAct(
                reference=other.reference,
                occurred_at=other.occurred_at,
                same_facility=other.facility_id == incident.facility_id,
                # One matched suspect's birth date; with several different ones, none (the act counts).
                suspect_birth_date=birth_dates.pop() if len(birth_dates) == 1 else None,
            )
        )
    return tuple(acts)


def facts_from_incident(incident: Incident) -> Facts:
    """The legal facts of a stored incident (its victims, attackers and police findings included)."""
    return facts_of(incident, victims=list(incident.victims.all()), attackers=list(incident.attackers.all()))


def facts_of(incident: Incident, *, victims: Sequence[VictimRow], attackers: Sequence[Attacker]) -> Facts:
    """The legal facts of an incident with these victims and attackers (rows read, or objects just built)."""
    attackers = list(attackers)
    legal_victims = tuple(
        Victim(
            role=victim.role if victim.role in statute.ROLES else "other_staff",
            duty_link=victim.duty_link,
            medical_qualification=victim.medical_qualification,
            medical_work=victim.medical_work,
        )
        for victim in victims
    )
    digests = {a.iin_digest for a in attackers if a.iin_digest}
    earlier_reports = list(earlier_incidents_of_same_suspect(incident, digests).prefetch_related("attackers"))
    earlier = [other.reference for other in earlier_reports]
    # An incident being built (not yet inserted) has no links to earlier episodes yet.
    linked = set(incident.episode_links.values_list("earlier__reference", flat=True)) if incident.pk else set()
    day = timezone.localdate(incident.occurred_at)
    minors = statute.CURRENT.minors
    under_16 = [a for a in attackers if _attacker_under(a, minors.age_of_liability, day, a.under_16)]
    not_counted = [a for a in attackers if a in under_16 or a.not_of_sound_mind]
    perpetrators = max(1, incident.attackers_count or 1, len(attackers))
    known_circumstances = [c for c in (incident.circumstances or []) if c in statute.CIRCUMSTANCES]
    return Facts(
        occurred_at=incident.occurred_at,
        act=incident.act,
        harm=harm_from_report(incident),
        dangerous_method=bool(incident.weapon_used or incident.choked),
        weapon=incident.weapon_used,
        victims=legal_victims,
        perpetrators=perpetrators,
        perpetrators_not_counted=min(len(not_counted), perpetrators),
        prior_agreement=incident.attackers_agreed == YesNoUnknown.YES,
        repeat=bool(earlier),
        circumstances=tuple(known_circumstances),
        suspect_identified=any(a.is_identified for a in attackers),
        suspect_minor=any(_attacker_under(a, minors.age_of_majority, day, a.minor) for a in attackers),
        suspect_under_16=bool(under_16),
        forensic_recorded=bool(incident.forensic_harm) and incident.forensic_harm in ForensicHarm.values,
        repeat_of=tuple(earlier),
        earlier_acts=_earlier_acts(incident, attackers, earlier_reports),
        episode_of=tuple(sorted(linked & set(earlier))),
    )


# --- Assessing and overriding ---------------------------------------------------------------------------


def _changed_facts(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    if previous is None:
        return []
    return sorted(name for name in set(previous) | set(current) if previous.get(name) != current.get(name))


def _effective(incident: Incident, computed: LegalAssessment | None) -> tuple[bool | None, int | None]:
    override = incident.part_overrides.filter(is_active=True).first()
    if override is not None:
        return override.part is not None, override.part
    if computed is None:
        return None, None
    return computed.applicable, computed.part


def _store_effective(incident: Incident, locked: Incident, computed: LegalAssessment | None) -> None:
    applicable, part = _effective(locked, computed)
    if (locked.legal_applicable, locked.legal_part) != (applicable, part):
        locked.legal_applicable, locked.legal_part = applicable, part
        locked.updated_at = timezone.now()
        locked.save(update_fields=["legal_applicable", "legal_part", "updated_at"])
    incident_deadline_refresh(incident=locked)
    # The caller's instance sees the new tag and deadline without a refresh.
    incident.legal_applicable, incident.legal_part = applicable, part
    incident.procedure, incident.due_at = locked.procedure, locked.due_at


def incident_assess(
    *, incident: Incident, trigger: str, actor: User | None = None, cascade: bool = True
) -> LegalAssessment:
    """Assess the incident's current facts; store a new version only when the facts or the result changed.

    Updates `incident.legal_applicable` / `legal_part` (override first), writes a TAGGED event for a new
    version and REPEAT_FOUND when IIN matching finds a new earlier report. With `cascade`, later reports
    naming the same suspect are reassessed whenever this one gets a new version.
    """
    with transaction.atomic():
        # The lock serialises assessments of one incident, so sequence numbers never collide.
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        facts = facts_from_incident(locked)
        law = statute_in_force()
        result = assess(facts, law)
        facts_json, result_json = facts.as_json(), result.as_json()
        version = rules_version(law)
        current = assessment_current(locked)
        if (
            current is not None
            and current.facts == facts_json
            and current.result == result_json
            and current.rules_version == version
        ):
            _store_effective(incident, locked, current)
            return current

        changed = _changed_facts(current.facts if current else None, facts_json)
        if current is not None and current.rules_version != version:
            changed.append("rules")
        assessment = LegalAssessment.objects.create(
            incident=locked,
            sequence=(current.sequence + 1) if current else 1,
            rules_version=version,
            trigger=trigger[:64],
            facts=facts_json,
            result=result_json,
            applicable=result.applicable,
            part=result.part,
            provisional=result.provisional,
            changed_facts=changed,
            created_by=actor,
        )
        _store_effective(incident, locked, assessment)
        events.legal_tagged(
            incident=locked,
            actor=actor,
            assessment_id=assessment.pk,
            sequence=assessment.sequence,
            trigger=trigger,
            applicable=result.applicable,
            part=result.part,
            previous_part=current.part if current else None,
            provisional=result.provisional,
            changed=changed,
            effective_part=locked.legal_part,
        )
        previous_repeat_of = set(current.facts.get("repeat_of", [])) if current else set()
        new_references = sorted(set(facts.repeat_of) - previous_repeat_of)
        if new_references:
            events.repeat_found(incident=locked, actor=actor, assessment_id=assessment.pk, references=new_references)
        if cascade:
            # This report may now be (or no longer be) the earlier act of a later report's suspect.
            _reassess_later_reports_of_same_suspect(locked)
        return assessment


def assessment_of_new_incident(
    *,
    incident: Incident,
    victims: Sequence[VictimRow],
    attackers: Sequence[Attacker],
    trigger: str,
    actor: User | None,
) -> tuple[LegalAssessment, Facts]:
    """The first assessment of an incident being filed, from the objects just built: nothing is read back.

    Sets the incident's tag and stored deadline before its INSERT (a new incident has no override and no earlier
    assessment, so the computed tag is the effective one); `assessment_store_first` writes the assessment after it.
    """
    facts = facts_of(incident, victims=victims, attackers=attackers)
    result = assess(facts)
    assessment = LegalAssessment(
        sequence=1,
        rules_version=rules_version(),
        trigger=trigger[:64],
        facts=facts.as_json(),
        result=result.as_json(),
        applicable=result.applicable,
        part=result.part,
        provisional=result.provisional,
        changed_facts=[],
        created_by=actor,
    )
    incident.legal_applicable, incident.legal_part = result.applicable, result.part
    incident.procedure, incident.due_at = deadline_of(incident=incident, assessment=assessment)
    return assessment, facts


def assessment_store_first(
    *, incident: Incident, assessment: LegalAssessment, facts: Facts, attackers: Sequence[Attacker], actor: User | None
) -> LegalAssessment:
    """Write the first assessment of an incident just inserted, with its history (as `incident_assess` would)."""
    assessment.incident = incident
    assessment.save()
    events.legal_tagged(
        incident=incident,
        actor=actor,
        assessment_id=assessment.pk,
        sequence=assessment.sequence,
        trigger=assessment.trigger,
        applicable=bool(assessment.applicable),
        part=assessment.part,
        previous_part=None,
        provisional=assessment.provisional,
        changed=[],
        effective_part=incident.legal_part,
    )
    if facts.repeat_of:
        events.repeat_found(
            incident=incident, actor=actor, assessment_id=assessment.pk, references=sorted(facts.repeat_of)
        )
    digests = {attacker.iin_digest for attacker in attackers if attacker.iin_digest}
    if digests:
        _reassess_later_reports_of_same_suspect(incident, digests=digests)
    return assessment


def _reassess_later_reports_of_same_suspect(incident: Incident, *, digests: set[str] | None = None) -> None:
    if digests is None:
        digests = set(incident.attackers.exclude(iin_digest="").values_list("iin_digest", flat=True))
    if not digests:
        return
    later = (
        Incident.objects.filter(attackers__iin_digest__in=digests, occurred_at__gt=incident.occurred_at)
        .exclude(pk=incident.pk)
        .distinct()
        .order_by("occurred_at", "pk")
    )
    for other in later:
        incident_assess(incident=other, trigger="earlier_case_changed", actor=None, cascade=False)


def attacker_set_iin(*, attacker: Attacker, iin: str) -> Attacker:
    """Validate and set an attacker's IIN with its matching digest (saved: `iin` and `iin_digest` only).

    The caller reassesses the incident afterwards (`incident_assess`) to look for a repeat.
    """
    attacker.iin = validate_iin(iin) if iin else ""
    attacker.iin_digest = iin_digest(attacker.iin) if attacker.iin else ""
    if attacker.pk:
        attacker.save(update_fields=["iin", "iin_digest"])
    else:
        attacker.save()
    return attacker


def _check_may_override(*, incident: Incident, actor: User) -> None:
    # Administrators hold the legal app's model permissions (admin); officers may act on their posts' cases.
    if actor.has_perm("legal.add_partoverride"):
        return
    if access.incidents_for_officer(actor).filter(pk=incident.pk).exists():
        return
    raise PermissionDenied(_("Only an officer of the case's police post or an administrator can change the part."))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the change."), code="reason")
    return reason


def episode_link_set(*, incident: Incident, earlier_reference: str, actor: User) -> EpisodeLink:
    """Link an earlier report of the same suspect to this one as one continuing episode (CC 12 p.3), which
    removes it from the repeat; only an earlier report the IIN matching found can be linked."""
    _check_may_override(incident=incident, actor=actor)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        digests = set(locked.attackers.exclude(iin_digest="").values_list("iin_digest", flat=True))
        earlier = earlier_incidents_of_same_suspect(locked, digests).filter(reference=earlier_reference).first()
        if earlier is None:
            raise ValidationError(
                _("Only an earlier report of the same suspect can be linked as one episode."), code="earlier"
            )
        link, created = EpisodeLink.objects.get_or_create(
            incident=locked, earlier=earlier, defaults={"created_by": actor}
        )
        if created:
            events.episode_linked(incident=locked, actor=actor, earlier_reference=earlier.reference)
            incident_assess(incident=incident, trigger="episode_linked", actor=actor)
        return link


def episode_link_clear(*, incident: Incident, earlier_reference: str, actor: User) -> None:
    """Remove the link of an earlier report as one episode: it counts towards a repeat again."""
    _check_may_override(incident=incident, actor=actor)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        deleted, _rows = locked.episode_links.filter(earlier__reference=earlier_reference).delete()
        if deleted:
            events.episode_unlinked(incident=locked, actor=actor, earlier_reference=earlier_reference)
            incident_assess(incident=incident, trigger="episode_unlinked", actor=actor)


def part_override_set(*, incident: Incident, part: int | None, reason: str, actor: User) -> PartOverride:
    """Set the Article 380-3 part by hand (None: the article does not apply), beside the computed tag."""
    _check_may_override(incident=incident, actor=actor)
    reason = _clean_reason(reason)
    if part is not None and not statute.CURRENT.has_part(part):
        raise ValidationError(
            _("Choose one of the article's parts, or none when the article does not apply."), code="part"
        )
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        previous = locked.part_overrides.filter(is_active=True).first()
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active"])
        computed = assessment_current(locked)
        before = locked.legal_part
        override = PartOverride.objects.create(
            incident=locked, part=part, reason=reason, created_by=actor, assessment=computed
        )
        was_applicable = locked.legal_applicable
        _store_effective(incident, locked, computed)
        events.part_overridden(
            incident=locked,
            actor=actor,
            override_id=override.pk,
            part=part,
            previous_part=before,
            computed_part=computed.part if computed else None,
            reason=reason,
            replaced_id=previous.pk if previous else None,
        )
        if was_applicable != locked.legal_applicable:
            _reassess_later_reports_of_same_suspect(locked)
        return override
