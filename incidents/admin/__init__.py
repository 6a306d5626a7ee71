"""Admin of the cases: everything a case holds is read-only here (it changes through services only) and masked
unless the user also works the case's post as an officer (`masking.py`); each opening of a case's page is
recorded in its history. Legal assessments and the outbox are shown here too, as that rule lives in this app."""

from incidents.admin import cases, legal, outbox
from incidents.admin.masking import MASKED, CaseContentAdmin, CaseContentInline, CaseContentMixin

__all__ = ["MASKED", "CaseContentAdmin", "CaseContentInline", "CaseContentMixin", "cases", "legal", "outbox"]
