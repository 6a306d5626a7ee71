"""The sentences of a legal assessment as data: a catalogue of codes and `Message(code, params)`.

No Django here: the rules build Messages and store them as codes plus parameters; `legal.messages` renders
them in the reader's language when shown, so an assessment stored today reads in Russian, Kazakh or English,
and a better translation improves old ones. The English templates below are msgids: `gettext_noop` only
marks them for `makemessages` (which looks for that name) and returns them unchanged.
Parameters whose name is in `LABELS` hold a code (a role, a harm…) and are translated too.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a msgid for `makemessages`; translation happens when a sentence is rendered."""
    return message


CATALOGUE: Mapping[str, str] = {
    # Reasons: time.
    "in_force": gettext_noop(
        "The act was committed on %(date)s (Almaty time), on or after %(in_force)s, when Article 380-3 came into force."
    ),
    "before_in_force": gettext_noop(
        "The act was committed on %(date)s (Almaty time), before Article 380-3 came into force on "
        "%(in_force)s; a law creating liability does not apply to earlier acts (CC art. 6)."
    ),
    # Reasons: victims.
    "victim_protected": gettext_noop(
        "The victim (%(role)s) is a person protected by Article 380-3, and the act was %(duty_link)s."
    ),
    "victim_not_protected": gettext_noop(
        "The victim (%(role)s) is not a medical worker or an ambulance driver within Article 380-3."
    ),
    "victim_no_duty_link": gettext_noop(
        "The act against the victim (%(role)s) was not linked to their official or professional duties."
    ),
    "no_victims": gettext_noop("No victim is recorded."),
    "trainee_not_protected": gettext_noop(
        "The victim (%(role)s) is not recorded as holding a medical qualification and doing medical work, so "
        "they are not a medical worker within Article 380-3."
    ),
    "no_protected_victim": gettext_noop(
        "No medical worker or ambulance driver was targeted in connection with their duties, so Article 380-3 "
        "does not apply."
    ),
    # Reasons: the act.
    "act_threat": gettext_noop("A threat of violence falls under part 1 of Article 380-3, or part 2 when aggravated."),
    "violence_not_dangerous": gettext_noop(
        "The violence caused at most physical pain, by no dangerous method: violence not dangerous to life or "
        "health, part 3, or part 4 when aggravated."
    ),
    "violence_dangerous_harm": gettext_noop(
        "The violence caused %(harm)s: violence dangerous to life or health, part 5, or part 6 when aggravated."
    ),
    "violence_dangerous_method": gettext_noop(
        "The method used (strangulation, a weapon, a blow with an object) endangered life or health: violence "
        "dangerous to life or health, part 5, or part 6 when aggravated."
    ),
    # Reasons: aggravating features (one per feature found).
    "feature_two_or_more_victims": gettext_noop(
        "The act was committed against two or more protected persons (%(count)s): aggravating feature 1."
    ),
    "feature_group": gettext_noop(
        "The act was committed by a group of persons (%(count)s people): aggravating feature 2."
    ),
    "feature_group_prior_agreement": gettext_noop(
        "The act was committed by a group of persons by prior agreement (%(count)s people): aggravating feature 2."
    ),
    "feature_repeat": gettext_noop("The act was committed repeatedly (CC art. 12): aggravating feature 3."),
    "feature_emergency_situation": gettext_noop(
        "The act was committed in an emergency situation: aggravating feature 4."
    ),
    "feature_mass_riots": gettext_noop("The act was committed during mass riots: aggravating feature 4."),
    "feature_state_of_emergency_area": gettext_noop(
        "The act was committed in an area where a state of emergency was declared: aggravating feature 5."
    ),
    "feature_anti_terror_operation_area": gettext_noop(
        "The act was committed in the area of an anti-terrorist operation: aggravating feature 5."
    ),
    "perpetrators_not_counted": gettext_noop(
        "%(not_counted)s of the %(count)s attackers were under %(age)s or recorded as not of sound mind: they do "
        "not count towards a group of persons (CC art. 31), and whoever used such a person acts as the sole "
        "executor (CC art. 28 part 2)."
    ),
    "repeat_same_episode": gettext_noop(
        "The earlier report %(reference)s is linked to this one as a single continuing episode, so it is not an "
        "earlier act (CC art. 12 part 3)."
    ),
    "repeat_before_16": gettext_noop(
        "The earlier report %(reference)s concerns an act committed before the suspect turned %(age)s, so it "
        "does not count towards a repeat (CC art. 15 part 1, art. 12)."
    ),
    "general_articles_earlier_code": gettext_noop(
        "The act was committed before the Criminal Code of 2014 came into force on %(in_force)s: the general "
        "articles of the Code of 1997 apply, and their numbers differ; none is suggested."
    ),
    "aggravated": gettext_noop("With an aggravating feature, part %(base)s becomes part %(part)s."),
    # Reasons: consequences.
    "gravity": gettext_noop(
        "Part %(part)s carries up to %(years)s years of imprisonment, so its gravity category is: %(gravity)s "
        "(CC art. 11)."
    ),
    "procedure_inquiry": gettext_noop("Parts 1 to 3 are investigated by inquiry (CPC art. 191 part 2)."),
    "procedure_investigation": gettext_noop(
        "Parts 4 to 6 are investigated by preliminary investigation (CPC art. 187 part 2)."
    ),
    "procedure_suspect_unknown": gettext_noop(
        "The suspect is not identified, so preliminary investigation is required instead of inquiry (CPC art. "
        "189 part 3)."
    ),
    "procedure_suspect_minor": gettext_noop(
        "The suspect is a minor, so preliminary investigation is required instead of inquiry (CPC art. 189 part 3)."
    ),
    "fine": gettext_noop(
        "The fine of %(min_mci)s to %(max_mci)s MCI is %(min_kzt)s to %(max_kzt)s tenge at the %(year)s MCI of "
        "%(mci)s tenge (CC art. 41)."
    ),
    # Warnings.
    "provisional_no_forensic": gettext_noop(
        "Provisional: the degree of harm is taken from the report; a forensic medical examination sets it. "
        "Recheck when its result is recorded."
    ),
    "mci_unknown": gettext_noop(
        "The MCI for %(year)s is not known to these rules, so the fine in tenge is not computed."
    ),
    "doubtful_role": gettext_noop(
        "Check the victim's status (%(role)s): only a person with professional medical education who performs "
        "medical activity is a medical worker. This victim is not counted as protected."
    ),
    "threat_with_harm": gettext_noop(
        "Harm or a dangerous method is recorded for a threat: if violence was used, record the act as violence."
    ),
    "threat_with_weapon": gettext_noop(
        "A weapon or a dangerous method is recorded for a threat. Showing a weapon is the threat itself (part 1, "
        "or part 2 when aggravated); record the act as violence only if force was applied to the person."
    ),
    "duty_link_not_recorded": gettext_noop(
        "The link of the act to the victim's (%(role)s) duties was not recorded; it is assessed as in the "
        "performance of their duties. The link is an element of the offence: record it."
    ),
    "trainee_confirm": gettext_noop(
        "The victim (%(role)s) is counted as a medical worker because they are recorded as holding a medical "
        "qualification and doing medical work: confirm both."
    ),
    "suspect_under_16": gettext_noop(
        "The suspect is recorded as under %(age)s: liability under Article 380-3 starts at %(age)s (CC art. 15 "
        "part 1; the article is not among those answerable from 14 in part 2), so they are not a subject of this "
        "article. Confirm the age."
    ),
    "minor_check_age": gettext_noop(
        "The suspect is a minor: check their age on the day of the act. Under %(age)s they are not a subject of "
        "Article 380-3 (CC art. 15 part 1)."
    ),
    "minor_fine": gettext_noop(
        "A minor's fine is %(min_mci)s to %(max_mci)s MCI (%(min_kzt)s to %(max_kzt)s tenge), and only when they "
        "have their own earnings or property (CC art. 81)."
    ),
    "minor_fine_mci": gettext_noop(
        "A minor's fine is %(min_mci)s to %(max_mci)s MCI, and only when they have their own earnings or "
        "property (CC art. 81)."
    ),
    "minor_no_imprisonment": gettext_noop(
        "Part %(part)s is a crime of %(gravity)s gravity: a minor is not sentenced to imprisonment for it (CC art. 81)."
    ),
    "episode_proposed": gettext_noop(
        "The earlier report %(reference)s was made at the same facility less than %(hours)s hours before. If it "
        "is the same suspect, the same victims and one shift under one intent, it is one continuing episode, not "
        "a repeat (CC art. 12 part 3): link the reports."
    ),
    "agreement_without_group": gettext_noop(
        "A prior agreement is recorded, but a group needs two or more perpetrators."
    ),
    "repeat_unconfirmed": gettext_noop(
        "An earlier Article 380-3 report names the same suspect (%(references)s). Confirm that the suspect "
        "was neither convicted of nor released from criminal liability for the earlier act (CC art. 12 part 2) "
        'before relying on "repeatedly".'
    ),
    # Notes: shown to an audience beside every assessment it reads (`legal.audiences.notes_for`).
    "police_assess_earlier_offences": gettext_noop(
        "The police also check what a report cannot show, such as earlier offences of the same person, and may "
        "change the part."
    ),
    # Also consider.
    "cc_115": gettext_noop(
        "CC art. 115 (threat of murder or grave harm to health), when there were real grounds to fear it; "
        "a suggestion to confirm."
    ),
    "cc_293": gettext_noop("CC art. 293 part %(part)s (hooliganism); a suggestion to confirm."),
    "cc_107": gettext_noop("CC art. 107 part %(part)s (intentional moderate harm to health); a suggestion to confirm."),
    "cc_106": gettext_noop("CC art. 106 part %(part)s (intentional grave harm to health); a suggestion to confirm."),
    "cc_99": gettext_noop("CC art. 99 (murder); a suggestion to confirm."),
}

