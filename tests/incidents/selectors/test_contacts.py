"""How the police reach the people of a case (`incidents/selectors/contacts.py`): the reporter's phone or their
choice of "only through Qorgau", and the other victims' phones as the reporter gave them."""

from django.utils import translation

from incidents.selectors.contacts import HOW_NO_PHONE, HOW_PHONE, HOW_QORGAU_ONLY, case_contacts
from tests.incidents.search_support import named_case


def test_the_reporter_with_a_phone_is_reached_by_phone(reporter, facility_a):
    reporter.phone = "+77011234567"
    reporter.save()
    case = named_case(reporter, facility_a, victim="Иванова Алия", victim_phone="+77027654321")
    first, victim = case_contacts(case)
    assert (first.name, first.phone, first.phone_uri, first.how) == (
        str(reporter),
        "+7 701 123 45 67",
        "tel:+77011234567",
        HOW_PHONE,
    )
    assert first.is_reporter and first.hurt
    assert (victim.name, victim.phone, victim.is_reporter) == ("Иванова Алия", "+7 702 765 43 21", False)


def test_a_reporter_who_chose_qorgau_only_has_no_phone_shown(reporter, facility_a):
    reporter.phone = "+77011234567"
    reporter.contact_only_through_qorgau = True
    reporter.save()
    first = case_contacts(named_case(reporter, facility_a))[0]
    assert (first.phone, first.phone_uri, first.how) == ("", "", HOW_QORGAU_ONLY)


def test_a_reporter_without_a_phone_is_reached_through_qorgau(reporter, facility_a):
    first, victim = case_contacts(named_case(reporter, facility_a, victim="Иванова Алия"))
    assert (first.phone, first.how) == ("", HOW_NO_PHONE)
    with translation.override("ru"):
        assert "Qorgau" in str(victim.how) and str(victim.how) != str(HOW_NO_PHONE)
