"""From a report's lay answers to the legal facts the rules assess.

The nurse answers in plain words ("visible injury", "they choked me"); this module says what those answers
mean in law, conservatively, and marks the result provisional until the police record a forensic result.
"""

from django.db.models import QuerySet

from incidents.models import Attacker, ForensicHarm, Incident, Injury, Outcome, Status, YesNoUnknown
from legal import statute
from legal.rules import Facts, Victim

# The reporter's account of injuries, read as a provisional degree of harm. Superficial injuries (bruises,
# abrasions) are "no harm to health" in forensic practice unless they cause a short-term health disorder;
# needing treatment or a hospital stay points to at least light harm. Sick leave measures the disorder:
# up to 21 days is light harm, longer is moderate (forensic criteria [L]). The forensic result overrides all.
INJURY_TO_HARM = {
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
        return incident.forensic_harm
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


def facts_from_incident(incident: Incident) -> Facts:
    """The legal facts of a stored incident (its victims, attackers and police findings included)."""
    attackers: list[Attacker] = list(incident.attackers.all())
    victims = tuple(
        Victim(role=victim.role if victim.role in statute.ROLES else "other_staff", duty_link=victim.duty_link)
        for victim in incident.victims.all()
    )
    digests = {a.iin_digest for a in attackers if a.iin_digest}
    earlier = list(earlier_incidents_of_same_suspect(incident, digests).values_list("reference", flat=True))
    known_circumstances = [c for c in (incident.circumstances or []) if c in statute.CIRCUMSTANCES]
    return Facts(
        occurred_at=incident.occurred_at,
        act=incident.act,
        harm=harm_from_report(incident),
        dangerous_method=bool(incident.weapon_used or incident.choked),
        victims=victims,
        perpetrators=max(1, incident.attackers_count or 1, len(attackers)),
        prior_agreement=incident.attackers_agreed == YesNoUnknown.YES,
        repeat=bool(earlier),
        circumstances=tuple(known_circumstances),
        suspect_identified=any(a.is_identified for a in attackers),
        suspect_minor=any(a.minor == YesNoUnknown.YES for a in attackers),
        forensic_recorded=bool(incident.forensic_harm) and incident.forensic_harm in ForensicHarm.values,
        repeat_of=tuple(earlier),
    )
