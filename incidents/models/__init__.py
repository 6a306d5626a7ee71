"""Incidents reported by medical staff and worked by police posts.

Django finds an app's models in `incidents.models`, so this package gathers them from its modules, split by
what they hold: `choices` (the fields' choices), `incident` (the incident, its people and evidence),
`history` (the case history and messages), `drafts`, `notices`, `casefiles`
(the whole case file as one PDF), `compensation` (a victim's compensation and support), `search` (the search audit log).
"""

from incidents.models.casefiles import CaseFile, casefile_upload_to
from incidents.models.choices import (
    PLACE_DEPARTMENT_KIND,
    Act,
    AttackerRelation,
    Circumstance,
    DutyLink,
    ForensicHarm,
    ForwardMeans,
    Injury,
    Outcome,
    Place,
    Procedure,
    Status,
    YesNoUnknown,
)
from incidents.models.compensation import ClaimStatus, Disability, VictimCompensation
from incidents.models.drafts import DraftUpload, ReportDraft, draft_upload_to
from incidents.models.history import CaseMessage, IncidentEvent
from incidents.models.incident import (
    EARLIEST_RECORD_DATE,
    Attacker,
    EpisodeLink,
    Evidence,
    Incident,
    ReferenceCounter,
    Victim,
    evidence_upload_to,
)
from incidents.models.notices import Notice, notice_upload_to
from incidents.models.search import CaseSearch

__all__ = [
    "EpisodeLink",
    "EARLIEST_RECORD_DATE",
    "PLACE_DEPARTMENT_KIND",
    "Act",
    "Attacker",
    "AttackerRelation",
    "CaseFile",
    "CaseMessage",
    "CaseSearch",
    "Circumstance",
    "ClaimStatus",
    "Disability",
    "DraftUpload",
    "DutyLink",
    "Evidence",
    "ForensicHarm",
    "ForwardMeans",
    "Incident",
    "IncidentEvent",
    "Injury",
    "Notice",
    "Outcome",
    "Place",
    "Procedure",
    "ReferenceCounter",
    "ReportDraft",
    "Status",
    "Victim",
    "VictimCompensation",
    "YesNoUnknown",
    "casefile_upload_to",
    "draft_upload_to",
    "evidence_upload_to",
    "notice_upload_to",
]
