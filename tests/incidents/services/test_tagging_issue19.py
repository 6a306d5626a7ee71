"""Issue 19 in the app: the attacker's age band and state of mind, trainees, earlier acts and one episode."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents import events
from incidents.models import Act, EpisodeLink, IncidentEvent, Injury, Victim, YesNoUnknown
from incidents.services.tagging import (
    age_on,
    episode_link_clear,
    episode_link_set,
    facts_from_incident,
    incident_assess,
)
from legal.audiences import Audience
from legal.facts import ALMATY
from tests.factories import IncidentFactory
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db

MAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=ALMATY)


def threat(facility, **fields):
    fields.setdefault("occurred_at", MAY)
    return IncidentFactory(facility=facility, act=Act.THREAT, **fields)


def codes(messages):
    return sorted(m.code for m in messages)


def test_age_on_counts_full_years_reached_after_the_birthday():
    assert age_on(dt.date(2010, 5, 4), dt.date(2026, 5, 4)) == 15
    assert age_on(dt.date(2010, 5, 4), dt.date(2026, 5, 5)) == 16
    assert age_on(dt.date(2010, 5, 3), dt.date(2026, 5, 4)) == 16


def test_attacker_appearing_under_16_is_a_minor_under_16_and_not_counted_in_a_group(facility_a):
    item = threat(facility_a, attackers_count=2)
    AttackerFactory(incident=item, minor=YesNoUnknown.YES, under_16=YesNoUnknown.YES)
    AttackerFactory(incident=item, minor=YesNoUnknown.NO)
    facts = facts_from_incident(item)
    assert facts.suspect_under_16 is True and facts.suspect_minor is True
    assert facts.perpetrators == 2 and facts.perpetrators_not_counted == 1
    assessment = incident_assess(incident=item, trigger="submitted")
    # Two attackers, one under 16: no group, so part 1, not 2 (CC 31).
    assert assessment.part == 1 and assessment.result["aggravating"] == []
    assert "suspect_under_16" in codes(assessment.outcome.warnings)


def test_attacker_not_of_sound_mind_is_not_counted_in_a_group(facility_a):
    item = threat(facility_a, attackers_count=2)
    AttackerFactory(incident=item, not_of_sound_mind=True)
    AttackerFactory(incident=item)
    facts = facts_from_incident(item)
    assert facts.perpetrators_not_counted == 1 and facts.suspect_under_16 is False


def test_date_of_birth_or_the_answer_makes_a_minor(facility_a):
    item = threat(facility_a)
    # Born 5 May 2010: 15 on 4 May 2026, although the reporter said "not under 18".
    AttackerFactory(incident=item, minor=YesNoUnknown.NO, under_16=YesNoUnknown.NO, birth_date=dt.date(2010, 5, 5))
    facts = facts_from_incident(item)
    assert facts.suspect_minor is True and facts.suspect_under_16 is True
    # The IIN's date of birth wins over the recorded one: born 1 January 1990, an adult.
    other = threat(facility_a)
    AttackerFactory(incident=other, iin_value=make_iin("900101", "3"), birth_date=dt.date(2010, 5, 5))
    assert facts_from_incident(other).suspect_minor is False


def test_trainee_victim_flags_reach_the_facts(facility_a):
    item = threat(facility_a)
    item.victims.all().delete()
    Victim.objects.create(incident=item, role="intern", medical_qualification=True, medical_work=True)
    assessment = incident_assess(incident=item, trigger="submitted")
    assert assessment.applicable and assessment.part == 1
    assert codes(assessment.outcome.warnings) == ["trainee_confirm"]
    Victim.objects.filter(incident=item).update(medical_work=False)
    assert incident_assess(incident=item, trigger="edited").applicable is False


def test_earlier_act_before_the_suspect_turned_16_is_not_a_repeat(facility_a, facility_b):
    # Born 1 June 2010 (in the IIN): 16 on 1 June 2026. The earlier act of 1 March 2026 was at 15.
    iin = make_iin("100601", "5")
    earlier = IncidentFactory(
        facility=facility_b, act=Act.VIOLENCE, injury=Injury.PAIN, occurred_at=dt.datetime(2026, 3, 10, tzinfo=ALMATY)
    )
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted")
    later = threat(facility_a, occurred_at=dt.datetime(2026, 7, 1, 10, 0, tzinfo=ALMATY))
    AttackerFactory(incident=later, iin_value=iin)
    assessment = incident_assess(incident=later, trigger="submitted")
    assert assessment.facts["repeat_of"] == [earlier.reference]
    assert assessment.facts["earlier_acts"][0]["suspect_birth_date"] == "2010-06-01"
    assert assessment.part == 1 and assessment.result["aggravating"] == []
    assert "repeat_before_16" in codes(assessment.outcome.reasons)


def repeat_pair(facility_a, facility_b=None, hours=5, serial=1):
    iin = make_iin(serial=serial)
    earlier = IncidentFactory(
        facility=facility_b or facility_a,
        act=Act.VIOLENCE,
        injury=Injury.PAIN,
        occurred_at=MAY - dt.timedelta(hours=hours),
    )
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted")
    later = threat(facility_a)
    AttackerFactory(incident=later, iin_value=iin)
    return earlier, later


def test_iin_match_at_the_same_facility_within_a_day_proposes_a_link(facility_a, facility_b):
    earlier, later = repeat_pair(facility_a)
    assessment = incident_assess(incident=later, trigger="submitted")
    assert assessment.part == 2 and "episode_proposed" in codes(assessment.outcome.warnings)
    # The reporting side reads neither the repeat nor the proposal (issue 10).
    reporting = assessment.shown_to(Audience.REPORTING)
    assert reporting.part == 1 and "episode_proposed" not in codes(reporting.outcome.warnings)
    # Another facility: no proposal.
    _, other = repeat_pair(facility_a, facility_b, serial=500)
    assert "episode_proposed" not in codes(incident_assess(incident=other, trigger="submitted").outcome.warnings)


def test_officer_links_one_episode_and_the_link_removes_the_repeat(facility_a, officer):
    earlier, later = repeat_pair(facility_a)
    incident_assess(incident=later, trigger="submitted")
    episode_link_set(incident=later, earlier_reference=earlier.reference, actor=officer)
    later.refresh_from_db()
    assert later.legal_part == 1
    current = later.assessments.order_by("-sequence").first()
    assert current.trigger == "episode_linked" and current.facts["episode_of"] == [earlier.reference]
    assert "repeat_same_episode" in codes(current.outcome.reasons)
    [linked] = IncidentEvent.objects.filter(incident=later, kind=IncidentEvent.Kind.EPISODE_LINKED)
    assert linked.data == {"earlier": earlier.reference} and linked.visible_to_reporter is False
    assert events.describe(linked) == f"earlier report {earlier.reference}"
    episode_link_clear(incident=later, earlier_reference=earlier.reference, actor=officer)
    later.refresh_from_db()
    assert later.legal_part == 2 and not EpisodeLink.objects.exists()
    assert IncidentEvent.objects.filter(incident=later, kind=IncidentEvent.Kind.EPISODE_UNLINKED).count() == 1


@pytest.mark.parametrize("persona", ["other_officer", "reporter", "facility_lead"])
def test_only_an_officer_of_the_post_links_episodes(facility_a, persona, request):
    earlier, later = repeat_pair(facility_a)
    incident_assess(incident=later, trigger="submitted")
    with pytest.raises(PermissionDenied):
        episode_link_set(incident=later, earlier_reference=earlier.reference, actor=request.getfixturevalue(persona))
    assert not EpisodeLink.objects.exists()


def test_only_a_matched_earlier_report_can_be_linked(facility_a, officer):
    _, later = repeat_pair(facility_a)
    unrelated = threat(facility_a, occurred_at=MAY - dt.timedelta(hours=2))
    with pytest.raises(ValidationError):
        episode_link_set(incident=later, earlier_reference=unrelated.reference, actor=officer)
