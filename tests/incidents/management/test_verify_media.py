"""`manage.py verify_media`: each stored file against its SHA-256 in the database; missing and altered ones listed."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from incidents.models import Evidence, Notice
from tests import factories
from tests.incidents.reporting_support import jpeg_bytes

pytestmark = pytest.mark.django_db


def stored_evidence(incident, content: bytes, name: str) -> Evidence:
    evidence = Evidence(
        incident=incident,
        kind=Evidence.Kind.PHOTO,
        original_name=f"{name}.jpg",
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=incident.reporter,
    )
    evidence.file.save(name, ContentFile(content), save=True)
    return evidence


@pytest.fixture
def incident(facility_a, reporter):
    return factories.IncidentFactory(facility=facility_a, reporter=reporter)


def test_a_clean_store_passes(incident, capsys):
    stored_evidence(incident, jpeg_bytes(), "one")
    notice = Notice.objects.create(incident=incident, version=1, status=Notice.Status.READY, sha256="")
    notice.file.save("n.pdf", ContentFile(b"%PDF-1.7"), save=False)
    notice.sha256 = hashlib.sha256(b"%PDF-1.7").hexdigest()
    notice.save()

    call_command("verify_media")

    assert "All 2 stored files match their SHA-256." in capsys.readouterr().out


def test_missing_and_altered_files_are_listed_and_fail(incident, capsys):
    kept = stored_evidence(incident, jpeg_bytes(), "kept")
    missing = stored_evidence(incident, jpeg_bytes(color="blue"), "missing")
    altered = stored_evidence(incident, jpeg_bytes(color="green"), "altered")
    missing.file.storage.delete(missing.file.name)
    with open(altered.file.path, "ab") as file:
        file.write(b"tampered")

    with pytest.raises(CommandError, match="2 of 3 stored files are missing or altered"):
        call_command("verify_media")

    out = capsys.readouterr().out
    assert f"MISSING evidence {missing.pk} {missing.file.name}" in out
    assert f"ALTERED evidence {altered.pk} {altered.file.name} sha256 " in out
    assert kept.file.name not in out
