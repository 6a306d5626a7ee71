"""The police side's state machine: each case action, the statuses it is allowed from, and what it says.

The one table of case actions. Services refuse an action outside its `allowed_from` (and check it again in
the locked UPDATE), the case page offers exactly the actions allowed in the case's status, in `offered_in`
order, and the view confirms a done action with its `done_message`. Each action's form
(`incidents.forms.cases`) names its action and calls its service; an import-time check there makes sure
every action here has exactly one form.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from incidents.models import Status

OPEN = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED, Status.REGISTERED})
WORKING = frozenset({Status.ACKNOWLEDGED, Status.REGISTERED})
# The time limits the facility's leads are told of: the post's own (acknowledge, register). The investigation's
# length follows the procedure, which a match with another case may change (part 3 to 4: one month to two), so
# the month a lead learnt of it in would tell her of the match (`legal.audiences`).
LEAD_WATCHED_STATUSES = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED})
# The reporter's one action on the state: withdrawing a report (to CANCELLED) before its ERDR registration. A
# registered case is a criminal case, which only the police can end (`incidents.services.reporting`).
WITHDRAWABLE = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED})


@dataclass(frozen=True)
class CaseAction:
    name: str
    allowed_from: frozenset[str]
    submit_label: Promise
    done_message: Promise
    # Statuses in which this is the next step: the page lists it first there.
    next_step_in: frozenset[str] = frozenset()


CASE_ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in (
        CaseAction(
            "acknowledge",
            frozenset({Status.SUBMITTED}),
            _("Acknowledge"),
            _("The case is acknowledged."),
            next_step_in=frozenset({Status.SUBMITTED}),
        ),
        CaseAction(
            "erdr",
            frozenset({Status.ACKNOWLEDGED}),
            _("Record the registration"),
            _("The ERDR registration is recorded."),
            next_step_in=frozenset({Status.ACKNOWLEDGED}),
        ),
        CaseAction("question", OPEN, _("Send the question"), _("The question is sent to the reporter.")),
        CaseAction(
            "forensic",
            WORKING,
            _("Record the forensic result"),
            _("The forensic result is recorded; the case is re-assessed."),
        ),
        CaseAction("suspect", WORKING, _("Record the suspect"), _("The suspect is recorded; the case is re-assessed.")),
        CaseAction("override", OPEN, _("Change the part"), _("The part is changed.")),
        CaseAction(
            "episode",
            OPEN,
            _("Link reports as one episode"),
            _("The link as one episode is saved; the case is re-assessed."),
        ),
        CaseAction("handover", OPEN, _("Hand over"), _("The case is handed over.")),
        # "Registered and under investigation" and "sent to court" need the ERDR registration: the service
        # narrows these statuses by outcome.
        CaseAction(
            "close",
            WORKING,
            _("Record the outcome"),
            _("The outcome is recorded."),
            next_step_in=frozenset({Status.REGISTERED}),
        ),
    )
}


def can_withdraw(status: str) -> bool:
    """Whether the reporter may still withdraw a report in `status`."""
    return status in WITHDRAWABLE


def allowed_from(action: str) -> frozenset[str]:
    return CASE_ACTIONS[action].allowed_from


def actions_offered(status: str) -> tuple[str, ...]:
    """The actions allowed in `status`, the next step first, then in the table's order."""
    allowed = [action for action in CASE_ACTIONS.values() if status in action.allowed_from]
    return tuple(action.name for action in sorted(allowed, key=lambda action: status not in action.next_step_in))
