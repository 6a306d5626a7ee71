"""Assessing stored incidents: versions, repeat detection across facilities, overrides and their audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.models import Act, ForensicHarm, Incident, IncidentEvent, Injury, Outcome, Status, Victim
from incidents.selectors.tagging import assessment_current, assessment_history, override_active
from incidents.services.tagging import attacker_set_iin, incident_assess, part_override_set
from legal.facts import ALMATY
from legal.iin import iin_digest
from legal.models import LegalAssessment, PartOverride
from tests.factories import IncidentFactory
from tests.legal.factories import AttackerFactory, make_iin

pytestmark = pytest.mark.django_db

MAY = dt.datetime(2026, 5, 4, 10, 0, tzinfo=ALMATY)


def events(incident, kind):
    return list(IncidentEvent.objects.filter(incident=incident, kind=kind).order_by("pk"))


def violent(facility, **fields):
    fields.setdefault("occurred_at", MAY)
    fields.setdefault("injury", Injury.PAIN)
    return IncidentFactory(facility=facility, act=Act.VIOLENCE, **fields)


# --- Versions -----------------------------------------------------------------------------------------------


def test_first_assessment_tags_the_incident_and_writes_an_event(facility_a, reporter):
    incident = violent(facility_a, reporter=reporter)
    assessment = incident_assess(incident=incident, trigger="submitted", actor=reporter)
    assert (assessment.sequence, assessment.applicable, assessment.part) == (1, True, 3)
    assert assessment.provisional and assessment.created_by == reporter
    assert assessment.result["reasons"][0]["code"] == "in_force"
    assert assessment.facts["harm"] == "pain" and assessment.changed_facts == []
    assert (incident.legal_applicable, incident.legal_part) == (True, 3)
    incident.refresh_from_db()
    assert (incident.legal_applicable, incident.legal_part) == (True, 3)
    [event] = events(incident, IncidentEvent.Kind.TAGGED)
    assert event.data["part"] == 3 and event.data["sequence"] == 1 and event.actor == reporter


def test_no_new_version_when_nothing_changed(facility_a):
    incident = violent(facility_a)
    first = incident_assess(incident=incident, trigger="submitted")
    again = incident_assess(incident=incident, trigger="edited")
    assert again.pk == first.pk
    assert LegalAssessment.objects.filter(incident=incident).count() == 1
    assert len(events(incident, IncidentEvent.Kind.TAGGED)) == 1


def test_changed_facts_make_a_new_version_and_old_ones_are_kept(facility_a, officer):
    incident = violent(facility_a, injury=Injury.VISIBLE)
    incident_assess(incident=incident, trigger="submitted")
    Incident.objects.filter(pk=incident.pk).update(forensic_harm=ForensicHarm.MODERATE)
    second = incident_assess(incident=incident, trigger="forensic_result", actor=officer)
    assert (second.sequence, second.part, second.provisional) == (2, 5, False)
    assert second.changed_facts == ["forensic_recorded", "harm"]
    assert incident.legal_part == 5
    history = assessment_history(incident)
    assert [v.assessment.sequence for v in history] == [2, 1]
    assert history[0].part_changed and history[0].previous_part == 3
    assert list(LegalAssessment.objects.filter(incident=incident).values_list("part", flat=True)) == [5, 3]
    assert [e.data["part"] for e in events(incident, IncidentEvent.Kind.TAGGED)] == [3, 5]


def test_before_the_law_is_stored_as_not_applicable(facility_a):
    incident = violent(facility_a, occurred_at=dt.datetime(2026, 3, 6, 23, 30, tzinfo=ALMATY))
    assessment = incident_assess(incident=incident, trigger="submitted")
    assert assessment.applicable is False and assessment.part is None
    assert (incident.legal_applicable, incident.legal_part) == (False, None)


# --- Repeat detection -------------------------------------------------------------------------------------------


def test_repeat_is_found_in_an_earlier_report_of_another_facility(facility_a, facility_b):
    iin = make_iin()
    earlier = violent(facility_b, occurred_at=MAY - dt.timedelta(days=30))
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted")
    later = IncidentFactory(facility=facility_a, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=later, iin_value=f"{iin[:6]} {iin[6:]}")
    assessment = incident_assess(incident=later, trigger="submitted")
    assert assessment.part == 2 and assessment.result["aggravating"] == ["repeat"]
    assert assessment.facts["repeat_of"] == [earlier.reference]
    warning = " ".join(assessment.warnings_text)
    assert earlier.reference in warning and iin not in warning
    [found] = events(later, IncidentEvent.Kind.REPEAT_FOUND)
    assert found.data["references"] == [earlier.reference]
    assert iin not in str(found.data) and iin not in str(assessment.facts) and iin not in str(assessment.result)


def test_later_or_unrelated_or_inapplicable_reports_are_not_a_repeat(facility_a, facility_b):
    iin = make_iin()
    incident = IncidentFactory(facility=facility_a, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=incident, iin_value=iin)
    later = IncidentFactory(facility=facility_b, act=Act.THREAT, occurred_at=MAY + dt.timedelta(days=1))
    AttackerFactory(incident=later, iin_value=iin)
    Incident.objects.filter(pk=later.pk).update(legal_applicable=True, legal_part=1)
    other_person = IncidentFactory(facility=facility_b, act=Act.THREAT, occurred_at=MAY - dt.timedelta(days=5))
    AttackerFactory(incident=other_person, iin_value=make_iin(serial=500))
    incident_assess(incident=other_person, trigger="submitted")
    before_law = IncidentFactory(
        facility=facility_b, act=Act.THREAT, occurred_at=dt.datetime(2026, 1, 5, 10, 0, tzinfo=ALMATY)
    )
    AttackerFactory(incident=before_law, iin_value=iin)
    incident_assess(incident=before_law, trigger="submitted")
    assert incident_assess(incident=incident, trigger="submitted", cascade=False).part == 1


@pytest.mark.parametrize(
    "change", [{"status": Status.CANCELLED}, {"outcome": Outcome.NO_OFFENCE}, {"outcome": Outcome.REFUSED}]
)
def test_cancelled_or_no_offence_earlier_report_is_not_a_repeat(facility_a, facility_b, change):
    iin = make_iin()
    earlier = IncidentFactory(facility=facility_b, act=Act.THREAT, occurred_at=MAY - dt.timedelta(days=3))
    AttackerFactory(incident=earlier, iin_value=iin)
    incident_assess(incident=earlier, trigger="submitted")
    Incident.objects.filter(pk=earlier.pk).update(**change)
    later = IncidentFactory(facility=facility_a, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=later, iin_value=iin)
    assert incident_assess(incident=later, trigger="submitted").part == 1


def test_identifying_the_suspect_of_an_earlier_report_retags_the_later_one(facility_a, facility_b, officer):
    iin = make_iin()
    later = IncidentFactory(facility=facility_a, act=Act.THREAT, occurred_at=MAY)
    AttackerFactory(incident=later, iin_value=iin)
    assert incident_assess(incident=later, trigger="submitted").part == 1
    earlier = IncidentFactory(facility=facility_b, act=Act.THREAT, occurred_at=MAY - dt.timedelta(days=10))
    incident_assess(incident=earlier, trigger="submitted")
    attacker = AttackerFactory(incident=earlier, full_name="Иванов И.")
    attacker_set_iin(attacker=attacker, iin=iin)
    incident_assess(incident=earlier, trigger="suspect_identified", actor=officer)
    current = assessment_current(later)
    assert current.part == 2 and current.trigger == "earlier_case_changed"
    later.refresh_from_db()
    assert later.legal_part == 2


def test_attacker_set_iin_stores_the_digest_and_validates(facility_a):
    attacker = AttackerFactory(incident=IncidentFactory(facility=facility_a))
    iin = make_iin()
    attacker_set_iin(attacker=attacker, iin=f" {iin} ")
    attacker.refresh_from_db()
    assert attacker.iin == iin and attacker.iin_digest == iin_digest(iin)
    with pytest.raises(ValidationError):
        attacker_set_iin(attacker=attacker, iin="123")


# --- Overrides ------------------------------------------------------------------------------------------------------


def test_officer_of_the_post_overrides_beside_the_computed_tag(facility_a, officer):
    incident = violent(facility_a)
    computed = incident_assess(incident=incident, trigger="submitted")
    override = part_override_set(incident=incident, part=5, reason="Удушение по видеозаписи", actor=officer)
    assert override.is_active and override.assessment == computed and override.created_by == officer
    incident.refresh_from_db()
    assert (incident.legal_applicable, incident.legal_part) == (True, 5)
    assert assessment_current(incident).part == 3  # the computed tag is kept, not replaced
    assert override_active(incident).part == 5
    [event] = events(incident, IncidentEvent.Kind.PART_OVERRIDDEN)
    assert event.actor == officer
    assert event.data["part"] == 5 and event.data["previous_part"] == 3
    assert event.data["computed_part"] == 3 and event.data["reason"] == "Удушение по видеозаписи"

    # A new computation keeps the override in force.
    Incident.objects.filter(pk=incident.pk).update(forensic_harm=ForensicHarm.PAIN)
    incident_assess(incident=incident, trigger="forensic_result", actor=officer)
    incident.refresh_from_db()
    assert incident.legal_part == 5


def test_override_to_not_applicable_and_replacement(facility_a, administrator):
    incident = violent(facility_a)
    incident_assess(incident=incident, trigger="submitted")
    first = part_override_set(incident=incident, part=None, reason="Не при исполнении", actor=administrator)
    incident.refresh_from_db()
    assert (incident.legal_applicable, incident.legal_part) == (False, None)
    second = part_override_set(incident=incident, part=4, reason="Группа лиц", actor=administrator)
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert PartOverride.objects.filter(incident=incident, is_active=True).count() == 1
    incident.refresh_from_db()
    assert incident.legal_part == 4


@pytest.mark.parametrize("persona", ["other_officer", "reporter", "facility_lead", "analyst"])
def test_others_may_not_override(facility_a, persona, request):
    actor = request.getfixturevalue(persona)
    incident = violent(facility_a)
    incident_assess(incident=incident, trigger="submitted")
    with pytest.raises(PermissionDenied):
        part_override_set(incident=incident, part=5, reason="x", actor=actor)
    assert not events(incident, IncidentEvent.Kind.PART_OVERRIDDEN)
    part_override_set(incident=incident, part=5, reason="ok", actor=request.getfixturevalue("officer"))
    assert len(events(incident, IncidentEvent.Kind.PART_OVERRIDDEN)) == 1


@pytest.mark.parametrize(("part", "reason"), [(3, ""), (3, "   "), (0, "reason"), (7, "reason"), (True, "r")])
def test_override_needs_a_reason_and_a_valid_part(facility_a, officer, part, reason):
    incident = violent(facility_a)
    with pytest.raises(ValidationError):
        part_override_set(incident=incident, part=part, reason=reason, actor=officer)
    assert not PartOverride.objects.exists()


def test_victim_roles_from_the_report_decide_applicability(facility_a):
    incident = violent(facility_a, with_reporter_victim=False)
    Victim.objects.create(incident=incident, role="security", duty_link="performing")
    assessment = incident_assess(incident=incident, trigger="submitted")
    assert assessment.applicable is False and incident.legal_applicable is False
