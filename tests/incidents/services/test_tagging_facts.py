"""From an incident's lay answers to legal facts."""

import datetime as dt

import pytest

from incidents.models import Act, DutyLink, ForensicHarm, Injury, Victim, YesNoUnknown
from incidents.services.tagging import facts_from_incident, harm_from_report
from legal.facts import ALMATY
from tests.factories import IncidentFactory
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 5, 4, 23, 30, tzinfo=ALMATY)


def incident(**fields):
    fields.setdefault("occurred_at", WHEN)
    return IncidentFactory(**fields)


@pytest.mark.parametrize(
    ("injury", "sick_days", "harm"),
    [
        (Injury.NONE, None, "none"),
        (Injury.PAIN, None, "pain"),
        (Injury.VISIBLE, None, "pain"),  # a bruise alone is no harm to health in forensic practice
        (Injury.VISIBLE, 5, "light"),  # a health disorder (sick leave) is light harm
        (Injury.TREATMENT, None, "light"),
        (Injury.HOSPITALISED, 10, "light"),
        (Injury.HOSPITALISED, 22, "moderate"),
        (Injury.NONE, 30, "none"),  # sick leave without any injury says nothing about harm
    ],
)
def test_injury_reads_as_provisional_harm(injury, sick_days, harm):
    item = incident(act=Act.VIOLENCE, injury=injury, sick_leave_days=sick_days)
    assert harm_from_report(item) == harm
    facts = facts_from_incident(item)
    assert facts.harm == harm and facts.forensic_recorded is False


def test_forensic_result_overrides_the_report_and_is_recorded():
    item = incident(act=Act.VIOLENCE, injury=Injury.HOSPITALISED, sick_leave_days=40, forensic_harm=ForensicHarm.PAIN)
    facts = facts_from_incident(item)
    assert facts.harm == "pain" and facts.forensic_recorded is True


def test_weapon_or_choking_is_a_dangerous_method():
    assert facts_from_incident(incident(act=Act.VIOLENCE)).dangerous_method is False
    assert facts_from_incident(incident(act=Act.VIOLENCE, weapon_used=True)).dangerous_method is True
    assert facts_from_incident(incident(act=Act.VIOLENCE, choked=True)).dangerous_method is True


def test_victims_attackers_and_circumstances_are_mapped():
    item = incident(
        act=Act.THREAT,
        attackers_count=2,
        attackers_agreed=YesNoUnknown.YES,
        circumstances=["mass_riots", "not-a-circumstance"],
    )
    Victim.objects.create(incident=item, role="ambulance_driver", duty_link=DutyLink.REVENGE)
    AttackerFactory(incident=item, full_name="", minor=YesNoUnknown.UNKNOWN)
    AttackerFactory(incident=item, full_name="", minor=YesNoUnknown.YES)
    facts = facts_from_incident(item)
    assert [(v.role, v.duty_link) for v in facts.victims] == [("nurse", "performing"), ("ambulance_driver", "revenge")]
    assert facts.perpetrators == 2 and facts.prior_agreement is True
    assert facts.circumstances == ("mass_riots",)
    assert facts.suspect_identified is False and facts.suspect_minor is True
    assert facts.occurred_at == WHEN and facts.local_date == dt.date(2026, 5, 4)


def test_more_attacker_rows_than_the_count_means_more_perpetrators():
    item = incident(attackers_count=1, attackers_agreed=YesNoUnknown.UNKNOWN)
    AttackerFactory(incident=item)
    AttackerFactory(incident=item)
    AttackerFactory(incident=item)
    facts = facts_from_incident(item)
    assert facts.perpetrators == 3 and facts.prior_agreement is False


def test_suspect_is_identified_by_name_iin_or_police():
    item = incident()
    assert facts_from_incident(item).suspect_identified is False  # nobody described at all
    attacker = AttackerFactory(incident=item)
    assert facts_from_incident(item).suspect_identified is False
    attacker.full_name = "Иванов Иван"
    attacker.save()
    assert facts_from_incident(item).suspect_identified is True

    other = incident()
    AttackerFactory(incident=other, iin_value=make_iin())
    assert facts_from_incident(other).suspect_identified is True
    third = incident()
    AttackerFactory(incident=third, identified_by_police=True)
    assert facts_from_incident(third).suspect_identified is True
