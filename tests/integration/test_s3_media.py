"""Media on S3-compatible object storage (QORGAU_MEDIA_STORAGE=s3, django-storages) against a real S3 API server on
loopback (moto in server mode): a report's photo and its rendered notice are stored as objects, downloaded whole
through the access-checked views, `verify_media` reads them back, and /readyz writes and reads there."""

import hashlib
import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from incidents.models import Evidence, Notice
from tests.conftest import skip_or_fail
from tests.incidents.reporting_support import jpeg_bytes, minimal_post

pytestmark = pytest.mark.integration
BUCKET = "qorgau-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_server():
    port = free_port()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        skip_or_fail(f"moto's server does not start: {exc}")
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="qorgau", aws_secret_access_key="secret", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_media(s3_server, settings):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "qorgau",
                "secret_key": "secret",
                "location": "media",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
    settings.QORGAU_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"  # ignored for object storage: Django streams
    return client


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read() for item in listed}


@pytest.mark.django_db
def test_evidence_and_notices_live_in_the_bucket_and_come_back_whole(
    s3_media, reporter, officer, facility_a, capsys, django_capture_on_commit_callbacks
):
    photo = jpeg_bytes((640, 480), color="blue")
    nurse = Client(HTTP_ACCEPT_LANGUAGE="en")
    nurse.force_login(reporter)
    data = minimal_post(facility_a)
    data["evidence"] = SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):  # the notice is rendered when the report commits
        response = nurse.post(reverse("incidents:report"), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    evidence = Evidence.objects.get()
    notice = Notice.objects.get(status=Notice.Status.READY)
    stored = objects(s3_media)
    assert stored[f"media/{evidence.file.name}"] == photo
    assert hashlib.sha256(stored[f"media/{notice.file.name}"]).hexdigest() == notice.sha256

    police = Client(HTTP_ACCEPT_LANGUAGE="en")
    police.force_login(officer)
    download = police.get(reverse("incidents:case_evidence_download", args=[evidence.incident_id, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == photo
    notice_download = police.get(reverse("incidents:case_notice_download", args=[notice.incident_id, notice.pk]))
    assert hashlib.sha256(b"".join(notice_download.streaming_content)).hexdigest() == notice.sha256

    call_command("verify_media")
    assert "All 2 stored files match their SHA-256." in capsys.readouterr().out
    s3_media.put_object(Bucket=BUCKET, Key=f"media/{evidence.file.name}", Body=b"tampered")
    with pytest.raises(Exception, match="1 of 2 stored files are missing or altered"):
        call_command("verify_media")


@pytest.mark.django_db(transaction=True)
def test_readyz_writes_and_reads_the_bucket(s3_media, client):
    checks = client.get("/readyz").json()["checks"]

    assert checks["media"]["status"] == "ok", checks["media"]
    assert not [key for key in objects(s3_media) if "health_check" in key]  # the probe cleaned up after itself
