"""Evidence and notices are written readable by the service's user and group only, never world-readable."""

import stat
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_stored_files_and_their_folders_are_private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.__dict__.pop("base_location", None)
    default_storage.__dict__.pop("location", None)
    default_storage.__dict__.pop("file_permissions_mode", None)
    default_storage.__dict__.pop("directory_permissions_mode", None)

    name = default_storage.save("evidence/2026/11/photo.jpg", ContentFile(b"jpeg"))
    path = Path(default_storage.path(name))

    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o750
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o750
