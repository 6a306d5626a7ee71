"""Evidence files: checked by their content (never their name), hashed, kept on a draft, moved to a case.

A file is accepted when its bytes are a photo, video, audio recording or PDF (the `filetype` signatures, then
the structure behind them: a Pillow decode for pictures, pypdf for PDFs, the container walk of
`incidents.services.containers` for video, audio and HEIC), it holds no web page markup, it is within
`QORGAU_UPLOAD_MAX_BYTES` (and pictures within `QORGAU_UPLOAD_MAX_PIXELS`), and its name, when it has an
extension, agrees with the content: `photo.jpg` holding a PDF is rejected rather than relabelled.
"""

# File[...] is a type for mypy only: Django's File is not subscriptable at run time.
from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from incidents import events
from incidents.models import DraftUpload, Evidence, Incident, ReportDraft
from incidents.services.containers import BadStructure, carries_markup, structure_check

Kind = Evidence.Kind

# Detected content type -> (kind, file name extensions that may carry it).
ALLOWED_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "image/jpeg": (Kind.PHOTO, frozenset({"jpg", "jpeg", "jpe", "jfif"})),
    "image/png": (Kind.PHOTO, frozenset({"png"})),
    "image/webp": (Kind.PHOTO, frozenset({"webp"})),
    "image/heic": (Kind.PHOTO, frozenset({"heic", "heif"})),
    "video/mp4": (Kind.VIDEO, frozenset({"mp4", "m4v", "m4a"})),
    "video/x-m4v": (Kind.VIDEO, frozenset({"mp4", "m4v"})),
    "video/quicktime": (Kind.VIDEO, frozenset({"mov", "qt"})),
    "video/webm": (Kind.VIDEO, frozenset({"webm", "weba"})),
    "audio/mpeg": (Kind.AUDIO, frozenset({"mp3"})),
    "audio/mp4": (Kind.AUDIO, frozenset({"m4a", "mp4", "aac"})),
    "audio/ogg": (Kind.AUDIO, frozenset({"ogg", "oga", "opus"})),
    "audio/x-wav": (Kind.AUDIO, frozenset({"wav"})),
    "application/pdf": (Kind.DOCUMENT, frozenset({"pdf"})),
}
# Containers that hold sound only, told apart from video by the name (their signatures are the same).
AUDIO_EXTENSIONS = frozenset({"m4a", "weba"})
# Pictures Pillow decodes here; HEIC needs a plugin, so its container is walked instead (its size read there).
PILLOW_CHECKED = frozenset({"image/jpeg", "image/png", "image/webp"})
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file whose content was checked, with what was learnt about it."""

    file: File[Any]
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _kind_label(kind: str) -> str:
    return str(Kind(kind).label)


def _describe(mime: str | None) -> str:
    if mime in ALLOWED_TYPES:
        return _kind_label(ALLOWED_TYPES[mime][0])
    return _("another kind of file")


def _sha256(file: File[Any]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


# Pillow's answer for a picture so large that it refuses to open it (twice its own limit of about 89 MP).
TOO_LARGE_TO_OPEN = -1


def _picture_pixels(file: File[Any]) -> int | None:
    """Width × height of a picture that decodes (TOO_LARGE_TO_OPEN beyond Pillow's limit); None when damaged."""
    file.seek(0)
    try:
        # The size is read from the header, before any pixel is decoded, and judged against our own limit:
        # Pillow's warning about a possible bomb only means "too large" here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > settings.QORGAU_UPLOAD_MAX_PIXELS:
                    return width * height
                image.verify()
    except Image.DecompressionBombError:
        return TOO_LARGE_TO_OPEN
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)
    return width * height


def _too_many_pixels(name: str) -> ValidationError:
    megapixels = settings.QORGAU_UPLOAD_MAX_PIXELS / 1_000_000
    return ValidationError(
        _("“%(name)s” is too large a picture: more than %(limit)s megapixels. Send a smaller copy.")
        % {"name": name, "limit": f"{megapixels:g}"},
        code="too_many_pixels",
    )


