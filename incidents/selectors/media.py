"""Every stored file against the SHA-256 the database holds for it (`manage.py verify_media`, after a restore)."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from incidents.models import DraftUpload, Evidence, Notice

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class MediaProblem:
    kind: str  # "missing" or "altered"
    model: str
    pk: int
    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind.upper()} {self.model} {self.pk} {self.name}{' ' + self.detail if self.detail else ''}"


def _stored() -> Iterator[tuple[str, models.Model, str, str]]:
    for evidence in Evidence.objects.only("file", "sha256").order_by("pk").iterator():
        yield "evidence", evidence, evidence.file.name, evidence.sha256
    for upload in DraftUpload.objects.only("file", "sha256").order_by("pk").iterator():
        yield "draft upload", upload, upload.file.name, upload.sha256
    for notice in Notice.objects.exclude(file="").only("file", "sha256").order_by("pk").iterator():
        yield "notice", notice, notice.file.name, notice.sha256


def media_check() -> tuple[int, list[MediaProblem]]:
    """How many files were read, and each one missing or whose SHA-256 differs from the database's."""
    checked = 0
    problems = []
    for label, row, name, expected in _stored():
        field = row.file  # type: ignore[attr-defined]
        checked += 1
        if not field.storage.exists(name):
            problems.append(MediaProblem("missing", label, row.pk, name))
            continue
        digest = hashlib.sha256()
        with field.storage.open(name, "rb") as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            problems.append(
                MediaProblem("altered", label, row.pk, name, f"sha256 {digest.hexdigest()} != database {expected}")
            )
    return checked, problems
