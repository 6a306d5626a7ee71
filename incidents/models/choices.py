"""The choices of an incident's fields, in the reporter's plain words (the legal app reads them as facts)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Act(models.TextChoices):
    THREAT = "threat", _("threat")
    VIOLENCE = "violence", _("violence")


class Place(models.TextChoices):
    ADMISSION = "admission", _("admission / emergency department")
    WARD = "ward", _("ward")
    CORRIDOR = "corridor", _("corridor")
    AMBULANCE = "ambulance", _("ambulance")
    PATIENT_HOME = "patient_home", _("patient's home")
    STREET = "street", _("street")
    OTHER = "other", _("other")

    @classmethod
    def away_from_facility(cls) -> frozenset[str]:
        return frozenset({cls.PATIENT_HOME, cls.STREET})


class Injury(models.TextChoices):
    """What the reporter can tell without a forensic examination."""

    NONE = "none", _("no injury")
    PAIN = "pain", _("pain, no visible injury")
    VISIBLE = "visible", _("visible injury (bruise, cut)")
    TREATMENT = "treatment", _("needed medical treatment")
    HOSPITALISED = "hospitalised", _("hospitalised")


class ForensicHarm(models.TextChoices):
    """Degree of harm set by a forensic medical examination (the legal `harm` values)."""

    NONE = "none", _("no harm")
    PAIN = "pain", _("physical pain only")
    LIGHT = "light", _("light harm to health")
    MODERATE = "moderate", _("moderate harm to health")
    GRAVE = "grave", _("grave harm to health")
    DEATH = "death", _("death")


class ForwardMeans(models.TextChoices):
    """How a copy of an evidence file left the post: a link of its chain of custody."""

    IN_PERSON = "in_person", _("handed over in person on a storage medium")
    OFFICIAL_LETTER = "official_letter", _("sent with an official letter")
    POLICE_SYSTEM = "police_system", _("sent through the police information system")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("don't know")


class Circumstance(models.TextChoices):
    EMERGENCY_SITUATION = "emergency_situation", _("an emergency situation (disaster, major accident)")
    MASS_RIOTS = "mass_riots", _("mass riots")
    STATE_OF_EMERGENCY_AREA = "state_of_emergency_area", _("an area under a state of emergency")
    ANTI_TERROR_OPERATION_AREA = "anti_terror_operation_area", _("an anti-terrorist operation area")


class DutyLink(models.TextChoices):
    """How the act relates to the victim's work, asked in plain words."""

    PERFORMING = "performing", _("while I was working")
    IN_CONNECTION = "in_connection", _("because of my work, though not while working")
    REVENGE = "revenge", _("as revenge for earlier treatment or care")
    NONE = "none", _("not related to work")

    @classmethod
    def about_someone(cls) -> list[tuple[str, str]]:
        """The same choices said of another person: for colleagues named as victims, and for the police."""
        return [
            (cls.PERFORMING, _("while working")),
            (cls.IN_CONNECTION, _("because of their work, though not while working")),
            (cls.REVENGE, cls.REVENGE.label),
            (cls.NONE, cls.NONE.label),
        ]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACKNOWLEDGED = "acknowledged", _("acknowledged by the police")
    REGISTERED = "registered", _("registered in the ERDR")
    SENT_TO_COURT = "sent_to_court", _("sent to court")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class Procedure(models.TextChoices):
    """The form of pre-trial investigation (which parts take which: `legal.statute`)."""

    INQUIRY = "inquiry", _("inquiry")
    PRELIMINARY_INVESTIGATION = "preliminary_investigation", _("preliminary investigation")


class Outcome(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", _("registered and under investigation")
    SENT_TO_COURT = "sent_to_court", _("sent to court")
    REFUSED = "refused", _("refused to start proceedings")
    NO_OFFENCE = "no_offence", _("no offence found")


# A department of this kind with no name of its own adds nothing to the place.
PLACE_DEPARTMENT_KIND = {Place.ADMISSION: "emergency", Place.WARD: "ward"}


class AttackerRelation(models.TextChoices):
    PATIENT = "patient", _("patient")
    RELATIVE = "relative", _("patient's relative")
    VISITOR = "visitor", _("visitor")
    OTHER = "other", _("other")
