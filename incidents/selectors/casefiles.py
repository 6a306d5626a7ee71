"""Reads of the whole case file: what it holds (the chain of custody of each piece of evidence, the victims'
compensation) and its list."""

import datetime as dt
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from accounts.models import User
from facilities.models import PolicePost
from incidents import access, events
from incidents.models import CaseFile, Evidence, Incident, IncidentEvent, Victim, VictimCompensation

Kind = IncidentEvent.Kind


@dataclass
class CustodyEntry:
    """One link of an evidence item's chain of custody: what happened to it, who did it, when."""

    kind: str  # "uploaded", "downloaded", "forwarded" (a copy handed over outside), "handed_over" (with the case)
    at: dt.datetime
    actor: User | None
    detail: str = ""


@dataclass
class EvidenceCustody:
    item: Evidence
    entries: list[CustodyEntry] = field(default_factory=list)


def evidence_custody(incident: Incident, timeline: list[IncidentEvent]) -> list[EvidenceCustody]:
    """Each evidence item with who uploaded it, every download of it, every copy an officer handed over outside
    (to whom and how), and every hand-over of the case after it arrived (the files go with the case to the new
    post). From the stored rows and the case history only."""
    handovers = [event for event in timeline if event.kind == Kind.HANDED_OVER]
    post_ids = {post for event in handovers for post in events.handover_posts_of(event) if post}
    codes = dict(PolicePost.objects.filter(pk__in=post_ids).values_list("pk", "code"))
    downloads: dict[int, list[IncidentEvent]] = {}
    forwards: dict[int, list[CustodyEntry]] = {}
    for event in timeline:
        evidence_id = events.downloaded_evidence_id_of(event)
        if evidence_id is not None:
            downloads.setdefault(evidence_id, []).append(event)
        forward = events.forwarded_evidence_of(event)
        if forward is not None:
            detail = f"{forward.recipient} ({forward.means_label})"
            forwards.setdefault(forward.evidence_id, []).append(
                CustodyEntry("forwarded", event.created_at, event.actor, detail)
            )
    custody = []
    for item in incident.evidence.select_related("uploaded_by"):
        entries = [CustodyEntry("uploaded", item.uploaded_at, item.uploaded_by)]
        entries += [CustodyEntry("downloaded", event.created_at, event.actor) for event in downloads.get(item.pk, [])]
        entries += forwards.get(item.pk, [])
        for event in handovers:
            if event.created_at >= item.uploaded_at:
                from_post, to_post = events.handover_posts_of(event)
                detail = f"{codes.get(from_post, '—') if from_post else '—'} → {codes.get(to_post, '—')}"
                entries.append(CustodyEntry("handed_over", event.created_at, event.actor, detail))
        entries.sort(key=lambda entry: entry.at)
        custody.append(EvidenceCustody(item, entries))
    return custody


def victims_with_compensation(incident: Incident) -> list[Victim]:
    """The victims, each with `record`: their compensation and support row, or None when nothing is recorded."""
    victims = list(incident.victims.select_related("compensation"))
    for victim in victims:
        try:
            victim.record = victim.compensation
        except VictimCompensation.DoesNotExist:
            victim.record = None
    return victims


def compensation_record_of(victim: Victim) -> VictimCompensation | None:
    """The victim's compensation and support row, None when nothing is recorded."""
    return VictimCompensation.objects.filter(victim=victim).first()


def case_files(incident: Incident) -> list[CaseFile]:
    """The case files made of a case, newest first."""
    return list(incident.casefiles.select_related("requested_by"))


def get_casefile_for_officer(user: User, *, incident_pk: int, casefile_pk: int) -> CaseFile:
    """A ready case file of a case of the officer's posts; 404 for anyone else."""
    incident = access.get_incident_for_officer(user, incident_pk)
    return get_object_or_404(
        incident.casefiles.select_related("incident"), pk=casefile_pk, status=CaseFile.Status.READY
    )


def casefile_filename(casefile: CaseFile) -> str:
    stamp = casefile.rendered_at.strftime("%Y%m%d-%H%M") if casefile.rendered_at else str(casefile.pk)
    return f"{casefile.incident.reference}-case-file-{stamp}.pdf"
