"""Drafts: a report saved as the reporter types, kept across errors and logouts, resumed, discarded, purged.

A draft's key is also the report's submission key, so a retried "Send" of the same form files one report.

A report posted after the session expired is kept only for the user the page was issued to (a signed value in
the form, `report_form_token`), within limits per address, per user and overall, and handed back only to them.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from incidents.models import DraftUpload, ReportDraft
from incidents.services.evidence import CheckedUpload, draft_upload_add, uploads_within_limit

# Form fields never kept in a draft: the CSRF token, the draft's own key, the page's action buttons, and the
# signed value saying whose form it is.
NOT_DRAFT_DATA = frozenset(
    {"csrfmiddlewaretoken", "draft_key", "remove_upload", "action", "_dropped_files", "keep_token"}
)
# Names of files that could not be kept with a report sent while logged out, to ask for them again.
DROPPED_FILES_KEY = "_dropped_files"
# A report page can be kept open (and a kept report claimed) this long.
KEPT_MAX_AGE = dt.timedelta(days=7)
KEEP_TOKEN_SALT = "incidents.report-form"  # noqa: S105 - a signing namespace, not a secret
ADDRESS_WINDOW_SECONDS = 60 * 60

logger = logging.getLogger(__name__)


class KeptReportRefused(Exception):
    """A report posted after the session expired was not kept; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def outbox_limits() -> dict[str, int]:
    """The bytes a report may take while it waits on a phone with no connection (static/js/outbox.js): one report
    (never more than the server takes in one request) and all of them together."""
    return {
        "item": min(settings.QORGAU_OUTBOX_REPORT_MAX_BYTES, settings.QORGAU_REQUEST_MAX_BYTES),
        "total": settings.QORGAU_OUTBOX_MAX_BYTES,
    }


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
    with transaction.atomic():
        _draft_delete(draft)


def _max_files() -> int:
    return int(settings.QORGAU_UPLOAD_MAX_FILES)


def _draft_delete(draft: ReportDraft) -> None:
    """Delete a draft row now and its stored files once the transaction commits."""
    names = [(upload.file.storage, upload.file.name) for upload in draft.uploads.all()]
    draft.delete()

    def delete_files() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


def report_form_token(*, user: User, key: uuid.UUID | str | None) -> str:
    """The signed value a report page carries: whose form it is and under which draft key."""
    return signing.dumps({"user": user.pk, "key": str(key or "")}, salt=KEEP_TOKEN_SALT)