def upload_check(file: File[Any], *, max_bytes: int | None = None) -> CheckedUpload:
    """Check one uploaded file by content and size (at most `max_bytes`, by default QORGAU_UPLOAD_MAX_BYTES);
    raises ValidationError with a message for the reporter."""
    name = os.path.basename(getattr(file, "name", "") or "file")[:255]
    size = file.size or 0
    limit = settings.QORGAU_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    extension = _extension(name)
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” cannot be attached: only photos, videos, audio recordings and PDF documents can.")
            % {"name": name},
            code="type_not_allowed",
        )
    kind, extensions = ALLOWED_TYPES[mime]
    if extension and extension not in extensions:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its content is a %(kind)s. Rename it or choose another file.")
            % {"name": name, "kind": _describe(mime)},
            code="name_mismatch",
        )
    if carries_markup(file, size):
        # A file that is also a web page (a "polyglot") could run script if a browser ever opened it as one.
        raise ValidationError(
            _("“%(name)s” contains web page code and cannot be attached.") % {"name": name}, code="markup"
        )
    if mime in PILLOW_CHECKED:
        pixels = _picture_pixels(file)
        if pixels is None:
            raise ValidationError(
                _("“%(name)s” is damaged or is not a real picture.") % {"name": name}, code="broken_picture"
            )
        if pixels == TOO_LARGE_TO_OPEN or pixels > settings.QORGAU_UPLOAD_MAX_PIXELS:
            raise _too_many_pixels(name)
    else:
        try:
            structure = structure_check(file, mime=mime, size=size)
        except BadStructure as exc:
            if exc.code == "protected":
                raise ValidationError(
                    _("“%(name)s” is protected by a password; attach a copy without the password.") % {"name": name},
                    code="protected",
                ) from exc
            raise ValidationError(
                _("“%(name)s” is damaged or is not the kind of file it starts as; it cannot be attached.")
                % {"name": name},
                code="broken_file",
            ) from exc
        if structure.pixels is not None and structure.pixels > settings.QORGAU_UPLOAD_MAX_PIXELS:
            raise _too_many_pixels(name)
    if kind == Kind.VIDEO and extension in AUDIO_EXTENSIONS:
        kind = Kind.AUDIO
    return CheckedUpload(file=file, original_name=name, kind=kind, content_type=mime, size=size, sha256=_sha256(file))


def uploads_check(files: Sequence[File[Any]]) -> tuple[list[CheckedUpload], list[ValidationError]]:
    """Check each file; the accepted ones and one error per refused file (the others are still kept)."""
    accepted, errors = [], []
    for file in files:
        try:
            accepted.append(upload_check(file))
        except ValidationError as exc:
            errors.append(exc)
    return accepted, errors


def upload_count_check(*, already: int, adding: int) -> None:
    """Raise ValidationError when a report would carry more files than QORGAU_UPLOAD_MAX_FILES."""
    limit = settings.QORGAU_UPLOAD_MAX_FILES
    if already + adding > limit:
        raise ValidationError(
            _("A report can carry at most %(limit)d files; remove some first.") % {"limit": limit},
            code="too_many",
        )


def uploads_within_limit(
    *, already: int, uploads: Sequence[CheckedUpload]
) -> tuple[list[CheckedUpload], ValidationError | None]:
    """The first files that fit under QORGAU_UPLOAD_MAX_FILES, and an error naming the ones left out (if any)."""
    limit = settings.QORGAU_UPLOAD_MAX_FILES
    room = max(0, limit - already)
    fitting, left_out = list(uploads[:room]), uploads[room:]
    if not left_out:
        return fitting, None
    return fitting, ValidationError(
        _("A report can carry at most %(limit)d files; these were not attached: %(names)s.")
        % {"limit": limit, "names": ", ".join(upload.original_name for upload in left_out)},
        code="too_many",
    )


def draft_upload_add(*, draft: ReportDraft, upload: CheckedUpload) -> DraftUpload:
    """Keep a checked file on the draft, so it survives form errors and is moved to the case on submit."""
    kept = DraftUpload(
        draft=draft,
        kind=upload.kind,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
    )
    upload.file.seek(0)
    kept.file.save(upload.original_name, upload.file, save=False)
    kept.save()
    return kept


def draft_upload_remove(*, draft: ReportDraft, upload_id: int) -> bool:
    """Remove one kept file from a draft (and its stored bytes); False when it was not there."""
    kept = draft.uploads.filter(pk=upload_id).first()
    if kept is None:
        return False
    kept.file.delete(save=False)
    kept.delete()
    return True


def evidence_add(*, incident: Incident, upload: CheckedUpload | DraftUpload, uploaded_by: User) -> Evidence:
    """Store one file as evidence of the incident; a draft's kept file is moved (its draft row deleted)."""
    evidence = Evidence(
        incident=incident,
        kind=upload.kind,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=uploaded_by,
    )
    if isinstance(upload, DraftUpload):
        with upload.file.open("rb") as source:
            evidence.file.save(upload.original_name, File(source), save=False)
        evidence.save()
        stored = upload.file
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
        upload.delete()
    else:
        upload.file.seek(0)
        evidence.file.save(upload.original_name, upload.file, save=False)
        evidence.save()
    return evidence


def evidence_add_later(*, incident: Incident, uploads: list[CheckedUpload], uploaded_by: User) -> list[Evidence]:
    """Files the reporter adds to a filed report: stored and written to the case history."""
    with transaction.atomic():
        upload_count_check(already=incident.evidence.count(), adding=len(uploads))
        stored = [evidence_add(incident=incident, upload=upload, uploaded_by=uploaded_by) for upload in uploads]
        if stored:
            events.evidence_added(incident=incident, actor=uploaded_by, evidence=stored)
    return stored
