"""Cases with named victims and suspects, filed through the submit service (so their name keys are stored)."""

from incidents.models import AttackerRelation
from incidents.services.reporting import AttackerInput, VictimInput
from legal.iin import iin_check_digit
from tests.incidents.reporting_support import me, submit

SUSPECT_IIN = "900101300017"  # born 1 Jan 1990, check digit valid
OTHER_IIN = "850203400120"[:11] + str(iin_check_digit("85020340012"))


def named_case(reporter, facility, *, suspect="", iin="", victim="", victim_phone=""):
    """A report of `reporter` with a suspect (name, IIN) and another victim (name, phone), as given."""
    victims = [me(reporter)]
    if victim:
        victims.append(VictimInput(role="doctor", full_name=victim, phone=victim_phone))
    attackers = [AttackerInput(relation=AttackerRelation.PATIENT, full_name=suspect, iin=iin)]
    return submit(reporter, facility, victims=victims, attackers=attackers)