def report_form_author(*, token: str | None, key: uuid.UUID | None) -> User | None:
    """The user a report page was issued to: when its signed value is genuine, recent and for this form's key,
    and that user may still report. None otherwise (the report then cannot be kept for anyone)."""
    if not token or key is None:
        return None
    try:
        value = signing.loads(token, salt=KEEP_TOKEN_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("key") != str(key) or not isinstance(value.get("user"), int):
        return None
    author = User.objects.filter(pk=value["user"], is_active=True).first()
    if author is None or not author.has_perm("incidents.report_incident"):
        return None
    return author


def _address_count(address: str | None) -> None:
    """Count a keep from this address in the current hour; refuse beyond QORGAU_KEPT_PER_ADDRESS_PER_HOUR."""
    window = int(timezone.now().timestamp()) // ADDRESS_WINDOW_SECONDS
    key = f"incidents:kept-from:{address or 'unknown'}:{window}"
    try:
        cache.add(key, 0, timeout=ADDRESS_WINDOW_SECONDS + 60)
        count = cache.incr(key)
    except Exception:  # the cache down must not turn a kept report into an error; the stored limits still hold
        logger.warning("Kept reports: the cache did not answer; the per-address limit was not applied.", exc_info=True)
        return
    if count > settings.QORGAU_KEPT_PER_ADDRESS_PER_HOUR:
        raise KeptReportRefused("address_limit")


def report_keep(
    *,
    author: User,
    data: dict[str, list[str]],
    uploads: Sequence[CheckedUpload],
    resume_key: uuid.UUID | None,
    address: str | None = None,
) -> ReportDraft:
    """Keep a report posted after its author's session expired: an ownerless draft only they can claim.

    The same form sent again replaces its earlier copy. Files beyond the count limit or the overall cap on
    pending storage are left out and named in the data, to be asked for again. Raises KeptReportRefused when
    the form continues someone else's draft, or a limit (per address, per user, overall) is reached.
    """
    _address_count(address)
    with transaction.atomic():
        # One keep at a time per author, so two posts cannot both pass the per-user limit.
        User.objects.select_for_update().filter(pk=author.pk).first()
        if resume_key is not None:
            continued = ReportDraft.objects.filter(key=resume_key, owner__isnull=False).first()
            if continued is not None and continued.owner_id != author.pk:
                raise KeptReportRefused("not_yours")
        pending = ReportDraft.objects.filter(owner__isnull=True)
        earlier = list(pending.filter(kept_for=author, resume_key=resume_key)) if resume_key else []
        others = pending.exclude(pk__in=[draft.pk for draft in earlier])
        if others.filter(kept_for=author).count() >= settings.QORGAU_KEPT_PER_USER:
            raise KeptReportRefused("user_limit")
        if others.count() >= settings.QORGAU_KEPT_PENDING_MAX_REPORTS:
            raise KeptReportRefused("pending_limit")
        for draft in earlier:
            _draft_delete(draft)
        stored = DraftUpload.objects.filter(draft__in=others).aggregate(total=Sum("size"))["total"] or 0
        fitting, _ = uploads_within_limit(already=0, uploads=uploads)
        kept_files = []
        for upload in fitting:
            if stored + upload.size <= settings.QORGAU_KEPT_PENDING_MAX_BYTES:
                kept_files.append(upload)
                stored += upload.size
        left_out = [upload.original_name for upload in uploads if all(upload is not k for k in kept_files)]
        if left_out:
            data = {**data, DROPPED_FILES_KEY: [*data.get(DROPPED_FILES_KEY, []), *left_out]}
        kept = ReportDraft.objects.create(owner=None, kept_for=author, data=data, resume_key=resume_key)
        for upload in kept_files:
            draft_upload_add(draft=kept, upload=upload)
    return kept


def kept_report_claim(*, kept: ReportDraft, user: User) -> ReportDraft:
    """Give a kept report to its author, now logged in; merged into the draft they were editing, if any."""
    with transaction.atomic():
        kept = ReportDraft.objects.select_for_update().get(pk=kept.pk, owner__isnull=True)
        if kept.kept_for_id is None or kept.kept_for_id != user.pk:
            raise PermissionDenied("The kept report was typed by someone else.")
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
            room = max(0, _max_files() - target.uploads.count())
            files = list(kept.uploads.all())
            for upload in files[:room]:
                upload.draft = target
                upload.save(update_fields=["draft"])
            target.data = kept.data
            if left_out := [upload.original_name for upload in files[room:]]:
                target.data = {**kept.data, DROPPED_FILES_KEY: [*kept.data.get(DROPPED_FILES_KEY, []), *left_out]}
            target.save(update_fields=["data", "updated_at"])
        _draft_delete(kept)
        return target


def kept_reports_purge(*, older_than: dt.timedelta) -> int:
    """Delete drafts abandoned longer than `older_than`, and kept reports nobody claimed while their link was
    valid (KEPT_MAX_AGE, or `older_than` if shorter); returns the count."""
    now = timezone.now()
    stale = list(
        ReportDraft.objects.filter(submitted_incident__isnull=True, updated_at__lt=now - older_than)
        | ReportDraft.objects.filter(owner__isnull=True, updated_at__lt=now - min(older_than, KEPT_MAX_AGE))
    )
    for draft in stale:
        draft_discard(draft=draft)
    return len(stale)
