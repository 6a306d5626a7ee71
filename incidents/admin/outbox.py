"""The e-mail outbox (common's admin) with the case rule: an e-mail about a case (its notice, a question to the
reporter, an overdue warning) shows its recipients and error only to the officers of the case's post; the
others are hidden by common's admin as they are for every row it cannot place."""

from django.contrib import admin

from common.admin import OutgoingEmailAdmin
from common.models import OutgoingEmail
from incidents.admin.masking import CaseContentAdmin
from incidents.models import CaseMessage, Incident, IncidentEvent, Notice

# The outbox kinds that incidents' services queue, and the row each e-mail's `object_id` names.
CASE_EMAILS = {"notice": Notice, "case-question": CaseMessage, "case-overdue": IncidentEvent}


class CaseOutgoingEmailAdmin(CaseContentAdmin, OutgoingEmailAdmin):
    def case_of(self, obj: OutgoingEmail) -> Incident | None:
        model = CASE_EMAILS.get(obj.kind)
        row = model.objects.select_related("incident").filter(pk=obj.object_id).first() if model else None
        return row.incident if row is not None else None


admin.site.unregister(OutgoingEmail)
admin.site.register(OutgoingEmail, CaseOutgoingEmailAdmin)
