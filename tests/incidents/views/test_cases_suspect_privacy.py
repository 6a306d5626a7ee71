"""What the police record about a suspect stays with the police: the reporting side sees its own words only."""

from django.urls import reverse

from incidents.models import Attacker, AttackerRelation
from incidents.services import cases

VALID_IIN = "900101300017"
OTHER_IIN = "850615400026"


def page(client, user, name, incident) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[incident.pk]), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def record_suspects(incident, officer):
    described = Attacker.objects.create(
        incident=incident, relation=AttackerRelation.RELATIVE, description="Высокий мужчина в синей куртке"
    )
    incident = cases.case_acknowledge(incident=incident, actor=officer, expected_version=incident.version)
    cases.case_suspect_identify(
        incident=incident,
        actor=officer,
        expected_version=incident.version,
        full_name="Петров Пётр Петрович",
        iin=VALID_IIN,
        attacker=described,
    )
    incident.refresh_from_db()
    cases.case_suspect_identify(
        incident=incident, actor=officer, expected_version=incident.version, full_name="Сидоров Иван", iin=OTHER_IIN
    )
    incident.refresh_from_db()
    return incident


def test_reporter_and_lead_do_not_see_what_the_police_recorded_about_suspects(
    client, incident, officer, reporter, facility_lead
):
    incident = record_suspects(incident, officer)
    for user in (reporter, facility_lead):
        html = page(client, user, "incidents:report_detail", incident)
        for secret in ("Петров", "Сидоров", VALID_IIN, OTHER_IIN, "IIN given", "IIN"):
            assert secret not in html, (user, secret)
        # The reporter's own description of the attacker is still there, once.
        assert html.count("Высокий мужчина в синей куртке") == 1
        summary = html.split('id="report-heading"', 1)[1]
        assert "Patient&#x27;s relative" in summary and summary.count("<li>Other") == 0


def test_officer_sees_the_suspects_names_and_iins(client, incident, officer):
    incident = record_suspects(incident, officer)
    html = page(client, officer, "incidents:case_detail", incident)
    for value in ("Петров Пётр Петрович", "Сидоров Иван", VALID_IIN, OTHER_IIN, "Высокий мужчина в синей куртке"):
        assert value in html


def test_reporter_still_sees_the_name_and_iin_she_gave_herself(client, incident, reporter):
    Attacker.objects.create(
        incident=incident, relation=AttackerRelation.PATIENT, full_name="Ахметов Ержан", iin=VALID_IIN
    )
    html = page(client, reporter, "incidents:report_detail", incident)
    assert "Ахметов Ержан" in html and "(IIN given)" in html and VALID_IIN not in html
