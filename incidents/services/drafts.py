"""Drafts: a report saved as the reporter types, kept across errors and logouts, resumed, discarded, purged.

A draft's key is also the report's submission key, so a retried "Send" of the same form files one report.
"""

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from incidents.models import DraftUpload, ReportDraft
from incidents.services.evidence import CheckedUpload, draft_upload_add, uploads_within_limit

# Form fields never kept in a draft: the CSRF token, the draft's own key, the page's action buttons.
NOT_DRAFT_DATA = frozenset({"csrfmiddlewaretoken", "draft_key", "remove_upload", "action", "_dropped_files"})


def draft_data_from_post(post: QueryDict) -> dict[str, list[str]]:
    """The form's fields as lists of strings, as a QueryDict holds them, minus what must not be kept.

    NUL characters are dropped: nobody types them, PostgreSQL refuses them (the draft, and with it what was
    typed, would be lost), and the form refuses them in what is sent with a clear error.
    """
    return {
        key.replace("\x00", ""): [value.replace("\x00", "") for value in values]
        for key, values in post.lists()
        if key not in NOT_DRAFT_DATA
    }


def draft_save(*, owner: User, key: uuid.UUID, data: dict[str, list[str]]) -> ReportDraft:
    """Create or update the owner's draft under this key; a submitted draft is left as it was."""
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().filter(key=key).first()
        if draft is None:
            try:
                with transaction.atomic():
                    return ReportDraft.objects.create(key=key, owner=owner, data=data)
            except IntegrityError:
                draft = ReportDraft.objects.select_for_update().get(key=key)
        if draft.owner_id != owner.pk:
            raise PermissionDenied("This draft belongs to someone else.")
        if draft.submitted_incident_id is None:
            draft.data = data
            draft.save(update_fields=["data", "updated_at"])
    return draft


def draft_files_keep(*, draft: ReportDraft, uploads: Sequence[CheckedUpload]) -> list[DraftUpload]:
    """Keep checked files on the draft, so a form error never loses them: as many as the count limit allows.

    Files past the limit are not kept, and a ValidationError (raised after the others are saved) names them,
    so the reporter keeps the first ones and knows which to leave out.
    """
    with transaction.atomic():
        fitting, left_out = uploads_within_limit(already=draft.uploads.count(), uploads=uploads)
        kept = [draft_upload_add(draft=draft, upload=upload) for upload in fitting]
    if left_out is not None:
        raise left_out
    return kept


def draft_discard(*, draft: ReportDraft) -> None:
    """Delete an unsubmitted draft and its kept files."""
    if draft.submitted_incident_id:
        return
    names = [(upload.file.storage, upload.file.name) for upload in draft.uploads.all()]
    with transaction.atomic():
        draft.delete()

        def delete_files() -> None:
            for storage, name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


def report_keep(
    *, data: dict[str, list[str]], uploads: Sequence[CheckedUpload], resume_key: uuid.UUID | None
) -> ReportDraft:
    """Keep a report posted after the session expired: an ownerless draft, claimed after the next login."""
    with transaction.atomic():
        draft = ReportDraft.objects.create(owner=None, data=data, resume_key=resume_key)
        for upload in uploads[: max(0, _max_files())]:
            draft_upload_add(draft=draft, upload=upload)
    return draft


def _max_files() -> int:
    return int(settings.QORGAU_UPLOAD_MAX_FILES)


def kept_report_claim(*, kept: ReportDraft, user: User) -> ReportDraft:
    """Give a kept report to the user who logged in; merged into the draft they were editing, if any."""
    with transaction.atomic():
        kept = ReportDraft.objects.select_for_update().get(pk=kept.pk, owner__isnull=True)
        target = None
        if kept.resume_key:
            target = ReportDraft.objects.select_for_update().filter(key=kept.resume_key).first()
            if target is not None and target.owner_id != user.pk:
                raise PermissionDenied("The kept report continues someone else's draft.")
        if target is None:
            # The form's key stays the submission key, so a retry of the same form is still one report.
            kept.key = kept.resume_key or kept.key
            kept.owner = user
            kept.resume_key = None
            kept.save(update_fields=["key", "owner", "resume_key", "updated_at"])
            return kept
        if target.submitted_incident_id is None:
            target.data = kept.data
            target.save(update_fields=["data", "updated_at"])
            room = max(0, _max_files() - target.uploads.count())
            for upload in kept.uploads.all()[:room]:
                upload.draft = target
                upload.save(update_fields=["draft"])
        stale = [(upload.file.storage, upload.file.name) for upload in kept.uploads.all()]
        kept.delete()

        def delete_files() -> None:
            for storage, name in stale:
                storage.delete(name)

        transaction.on_commit(delete_files)
        return target


def kept_reports_purge(*, older_than: dt.timedelta) -> int:
    """Delete kept reports nobody claimed (and drafts abandoned) older than `older_than`; returns the count."""
    cutoff = timezone.now() - older_than
    stale = list(ReportDraft.objects.filter(submitted_incident__isnull=True, updated_at__lt=cutoff))
    for draft in stale:
        draft_discard(draft=draft)
    return len(stale)