# Labels of codes used as parameters. The msgids repeat those of the models' choices on purpose.
LABELS: Mapping[str, Mapping[str, str]] = {
    "role": {
        "doctor": gettext_noop("doctor"),
        "resident": gettext_noop("resident doctor"),
        "nurse": gettext_noop("nurse"),
        "feldsher": gettext_noop("feldsher"),
        "midwife": gettext_noop("midwife"),
        "paramedic": gettext_noop("paramedic"),
        "ambulance_driver": gettext_noop("ambulance driver"),
        "pharmacist": gettext_noop("pharmacist"),
        "orderly": gettext_noop("orderly"),
        "registrar": gettext_noop("registrar"),
        "security": gettext_noop("security guard"),
        "other_staff": gettext_noop("other staff"),
        "intern": gettext_noop("intern"),
        "medical_student": gettext_noop("medical student"),
        "volunteer": gettext_noop("volunteer"),
    },
    "duty_link": {
        "performing": gettext_noop("in the performance of their duties"),
        "in_connection": gettext_noop("in connection with the performance of their duties"),
        "revenge": gettext_noop("out of revenge for the performance of their duties"),
        "none": gettext_noop("not related to their duties"),
    },
    "harm": {
        "none": gettext_noop("no harm"),
        "pain": gettext_noop("physical pain only"),
        "light": gettext_noop("light harm to health"),
        "moderate": gettext_noop("moderate harm to health"),
        "grave": gettext_noop("grave harm to health"),
        "death": gettext_noop("death"),
    },
    "gravity": {
        "small": gettext_noop("small"),
        "medium": gettext_noop("medium"),
        "grave": gettext_noop("grave"),
        "especially_grave": gettext_noop("especially grave"),
    },
    "procedure": {
        "inquiry": gettext_noop("inquiry"),
        "preliminary_investigation": gettext_noop("preliminary investigation"),
    },
    "fact": {
        "occurred_at": gettext_noop("when it happened"),
        "act": gettext_noop("what happened"),
        "harm": gettext_noop("degree of harm"),
        "dangerous_method": gettext_noop("dangerous method"),
        "victims": gettext_noop("victims"),
        "perpetrators": gettext_noop("number of attackers"),
        "prior_agreement": gettext_noop("prior agreement"),
        "repeat": gettext_noop("repeatedly"),
        "circumstances": gettext_noop("circumstances"),
        "suspect_identified": gettext_noop("suspect identified"),
        "suspect_minor": gettext_noop("suspect under 18"),
        "forensic_recorded": gettext_noop("forensic result recorded"),
        "repeat_of": gettext_noop("earlier reports of the same suspect"),
        "weapon": gettext_noop("weapon used or shown"),
        "suspect_under_16": gettext_noop("suspect under 16"),
        "perpetrators_not_counted": gettext_noop("attackers not counted towards a group"),
        "earlier_acts": gettext_noop("dates of earlier reports of the same suspect"),
        "episode_of": gettext_noop("reports linked as one episode"),
        "rules": gettext_noop("rules version"),
    },
    # Why an assessment was made (the `trigger` of incident_assess); other values are shown as given.
    "trigger": {
        "submitted": gettext_noop("report submitted"),
        "edited": gettext_noop("report edited"),
        "info_added": gettext_noop("information added by the reporter"),
        "forensic_result": gettext_noop("forensic result recorded"),
        "suspect_identified": gettext_noop("suspect identified"),
        "repeat_found": gettext_noop("possible repeat found"),
        "earlier_case_changed": gettext_noop("an earlier report of the same suspect changed"),
        "episode_linked": gettext_noop("reports linked as one episode"),
        "episode_unlinked": gettext_noop("link as one episode removed"),
        "manual": gettext_noop("recomputed by hand"),
    },
    "feature": {
        "two_or_more_victims": gettext_noop("two or more persons"),
        "group": gettext_noop("a group of persons"),
        "group_prior_agreement": gettext_noop("a group of persons by prior agreement"),
        "repeat": gettext_noop("repeatedly"),
        "emergency_situation": gettext_noop("in an emergency situation"),
        "mass_riots": gettext_noop("during mass riots"),
        "state_of_emergency_area": gettext_noop("in a state of emergency area"),
        "anti_terror_operation_area": gettext_noop("in an anti-terrorist operation area"),
    },
}


@dataclass(frozen=True)
class Message:
    """A sentence of an assessment: a catalogue code and its parameters (JSON-serialisable values)."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Any) -> "Message":
        if code not in CATALOGUE:
            raise KeyError(f"unknown message code {code!r}")
        frozen = {key: tuple(value) if isinstance(value, list) else value for key, value in params.items()}
        return cls(code=code, params=tuple(sorted(frozen.items())))

    @property
    def params_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in self.params}

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params_dict}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Message":
        params = data.get("params") or {}
        if data["code"] in CATALOGUE:
            return cls.of(data["code"], **params)
        # A code from another rules revision: kept, and rendered as the code itself.
        return cls(
            code=data["code"],
            params=tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())),
        )
