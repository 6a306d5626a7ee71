"""API keys of devices (panic buttons, video badges) and systems, each scoped to one police post or one facility."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from facilities.models import Facility, PolicePost


class PlaceAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        # The post's facility too: an alarm raised by a post's key is of that facility (api.services).
        return super().get_usable_keys().select_related("post__facility", "facility")


class PlaceAPIKey(AbstractAPIKey):
    """A key stored as a SHA-512 hash (shown once, at creation), for one post or one facility, never both."""

    objects = PlaceAPIKeyManager()

    post = models.ForeignKey(
        PolicePost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("police post"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("facility"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, facility__isnull=True) | Q(post__isnull=True, facility__isnull=False),
                name="api_key_scoped_to_one_place",
            ),
        ]

    def covers_post(self, post: PolicePost) -> bool:
        """A post key covers its post; a facility key every post of its facility."""
        if self.post_id is not None:
            return post.pk == self.post_id
        return post.facility_id == self.facility_id


def recording_upload_to(recording: "Recording", filename: str) -> str:
    return f"recordings/{recording.alarm_id}/{recording.pk}-{recording.sha256[:16]}{_extension(filename)}"


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot > 0 else ""


class Recording(models.Model):
    """A device's recording of an alarm (a video badge's), received whole or in chunks (Content-Range), then checked
    by content as evidence is (incidents.services.evidence.upload_check) and kept with its SHA-256."""

    class Status(models.TextChoices):
        RECEIVING = "receiving", _("receiving")
        STORED = "stored", _("stored")
        REFUSED = "refused", _("refused")

    alarm = models.ForeignKey(
        "alarms.Alarm", on_delete=models.PROTECT, related_name="recordings", verbose_name=_("alarm")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVING)
    total_size = models.PositiveBigIntegerField(_("size in bytes"))
    received = models.PositiveBigIntegerField(_("bytes received"), default=0)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=recording_upload_to, blank=True)
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # Who uploaded it: the device's key (its name kept, as a key may be revoked later), or a user.
    uploaded_by_key = models.ForeignKey(
        PlaceAPIKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("API key")
    )
    uploaded_by_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    uploader_name = models.CharField(_("uploaded by"), max_length=150)
    device_id = models.CharField(_("uploading device"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    stored_at = models.DateTimeField(_("stored at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"{self.alarm_id}/{self.pk} {self.sha256[:12]}"


def recording_part_upload_to(chunk: "RecordingChunk", filename: str) -> str:
    return f"recordings/parts/{chunk.recording_id}/{chunk.start}"


class RecordingChunk(models.Model):
    """A received part of a recording, kept as a file in the media storage until the recording is whole (then the
    parts are joined, checked, and deleted): a recording of hundreds of megabytes never sits in memory."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="chunks")
    start = models.PositiveBigIntegerField()
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=recording_part_upload_to, max_length=255)

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["recording", "start"], name="recording_chunk_once")]

    def __str__(self) -> str:
        return f"{self.recording_id}@{self.start}"


class CustodyEntry(models.Model):
    """The recording's chain of custody: every hand that touched it, when, and the hash it had then."""

    class Kind(models.TextChoices):
        STARTED = "started", _("upload started")
        CHUNK = "chunk", _("part received")
        STORED = "stored", _("checked and stored")
        REFUSED = "refused", _("refused by the content check")

    recording = models.ForeignKey(
        Recording, on_delete=models.PROTECT, related_name="custody", verbose_name=_("recording")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor_name = models.CharField(_("by"), max_length=150)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")

    def __str__(self) -> str:
        return f"{self.recording_id} {self.kind}"
