"""The case as a structured document for the police's own systems (ERDR registration, the KUI book).

Read through the selectors the case page uses, as the police audience reads it (`legal.audiences`): facts,
persons, the legal assessment, the evidence's hashes and the notices.
"""

from typing import Any

from django.utils import timezone

from incidents import access
from incidents.models import Incident
from incidents.selectors.cases import case_deadline, case_notices
from incidents.selectors.tagging import legal_shown
from legal.audiences import Audience


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def handoff_document(incident: Incident, *, show_reporter: bool) -> dict[str, Any]:
    shown = legal_shown(incident, Audience.POLICE)
    assessment = shown.assessment
    deadline = case_deadline(incident)
    return {
        "format": "qorgau.handoff/1",
        "generated_at": timezone.now().isoformat(),
        "case": {
            "reference": incident.reference,
            "version": incident.version,
            "status": incident.status,
            "submitted_at": _iso(incident.submitted_at),
            "police_post": incident.police_post.code if incident.police_post else None,
            "police_department": incident.police_department.code,
            "erdr_number": incident.erdr_number,
            "erdr_registered_on": _iso(incident.erdr_registered_on),
            "outcome": incident.outcome,
            "deadline": _iso(deadline.due) if deadline else None,
        },
        "facts": {
            "act": incident.act,
            "occurred_at": _iso(incident.occurred_at),
            "facility": incident.facility.code,
            "department": str(incident.department) if incident.department else None,
            "place": incident.place,
            "district": incident.district.code if incident.district else None,
            "address": incident.address,
            "account": incident.account,
            "injury": incident.injury,
            "sick_leave_days": incident.sick_leave_days,
            "weapon_used": incident.weapon_used,
            "choked": incident.choked,
            "attackers_count": incident.attackers_count,
            "attackers_agreed": incident.attackers_agreed,
            "circumstances": list(incident.circumstances),
            "witnesses": incident.witnesses,
            "wants_prosecution": incident.wants_prosecution,
            "footage_available": incident.footage_available,
            "forensic_harm": incident.forensic_harm,
        },
        "persons": {
            "victims": [
                {
                    "full_name": access.victim_name_shown(victim, show_reporter=show_reporter),
                    "is_reporter": victim.is_reporter,
                    "role": victim.role,
                    "duty_link": victim.duty_link,
                }
                for victim in incident.victims.all()
            ],
            "attackers": [
                {
                    "relation": attacker.relation,
                    "description": attacker.description,
                    "full_name": attacker.full_name,
                    "iin": attacker.iin,
                    "minor": attacker.minor,
                    "intoxicated": attacker.intoxicated,
                    "identified_by_police": attacker.identified_by_police,
                }
                for attacker in incident.attackers.all()
            ],
        },
        "legal_assessment": {
            "applicable": shown.applicable,
            "part": shown.part,
            "provisional": shown.provisional,
            "overridden": shown.override is not None,
            "procedure": assessment.outcome.procedure if assessment else None,
            "gravity": assessment.outcome.gravity if assessment else None,
            "aggravating": list(assessment.outcome.aggravating) if assessment else [],
            "rules_version": assessment.rules_version if assessment else "",
            "reasons": assessment.reasons_text if assessment else [],
            "warnings": assessment.warnings_text if assessment else [],
        },
        "evidence": [
            {
                "id": item.pk,
                "kind": item.kind,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "uploaded_at": _iso(item.uploaded_at),
            }
            for item in incident.evidence.all()
        ],
        "notices": [
            {
                "number": notice.number,
                "language": notice.language,
                "status": notice.status,
                "sha256": notice.sha256,
                "rendered_at": _iso(notice.rendered_at),
            }
            for notice in case_notices(incident)
        ],
    }
