"""How the police reach the people of a case: the reporter's and the victims' phones, or "only through Qorgau".

For the police side only (the case page of the officers of the case's post, and the notice sent to that
post): reporters and facility leads never see contacts. One home for the rule, so the page and the notice agree.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.phones import phone_display
from incidents.models import Incident, Victim

HOW_PHONE = _("By phone, or through Qorgau (a question on the case page).")
HOW_QORGAU_ONLY = _("Only through Qorgau: the reporter asked not to be called. Ask a question on the case page.")
HOW_NO_PHONE = _("No phone in the profile: through Qorgau (a question on the case page).")
HOW_VICTIM_PHONE = _("By phone (given by the reporter).")
HOW_VICTIM_NO_PHONE = _("No phone given: ask the reporter through Qorgau.")


@dataclass(frozen=True)
class Contact:
    name: str
    role: Promise  # "reporter" or "victim", read in the language where it is shown
    phone: str  # as +7 701 123 45 67, or ""
    phone_uri: str  # tel:+77011234567, or ""
    how: Promise
    is_reporter: bool = False
    hurt: bool = False  # the reporter is among the victims


def case_contacts(incident: Incident, *, victims: list[Victim] | None = None) -> list[Contact]:
    """The reporter first (with their choice), then every other victim (`victims`, when the caller has them)."""
    reporter = incident.reporter
    victims = list(incident.victims.all()) if victims is None else victims
    if reporter.contact_only_through_qorgau:
        phone, how = "", HOW_QORGAU_ONLY
    elif reporter.phone:
        phone, how = reporter.phone, HOW_PHONE
    else:
        phone, how = "", HOW_NO_PHONE
    contacts = [
        Contact(
            name=str(reporter),
            role=_("reporter"),
            phone=phone_display(phone),
            phone_uri=f"tel:{phone}" if phone else "",
            how=how,
            is_reporter=True,
            hurt=any(victim.is_reporter for victim in victims),
        )
    ]
    for victim in victims:
        if victim.is_reporter:
            continue
        contacts.append(
            Contact(
                name=victim.full_name or str(victim.get_role_display()),
                role=_("victim"),
                phone=phone_display(victim.phone),
                phone_uri=f"tel:{victim.phone}" if victim.phone else "",
                how=HOW_VICTIM_PHONE if victim.phone else HOW_VICTIM_NO_PHONE,
            )
        )
    return contacts
