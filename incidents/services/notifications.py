"""Case notifications outside Qorgau's pages (issue 17): the reporter hears of a question and of an outcome, the
post's officers of a new case and of an overdue one, by the channels each chose (notifications/services.py).

A notification is a sentence with the case's reference and a link to the page, nothing else: no name, no account
of what happened, since Telegram and the push services are hosted abroad. Each is keyed by the history event that
caused it, so an event notifies once, and it is queued inside the action's transaction, sent on commit.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import NOTIFICATION_CHANNELS, NotificationKind, User, notification_preferences_of
from incidents.models import Incident, IncidentEvent
from incidents.selectors.notices import case_url
from notifications.services import notification_queue

Kind = IncidentEvent.Kind

# The reporter's question e-mail (cases.case_question_email) is the e-mail of that notification: not a second one.
QUESTION_CHANNELS = tuple(name for name in NOTIFICATION_CHANNELS if name != "email")


def case_notify(*, event: IncidentEvent) -> None:
    """Queue the notification that this history event calls for, if any (inside the event's transaction)."""
    incident = event.incident
    with translation.override(settings.LANGUAGE_CODE):
        reference = incident.reference
        if event.kind == Kind.QUESTION_ASKED:
            text = _("Qorgau: the police asked you a question about report %(reference)s.") % {"reference": reference}
            _to_reporter(event, NotificationKind.QUESTION, text, channels=QUESTION_CHANNELS)
        elif event.kind in (Kind.OUTCOME_RECORDED, Kind.CLOSED):
            text = _("Qorgau: your report %(reference)s has an outcome.") % {"reference": reference}
            _to_reporter(event, NotificationKind.OUTCOME, text)
        elif event.kind in (Kind.SUBMITTED, Kind.HANDED_OVER):
            text = _("Qorgau: new case %(reference)s at your post.") % {"reference": reference}
            _to_officers(event, NotificationKind.NEW_CASE, text)
        elif event.kind == Kind.OVERDUE:
            text = _("Qorgau: case %(reference)s at your post is overdue.") % {"reference": reference}
            _to_officers(event, NotificationKind.OVERDUE, text)


def reporter_wants_email(*, incident: Incident, kind: str) -> bool:
    """Whether the reporter keeps the e-mail of this kind of notification (their settings page)."""
    return notification_preferences_of(incident.reporter).wants(kind, "email")


def _to_reporter(
    event: IncidentEvent, kind: str, text: str, *, channels: tuple[str, ...] = NOTIFICATION_CHANNELS
) -> None:
    incident = event.incident
    link = settings.SITE_URL + reverse("incidents:report_detail", args=[incident.pk])
    notification_queue(
        kind=kind, object_id=event.pk, users=[incident.reporter], text=text, link=link, channels=channels
    )


def _to_officers(event: IncidentEvent, kind: str, text: str) -> None:
    incident = event.incident
    notification_queue(kind=kind, object_id=event.pk, users=officers_of(incident), text=text, link=case_url(incident))


def officers_of(incident: Incident) -> QuerySet[User]:
    """The officers who work the case: its post's, or its district police department's when it has no post."""
    if incident.police_post_id:
        return User.objects.filter(post_assignments__post_id=incident.police_post_id, is_active=True)
    return User.objects.filter(
        department_assignments__police_department_id=incident.police_department_id, is_active=True
    )
